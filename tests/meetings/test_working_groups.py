"""Staff set up and edit working groups and the SVRP in the portal, and choose which of
a group's seats chairs it and which is vice-chair."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from members.models import Group, Membership
from tests.factories import AgencyFactory, GroupFactory, MembershipFactory
from tests.stale import hidden_version, page_data, second_staff_client

pytestmark = pytest.mark.django_db

NEW = "/meetings/groups/new-working-group/"
CHAIR, VICE_CHAIR, MEMBER = "chair", "vice_chair", "member"


def edit_url(group) -> str:
    return f"/meetings/groups/{group.pk}/edit/"


def group_data(**changes) -> dict:
    data = {
        "name": "Education Working Group",
        "short_name": "Education WG",
        "kind": "working",
        "vision": "Schools free from violence.",
        "mission": "Bring schools and partners together.",
        "purpose": "Delivers the Strategy's education strand.",
        "meeting_frequency": "bimonthly",
        "default_format": "hybrid",
        "in_person_every": "2",
        "tor_version": "V1",
        "tor_published": "2025-04-01",
        "review_date": "2026-03-31",
    }
    return {**data, **changes}


def snapshot() -> tuple[list, list]:
    return list(Group.objects.order_by("pk").values()), list(
        Membership.objects.order_by("pk").values()
    )


@pytest.fixture
def svrp():
    return GroupFactory(name="Strategic Violence Reduction Partnership", kind=Group.Kind.SVRP)


@pytest.fixture
def seats(working_group):
    """Three current seats: the chair, a member, and another member."""
    return {
        "director": MembershipFactory(
            group=working_group, role_title="VRU Director", position=CHAIR
        ),
        "manager": MembershipFactory(group=working_group, role_title="VRU Manager"),
        "police": MembershipFactory(group=working_group, role_title="Police comms lead"),
    }


def positions(*seats) -> list[str]:
    return [Membership.objects.get(pk=seat.pk).position for seat in seats]


# Setting up a working group ---------------------------------------------------------


def test_the_groups_page_offers_staff_a_new_working_group(staff_client):
    content = staff_client.get("/meetings/groups/").content.decode()

    assert f'href="{NEW}"' in content
    assert "New working group" in content


def test_staff_set_up_a_working_group_under_the_svrp(staff_client, svrp):
    response = staff_client.post(NEW, group_data(), follow=True)

    group = Group.objects.get(name="Education Working Group")
    assert response.redirect_chain[-1][0] == f"/meetings/groups/{group.pk}/"
    assert "Education Working Group set up. Now add its seats" in response.content.decode()
    assert (group.kind, group.parent, group.is_active) == (Group.Kind.WORKING, svrp, True)
    assert (group.vision, group.mission, group.tor_version) == (
        "Schools free from violence.",
        "Bring schools and partners together.",
        "V1",
    )
    assert (group.meeting_frequency, group.default_format, group.in_person_every) == (
        "bimonthly",
        "hybrid",
        2,
    )
    assert (group.tor_published, group.review_date) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))


def test_a_new_group_has_no_seat_to_chair_yet(staff_client):
    form = staff_client.get(NEW).context["form"]

    assert {"chair", "vice_chair", "is_active", "version"}.isdisjoint(form.fields)
    assert "kind" in form.fields


def test_staff_set_up_the_svrp_when_there_is_none(staff_client):
    staff_client.post(NEW, group_data(name="Strategic VRP", kind="svrp"))

    board = Group.objects.get(name="Strategic VRP")
    assert (board.kind, board.parent) == (Group.Kind.SVRP, None)


def test_there_is_only_one_svrp(staff_client, svrp):
    before = snapshot()

    response = staff_client.post(NEW, group_data(name="Second board", kind="svrp"))

    assert response.status_code == 200
    assert "The portal already has the SVRP" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("name", ["Communications Working Group", "communications working group"])
def test_a_name_already_taken_is_refused(staff_client, working_group, name):
    before = snapshot()

    response = staff_client.post(NEW, group_data(name=name))

    assert "There is already a group with this name." in response.content.decode()
    assert snapshot() == before


def test_a_task_and_finish_group_is_not_a_kind_offered_here(staff_client, working_group):
    before = snapshot()

    response = staff_client.post(NEW, group_data(kind="task_finish"))

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert snapshot() == before


# Editing ----------------------------------------------------------------------------


def test_staff_edit_a_working_groups_tor_facts(staff_client, working_group):
    form = staff_client.get(edit_url(working_group)).context["form"]

    response = staff_client.post(
        edit_url(working_group),
        page_data(form, vision="A new vision.", tor_version="V3", review_date="2027-03-31"),
        follow=True,
    )

    working_group.refresh_from_db()
    assert response.redirect_chain[-1][0] == f"/meetings/groups/{working_group.pk}/"
    assert "Communications Working Group updated." in response.content.decode()
    assert (working_group.vision, working_group.tor_version) == ("A new vision.", "V3")
    assert working_group.review_date == dt.date(2027, 3, 31)


def test_the_group_page_links_to_its_edit_page_whatever_its_kind(staff_client, svrp):
    content = staff_client.get(f"/meetings/groups/{svrp.pk}/").content.decode()

    assert f'href="{edit_url(svrp)}"' in content
    assert staff_client.get(edit_url(svrp)).status_code == 200


def test_staff_close_a_working_group(staff_client, working_group):
    form = staff_client.get(edit_url(working_group)).context["form"]

    staff_client.post(edit_url(working_group), page_data(form, is_active=False))

    working_group.refresh_from_db()
    assert not working_group.is_active
    assert "— closed" in staff_client.get("/meetings/groups/").content.decode()


def test_each_kind_of_group_is_edited_with_its_own_form(staff_client, working_group, svrp):
    task_group = GroupFactory(
        kind=Group.Kind.TASK_AND_FINISH, parent=working_group, name="Website T&F"
    )

    task_form = staff_client.get(edit_url(task_group)).context["form"]
    board_form = staff_client.get(edit_url(svrp)).context["form"]

    assert "parent" in task_form.fields and "chair" not in task_form.fields
    assert {"kind", "chair", "vice_chair", "vision"} <= set(board_form.fields)


def test_a_group_with_task_and_finish_groups_cannot_become_the_svrp(staff_client, working_group):
    GroupFactory(kind=Group.Kind.TASK_AND_FINISH, parent=working_group, name="Website T&F")
    form = staff_client.get(edit_url(working_group)).context["form"]
    before = snapshot()

    response = staff_client.post(edit_url(working_group), page_data(form, kind="svrp"))

    assert response.status_code == 200
    assert "Website T&amp;F sit under this group" in response.content.decode()
    assert snapshot() == before


def test_a_review_cannot_come_before_the_tor_was_published(staff_client, working_group):
    before = snapshot()

    response = staff_client.post(
        NEW, group_data(tor_published="2025-04-01", review_date="2025-03-31")
    )

    assert "The review cannot come before the ToR was published." in response.content.decode()
    assert snapshot() == before


# The chair and vice-chair -----------------------------------------------------------


def test_the_form_offers_the_current_seats_and_shows_the_chair(staff_client, seats):
    group = seats["director"].group
    ended = MembershipFactory(
        group=group, role_title="Former lead", end_date=timezone.localdate() - dt.timedelta(1)
    )
    MembershipFactory(role_title="Another group's seat")

    form = staff_client.get(edit_url(group)).context["form"]

    offered = set(form.fields["chair"].queryset)
    assert offered == set(form.fields["vice_chair"].queryset)
    assert offered == set(group.memberships.current()) - {ended}
    assert seats["director"] in offered and ended not in offered
    assert (form["chair"].value(), form["vice_chair"].value()) == (seats["director"].pk, None)


def test_staff_choose_the_chair_and_vice_chair_from_its_seats(staff_client, seats):
    group = seats["director"].group
    form = staff_client.get(edit_url(group)).context["form"]

    response = staff_client.post(
        edit_url(group),
        page_data(form, chair=seats["manager"].pk, vice_chair=seats["police"].pk),
    )

    assert response.status_code == 302
    assert positions(seats["director"], seats["manager"], seats["police"]) == [
        MEMBER,
        CHAIR,
        VICE_CHAIR,
    ]
    content = staff_client.get(f"/meetings/groups/{group.pk}/").content.decode()
    assert re.search(r"VRU Manager\s+\(Chair\)", content)


def test_the_chair_and_vice_chair_swap(staff_client, seats):
    group = seats["director"].group
    Membership.objects.filter(pk=seats["manager"].pk).update(position=VICE_CHAIR)
    form = staff_client.get(edit_url(group)).context["form"]

    staff_client.post(
        edit_url(group),
        page_data(form, chair=seats["manager"].pk, vice_chair=seats["director"].pk),
    )

    assert positions(seats["director"], seats["manager"]) == [VICE_CHAIR, CHAIR]


def test_nobody_may_be_chosen_and_the_old_chair_becomes_a_member(staff_client, seats):
    group = seats["director"].group
    form = staff_client.get(edit_url(group)).context["form"]

    staff_client.post(edit_url(group), page_data(form, chair=""))

    assert positions(seats["director"]) == [MEMBER]


def test_saving_leaves_one_chair_where_two_had_crept_in(staff_client, seats):
    group = seats["director"].group
    Membership.objects.filter(pk=seats["police"].pk).update(position=CHAIR)
    officer = MembershipFactory(group=group, role_title="Officer", position="officer")
    form = staff_client.get(edit_url(group)).context["form"]

    staff_client.post(edit_url(group), page_data(form, vision="Changed."))

    assert positions(seats["director"], seats["police"], officer) == [CHAIR, MEMBER, "officer"]


def test_an_ended_seat_keeps_its_position_in_the_record(staff_client, seats):
    group = seats["director"].group
    former = MembershipFactory(
        group=group,
        role_title="Former chair",
        position=CHAIR,
        end_date=timezone.localdate() - dt.timedelta(days=30),
    )
    form = staff_client.get(edit_url(group)).context["form"]

    staff_client.post(edit_url(group), page_data(form, chair=seats["manager"].pk))

    assert positions(former, seats["director"], seats["manager"]) == [CHAIR, MEMBER, CHAIR]


def test_one_seat_cannot_both_chair_and_vice_chair(staff_client, seats):
    group = seats["director"].group
    form = staff_client.get(edit_url(group)).context["form"]
    before = snapshot()

    response = staff_client.post(
        edit_url(group),
        page_data(form, chair=seats["manager"].pk, vice_chair=seats["manager"].pk),
    )

    assert response.status_code == 200
    assert "One seat cannot be both the chair and the vice-chair." in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("which", ["ended", "other_group"])
def test_only_the_groups_current_seats_can_chair(staff_client, seats, which):
    group = seats["director"].group
    seat = (
        MembershipFactory(group=group, end_date=timezone.localdate() - dt.timedelta(days=1))
        if which == "ended"
        else MembershipFactory()
    )
    form = staff_client.get(edit_url(group)).context["form"]
    before = snapshot()

    response = staff_client.post(edit_url(group), page_data(form, chair=seat.pk))

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert snapshot() == before


def test_a_seats_own_form_refuses_a_second_chair(staff_client, seats):
    group = seats["director"].group
    url = f"/meetings/groups/{group.pk}/seats/new/"
    before = snapshot()

    response = staff_client.post(
        url,
        {
            "agency": AgencyFactory().pk,
            "role_title": "Another chair",
            "position": CHAIR,
            "attendance_status": "required",
        },
    )

    assert response.status_code == 200
    assert "VRU Director" in response.content.decode()
    assert "choose the chair and vice-chair on the group&#x27;s edit page" in (
        response.content.decode()
    )
    assert snapshot() == before


def test_the_chair_keeps_its_position_when_its_seat_is_edited(staff_client, seats):
    seat = seats["director"]
    url = f"/meetings/groups/{seat.group_id}/seats/{seat.pk}/edit/"
    form = staff_client.get(url).context["form"]

    response = staff_client.post(url, page_data(form, role_title="VRU Director (interim)"))

    assert response.status_code == 302
    assert positions(seat) == [CHAIR]


# Access -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["owner", "chair"])
def test_only_staff_may_set_up_or_edit_a_group(persona_clients, persona, seats):
    client = persona_clients[persona]
    group = seats["director"].group
    before = snapshot()

    assert client.get(NEW).status_code == 403
    assert client.post(NEW, group_data()).status_code == 403
    assert client.get(edit_url(group)).status_code == 403
    changes = group_data(name=group.name, chair=seats["police"].pk, version=group.version)
    assert client.post(edit_url(group), changes).status_code == 403
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_sign_in(client, seats):
    group = seats["director"].group
    before = snapshot()

    for response in (
        client.get(NEW),
        client.post(NEW, group_data()),
        client.get(edit_url(group)),
        client.post(edit_url(group), group_data(name=group.name, version=group.version)),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert snapshot() == before


def test_an_unknown_group_is_404(staff_client, working_group):
    assert staff_client.get("/meetings/groups/999999/edit/").status_code == 404


# Two staff at once --------------------------------------------------------------------


def test_a_stale_edit_is_refused_with_409_and_shown_the_current_version(staff_client, seats):
    group = seats["director"].group
    colleague = second_staff_client(group)
    mine = page_data(staff_client.get(edit_url(group)).context["form"])
    theirs = page_data(colleague.get(edit_url(group)).context["form"])
    first = colleague.post(edit_url(group), {**theirs, "chair": seats["police"].pk})
    saved = snapshot()

    response = staff_client.post(
        edit_url(group), {**mine, "chair": seats["manager"].pk, "mission": "Mine."}
    )

    content = response.content.decode()
    assert first.status_code == 302
    assert response.status_code == 409
    assert snapshot() == saved
    assert positions(seats["police"], seats["manager"]) == [CHAIR, MEMBER]
    assert "Somebody else changed this group" in content
    assert "Mine." in content  # what was typed, kept
    assert hidden_version(response.context["form"]) in content

    again = staff_client.post(edit_url(group), page_data(response.context["form"]))

    assert again.status_code == 302
    assert positions(seats["police"], seats["manager"]) == [MEMBER, CHAIR]


# Hostile input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"name": "   "}, "This field is required."),
        ({"name": "Bell\x07Group"}, "control character"),
        ({"name": "x" * 201}, "at most 200 characters"),
        ({"kind": "boss"}, "Select a valid choice"),
        ({"meeting_frequency": "hourly"}, "Select a valid choice"),
        ({"default_format": "<script>"}, "Select a valid choice"),
        ({"in_person_every": "-1"}, "greater than or equal to 0"),
        ({"in_person_every": "99999999999999999999"}, "less than or equal to"),
        ({"in_person_every": "three"}, "Enter a whole number."),
        ({"review_date": "0024-03-31"}, "Enter a date between"),
        ({"tor_published": "9999-12-31"}, "Enter a date between"),
        ({"tor_published": "31/02/2025"}, "Enter a valid date."),
        ({"chair": "1 OR 1=1"}, "Select a valid choice"),
        ({"chair": "99999999999999999999"}, "Select a valid choice"),
        ({"vice_chair": "-5"}, "Select a valid choice"),
        ({"version": "not a number"}, "Enter a whole number."),
    ],
)
def test_hostile_input_gets_a_clear_error_and_changes_nothing(
    staff_client, seats, changes, message
):
    group = seats["director"].group
    form = staff_client.get(edit_url(group)).context["form"]
    before = snapshot()

    response = staff_client.post(edit_url(group), page_data(form, **changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


def test_a_post_without_a_version_is_refused(staff_client, seats):
    group = seats["director"].group
    form = staff_client.get(edit_url(group)).context["form"]
    before = snapshot()

    response = staff_client.post(edit_url(group), page_data(form, version=False, vision="X"))

    assert "This page is out of date" in response.content.decode()
    assert snapshot() == before
