import re

import pytest

from meetings.models import Attendance, Meeting
from meetings.services import AttendanceRow, attendance_record
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    GroupFactory,
    KeyUpdateFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)
from tests.meetings.conftest import days_from_now, record

pytestmark = pytest.mark.django_db


def test_it_requires_sign_in(client, past_meeting):
    response = client.get(f"/meetings/{past_meeting.pk}/")

    assert response.status_code == 302


@pytest.mark.parametrize("persona", ["owner", "other_member", "chair", "staff"])
def test_every_signed_in_role_sees_a_meeting(persona_clients, persona, past_meeting):
    response = persona_clients[persona].get(f"/meetings/{past_meeting.pk}/")

    assert response.status_code == 200
    assert response.context["meeting"] == past_meeting


def test_an_unknown_meeting_answers_404(member_client):
    assert member_client.get("/meetings/999999/").status_code == 404


def test_it_shows_details_the_register_summary_and_who_attended(member_client, working_group):
    meeting = MeetingFactory(
        group=working_group,
        starts_at=days_from_now(-3),
        format=Meeting.Format.HYBRID,
        location="Fire Headquarters, Eastleigh",
        online_link="https://teams.example.org/meet/1",
    )
    present, deputy = record(meeting, "present", "deputy")
    MembershipFactory(group=working_group, person=None, role_title="Solent Health")

    response = member_client.get(f"/meetings/{meeting.pk}/")

    content = response.content.decode()
    assert "Hybrid" in content
    assert "Fire Headquarters, Eastleigh" in content
    assert 'href="https://teams.example.org/meet/1"' in content
    # Two recorded of the member's seat, the two above and a vacant seat.
    assert "2 of 4 present (1 by deputy), 0 apologies, 2 not recorded" in content
    assert present.person.full_name in content
    assert "A. Deputy" in content
    assert "Vacant seat" in content


def test_it_shows_the_actions_section_and_key_updates(member_client, past_meeting):
    ActionFactory(group=past_meeting.group, meeting=past_meeting, title="Draft the brand")
    KeyUpdateFactory(meeting=past_meeting, text="The brand was approved.", kind="decision")

    content = member_client.get(f"/meetings/{past_meeting.pk}/").content.decode()

    assert "Draft the brand" in content
    assert "Decision:</strong> The brand was approved." in content
    assert "Raised to the SVRP" in content


def test_members_are_not_offered_the_register_or_key_update_form(member_client, past_meeting):
    content = member_client.get(f"/meetings/{past_meeting.pk}/").content.decode()

    assert "Record attendance" not in content
    assert "Add a key update or decision" not in content


def test_staff_are_offered_the_register_and_the_chair_the_key_update_form(
    staff_client, chair_client, past_meeting
):
    staff_page = staff_client.get(f"/meetings/{past_meeting.pk}/").content.decode()
    chair_page = chair_client.get(f"/meetings/{past_meeting.pk}/").content.decode()

    assert f"/meetings/{past_meeting.pk}/attendance/" in staff_page
    assert f"/meetings/{past_meeting.pk}/attendance/" not in chair_page
    assert "Add a key update or decision" in chair_page


def test_a_cancelled_meeting_says_so_and_has_no_register(staff_client, working_group):
    meeting = MeetingFactory(group=working_group, status=Meeting.Status.CANCELLED)

    content = staff_client.get(f"/meetings/{meeting.pk}/").content.decode()

    assert "This meeting will not take place" in content
    assert "Record attendance" not in content


def _fill(meeting, seats: int) -> None:
    for row in record(meeting, *["present"] * seats):
        ActionFactory(group=meeting.group, meeting=meeting, owner=row.person)
        KeyUpdateFactory(meeting=meeting)
    earlier = MeetingFactory(group=meeting.group, starts_at=days_from_now(-400 - seats))
    ActionFactory.create_batch(seats, group=meeting.group, meeting=earlier)


def test_the_query_count_is_the_same_at_small_and_ten_times_the_data(
    member_client, past_meeting, django_assert_num_queries
):
    url = f"/meetings/{past_meeting.pk}/"
    _fill(past_meeting, 2)
    member_client.get(url)
    with django_assert_num_queries(11) as small:
        member_client.get(url)

    _fill(past_meeting, 20)
    with django_assert_num_queries(len(small.captured_queries)):
        response = member_client.get(url)
    assert response.context["summary"].present == 22
    assert Attendance.objects.filter(meeting=past_meeting).count() == 22


def test_an_administrator_who_kept_the_register_is_named_without_their_email(
    member_client, past_meeting
):
    root = UserFactory(email="root@example.org", is_superuser=True)
    seat = MembershipFactory(group=past_meeting.group)
    rows = [AttendanceRow(membership=seat, status=Attendance.Status.PRESENT, deputy_name="")]
    attendance_record(meeting=past_meeting, rows=rows, by=root)

    content = member_client.get(f"/meetings/{past_meeting.pk}/").content.decode()

    assert "Register last changed by a portal administrator on" in content
    assert "root@example.org" not in content


def test_the_staff_log_form_offers_the_meetings_group_not_everybody(staff_client, working_group):
    """At scale every active person made the staff page ten times heavier than a member's."""
    meeting = MeetingFactory(group=GroupFactory(name="Youth Working Group"))
    PersonFactory.create_batch(300, agency=AgencyFactory())
    seated = MembershipFactory.create_batch(3, group=meeting.group)
    others = MembershipFactory(group=working_group)

    response = staff_client.get(f"/meetings/{meeting.pk}/")

    content = response.content.decode()
    form = re.search(r'<select name="log-owner".*?</select>', content, re.S).group()
    offered = set(re.findall(r'<option value="(\d+)"', form))
    assert offered == {str(seat.person_id) for seat in seated}
    assert str(others.person_id) not in offered
    assert 'data-owner-url="/actions/owners/?active=1"' in content
    assert len(response.content) < 60_000
