import pytest
from django.utils import timezone

from meetings.models import Attendance
from members.models import Group, Membership
from tests.factories import (
    AgencyFactory,
    GroupFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
)
from tests.meetings.conftest import days_from_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def task_group(working_group):
    return GroupFactory(
        kind=Group.Kind.TASK_AND_FINISH, parent=working_group, name="Website Task and Finish Group"
    )


def seat_data(agency, **changes) -> dict:
    data = {
        "agency": agency.pk,
        "role_title": "Web lead",
        "position": "member",
        "person": "",
        "attendance_status": "required",
    }
    return {**data, **changes}


@pytest.mark.parametrize("persona", ["owner", "other_member", "chair"])
def test_only_staff_may_manage_task_and_finish_groups(persona_clients, persona, task_group):
    client = persona_clients[persona]
    seat = MembershipFactory(group=task_group)
    before = (list(Group.objects.values()), list(Membership.objects.values()))

    for path in (
        "/meetings/groups/",
        "/meetings/groups/new/",
        f"/meetings/groups/{task_group.pk}/",
        f"/meetings/groups/{task_group.pk}/edit/",
        f"/meetings/groups/{task_group.pk}/seats/new/",
        f"/meetings/groups/{task_group.pk}/seats/{seat.pk}/edit/",
    ):
        assert client.get(path).status_code == 403, path
    assert client.post("/meetings/groups/new/", {"name": "X"}).status_code == 403
    end = client.post(f"/meetings/groups/{task_group.pk}/seats/{seat.pk}/end/")
    assert end.status_code == 403
    assert (list(Group.objects.values()), list(Membership.objects.values())) == before


def test_staff_form_a_task_and_finish_group_under_a_working_group(staff_client, working_group):
    response = staff_client.post(
        "/meetings/groups/new/",
        {
            "parent": working_group.pk,
            "name": "Website Task and Finish Group",
            "short_name": "Website T&F",
            "purpose": "Build the VRP website (ToC 3.a).",
            "meeting_frequency": "monthly",
            "default_format": "teams",
            "in_person_every": "0",
        },
        follow=True,
    )

    group = Group.objects.get(name="Website Task and Finish Group")
    assert (group.kind, group.parent) == (Group.Kind.TASK_AND_FINISH, working_group)
    assert response.redirect_chain[-1][0] == f"/meetings/groups/{group.pk}/"
    assert "Now add its seats" in response.content.decode()


def test_staff_add_edit_and_end_its_seats(staff_client, task_group):
    agency = AgencyFactory()
    person = PersonFactory(agency=agency)
    base = f"/meetings/groups/{task_group.pk}/seats"

    staff_client.post(f"{base}/new/", seat_data(agency, person=person.pk))
    seat = Membership.objects.get(group=task_group)
    assert (seat.role_title, seat.person) == ("Web lead", person)

    staff_client.post(
        f"{base}/{seat.pk}/edit/",
        seat_data(agency, role_title="Digital lead", version=seat.version),
    )
    seat.refresh_from_db()
    assert (seat.role_title, seat.person) == ("Digital lead", None)

    assert staff_client.get(f"{base}/{seat.pk}/end/").status_code == 405
    staff_client.post(f"{base}/{seat.pk}/end/")
    seat.refresh_from_db()
    assert seat.end_date == timezone.localdate()
    content = staff_client.get(f"/meetings/groups/{task_group.pk}/").content.decode()
    assert f"Until {seat.end_date:%-d %B %Y}" in content
    assert f"/seats/{seat.pk}/end/" not in content


def test_a_seat_cannot_be_added_twice(staff_client, task_group):
    seat = MembershipFactory(group=task_group, role_title="Web lead")

    response = staff_client.post(
        f"/meetings/groups/{task_group.pk}/seats/new/", seat_data(seat.agency)
    )

    assert "already has a seat with this role" in response.content.decode()
    assert Membership.objects.filter(group=task_group).count() == 1


def test_staff_fill_and_end_a_working_groups_seats_here_too(staff_client, working_group):
    vacant = MembershipFactory(group=working_group, person=None, role_title="Council lead")
    newcomer = PersonFactory(agency=vacant.agency, full_name="Nia Newcomer")

    page = staff_client.get(f"/meetings/groups/{working_group.pk}/")
    filled = staff_client.post(
        f"/meetings/groups/{working_group.pk}/seats/{vacant.pk}/edit/",
        seat_data(
            vacant.agency, role_title="Council lead", person=newcomer.pk, version=vacant.version
        ),
    )
    ended = staff_client.post(f"/meetings/groups/{working_group.pk}/seats/{vacant.pk}/end/")

    assert page.status_code == 200
    assert "Council lead" in page.content.decode()
    assert "Edit the group" in page.content.decode()  # its facts are edited in the portal now
    assert filled.status_code == ended.status_code == 302
    vacant.refresh_from_db()
    assert vacant.person == newcomer
    assert vacant.end_date == timezone.localdate()
    assert staff_client.get(f"/meetings/groups/{working_group.pk}/edit/").status_code == 200


def test_a_task_and_finish_groups_meeting_has_its_own_register(staff_client, task_group):
    own = MembershipFactory(group=task_group, role_title="Web lead")
    meeting = MeetingFactory(group=task_group, starts_at=days_from_now(-2))

    register = staff_client.get(f"/meetings/{meeting.pk}/attendance/")
    assert [s.membership for s in register.context["seats"]] == [own]

    staff_client.post(
        f"/meetings/{meeting.pk}/attendance/",
        {
            f"seat-{own.pk}-status": "present",
            f"seat-{own.pk}-deputy_name": "",
            "register-version": meeting.register_version,
        },
    )
    assert Attendance.objects.get().membership == own
    detail = staff_client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "1 of 1 present, 0 apologies" in detail
    assert "Task and Finish group of" in detail


def test_the_groups_page_lists_task_and_finish_groups_by_working_group(staff_client, task_group):
    content = staff_client.get("/meetings/groups/").content.decode()

    assert task_group.parent.name in content
    assert task_group.name in content
