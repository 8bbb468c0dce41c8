"""Two staff edit the same person, seat or group at once: the second save, started from
the version before the first, is refused (409) and shown the current version; nothing
the first saved is overwritten. A change made any other way (ending a seat, recording
the ToR as sent) makes an open edit stale too."""

import pytest
from django.utils import timezone

from members.models import Group, Membership, Person
from tests.factories import GroupFactory, MembershipFactory, PersonFactory
from tests.stale import hidden_version, page_data, second_staff_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague_client(working_group):
    return second_staff_client(working_group)


# A person -------------------------------------------------------------------------------


def test_the_second_of_two_person_edits_is_refused_and_shown_the_current_version(
    staff_client, colleague_client, member_user
):
    person = member_user.person
    url = f"/members/people/{person.pk}/edit/"
    mine = page_data(staff_client.get(url).context["form"])
    theirs = page_data(colleague_client.get(url).context["form"])
    first = colleague_client.post(url, {**theirs, "job_title": "Head of Communications"})
    saved = Person.objects.values().get(pk=person.pk)

    response = staff_client.post(url, {**mine, "full_name": "Olivia Owner"})

    content = response.content.decode()
    assert first.status_code == 302
    assert response.status_code == 409
    assert Person.objects.values().get(pk=person.pk) == saved
    assert "Somebody else changed Owner&#x27;s details" in content
    assert "The current version" in content
    assert "<td>Head of Communications</td>" in content
    assert 'value="Olivia Owner"' in content
    assert hidden_version(response.context["form"]) in content


def test_after_the_conflict_saving_again_applies_the_changes(
    staff_client, colleague_client, member_user
):
    url = f"/members/people/{member_user.person.pk}/edit/"
    mine = page_data(staff_client.get(url).context["form"])
    theirs = page_data(colleague_client.get(url).context["form"])
    colleague_client.post(url, {**theirs, "job_title": "Head of Communications"})
    refused = staff_client.post(url, {**mine, "full_name": "Olivia Owner"})

    response = staff_client.post(url, page_data(refused.context["form"]))

    assert response.status_code == 302
    person = Person.objects.get(pk=member_user.person.pk)
    # The form kept everything typed on the old page, the old job title too.
    assert (person.full_name, person.job_title) == ("Olivia Owner", "Communications Lead")


def test_a_stale_person_edit_that_changes_nothing_says_so(
    staff_client, colleague_client, member_user
):
    url = f"/members/people/{member_user.person.pk}/edit/"
    mine = page_data(staff_client.get(url).context["form"])
    theirs = page_data(colleague_client.get(url).context["form"])
    colleague_client.post(url, {**theirs, "job_title": "Head of Communications"})

    response = staff_client.post(url, {**mine, "job_title": "Head of Communications"}, follow=True)

    assert "Nothing was changed." in response.content.decode()


# A seat ---------------------------------------------------------------------------------


@pytest.fixture
def seat(working_group):
    return MembershipFactory(group=working_group, person=None, role_title="Council lead")


def _seat_url(seat) -> str:
    return f"/meetings/groups/{seat.group_id}/seats/{seat.pk}/edit/"


def test_the_second_of_two_seat_edits_is_refused_and_shown_the_current_version(
    staff_client, colleague_client, seat
):
    newcomer = PersonFactory(agency=seat.agency, full_name="Nia Newcomer")
    url = _seat_url(seat)
    mine = page_data(staff_client.get(url).context["form"])
    theirs = page_data(colleague_client.get(url).context["form"])
    colleague_client.post(url, {**theirs, "person": newcomer.pk})
    saved = Membership.objects.values().get(pk=seat.pk)

    response = staff_client.post(url, {**mine, "role_title": "Council communications lead"})

    content = response.content.decode()
    assert response.status_code == 409
    assert Membership.objects.values().get(pk=seat.pk) == saved
    assert "Somebody else changed this seat" in content
    rows = {row.label: row for row in response.context["conflict"]["differences"]}
    assert rows["Held by"].current == "Nia Newcomer"
    assert rows["Held by"].yours == ""
    assert 'value="Council communications lead"' in content
    assert hidden_version(response.context["form"]) in content


def test_ending_a_seat_makes_an_open_edit_of_it_stale(staff_client, colleague_client, seat):
    url = _seat_url(seat)
    mine = page_data(staff_client.get(url).context["form"])
    colleague_client.post(f"/meetings/groups/{seat.group_id}/seats/{seat.pk}/end/")

    response = staff_client.post(url, {**mine, "role_title": "Council communications lead"})

    assert response.status_code == 409
    seat.refresh_from_db()
    assert (seat.role_title, seat.end_date) == ("Council lead", timezone.localdate())


def test_recording_the_tor_as_sent_makes_an_open_seat_edit_stale(
    staff_client, colleague_client, seat
):
    url = _seat_url(seat)
    mine = page_data(staff_client.get(url).context["form"])
    colleague_client.post(
        f"/members/distribution-list/seats/{seat.pk}/tor-sent/",
        {f"seat-{seat.pk}-tor_sent_on": timezone.localdate().isoformat()},
    )

    response = staff_client.post(url, {**mine, "role_title": "Council communications lead"})

    assert response.status_code == 409
    seat.refresh_from_db()
    assert seat.tor_sent_on == timezone.localdate()
    assert seat.role_title == "Council lead"


# A group (a Task and Finish group: a working group's facts are edited in the admin) ----


def test_the_second_of_two_group_edits_is_refused_and_shown_the_current_version(
    staff_client, colleague_client, working_group
):
    group = GroupFactory(
        kind=Group.Kind.TASK_AND_FINISH, parent=working_group, name="Website Task and Finish Group"
    )
    url = f"/meetings/groups/{group.pk}/edit/"
    mine = page_data(staff_client.get(url).context["form"])
    theirs = page_data(colleague_client.get(url).context["form"])
    colleague_client.post(url, {**theirs, "purpose": "Build the VRP website (ToC 3.a)."})
    saved = Group.objects.values().get(pk=group.pk)

    response = staff_client.post(url, {**mine, "name": "Website Group"})

    content = response.content.decode()
    assert response.status_code == 409
    assert Group.objects.values().get(pk=group.pk) == saved
    assert "Somebody else changed this group" in content
    assert "<td>Build the VRP website (ToC 3.a).</td>" in content
    assert 'value="Website Group"' in content
    assert hidden_version(response.context["form"]) in content


def test_every_save_moves_the_version_on_whoever_makes_it(seat):
    """The admin, a command or a button: any save of a seat makes open edits stale."""
    before = seat.version
    seat.tor_sent_on = timezone.localdate()
    seat.save(update_fields=["tor_sent_on"])
    stale_copy = Membership.objects.get(pk=seat.pk)
    Membership.objects.get(pk=seat.pk).save()

    stale_copy.save()  # an older copy still moves the version past the newer save

    assert Membership.objects.get(pk=seat.pk).version == before + 3
