import datetime as dt
import re

import pytest
from django.utils import timezone

from meetings.models import Attendance, Meeting
from members.models import Membership
from tests.factories import MeetingFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def url(meeting) -> str:
    return f"/meetings/{meeting.pk}/attendance/"


def register_data(choices: dict, meeting: Meeting) -> dict:
    """POST data: {seat: status or (status, deputy's name)}, from the register as it is now."""
    meeting.refresh_from_db(fields=["register_version"])
    data = {"register-version": meeting.register_version}
    for seat, choice in choices.items():
        status, deputy = choice if isinstance(choice, tuple) else (choice, "")
        data[f"seat-{seat.pk}-status"] = status
        data[f"seat-{seat.pk}-deputy_name"] = deputy
    return data


@pytest.fixture
def seats(working_group, staff_user, member_user, other_member_user, chair_user):
    """The four personas' seats, plus a vacant one, in the order the register lists them."""
    MembershipFactory(group=working_group, person=None, role_title="Solent Health")
    return list(working_group.memberships.order_by("agency__order", "agency__name", "order", "pk"))


@pytest.mark.parametrize("persona", ["owner", "other_member", "chair"])
def test_only_staff_may_open_or_save_the_register(persona_clients, persona, past_meeting, seats):
    client = persona_clients[persona]

    assert client.get(url(past_meeting)).status_code == 403
    response = client.post(
        url(past_meeting), register_data({s: "present" for s in seats}, past_meeting)
    )

    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, past_meeting):
    response = client.post(url(past_meeting), {})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_lists_every_expected_seat_vacant_ones_as_vacant(staff_client, past_meeting, seats):
    MembershipFactory(
        group=past_meeting.group,
        role_title="Education",
        attendance_status=Membership.AttendanceStatus.NOT_YET_REQUIRED,
    )
    MembershipFactory(
        group=past_meeting.group,
        role_title="Left last year",
        end_date=timezone.localdate() - dt.timedelta(days=365),
    )

    response = staff_client.get(url(past_meeting))

    content = response.content.decode()
    assert [seat.membership for seat in response.context["seats"]] == seats
    assert "Vacant seat" in content
    assert "Education" not in content
    assert "Left last year" not in content
    for seat in seats:
        assert f'name="seat-{seat.pk}-status"' in content


def test_staff_save_every_row_in_one_post(staff_client, staff_user, past_meeting, seats):
    statuses = ["present", "apologies", ("deputy", "Sam Deputy"), "absent", "absent"]
    choices = dict(zip(seats, statuses, strict=True))

    response = staff_client.post(
        url(past_meeting), register_data(choices, past_meeting), follow=True
    )

    assert response.redirect_chain[-1][0] == f"/meetings/{past_meeting.pk}/"
    rows = {row.membership: row for row in Attendance.objects.filter(meeting=past_meeting)}
    assert len(rows) == 5
    assert rows[seats[0]].status == "present"
    assert (rows[seats[2]].status, rows[seats[2]].deputy_name) == ("deputy", "Sam Deputy")
    assert rows[seats[0]].person == seats[0].person
    content = response.content.decode()
    assert "Attendance saved for" in content
    assert "2 of 5 present (1 by deputy), 1 apology, 2 absent" in content


def test_a_bad_row_saves_nothing_and_is_marked_beside_it(staff_client, past_meeting, seats):
    choices = {seat: "present" for seat in seats}
    choices[seats[1]] = ("deputy", "  ")

    response = staff_client.post(url(past_meeting), register_data(choices, past_meeting))

    assert response.status_code == 200
    assert not Attendance.objects.exists()
    content = response.content.decode()
    assert "Nothing was saved" in content
    assert "Enter the name of the deputy who attended." in content
    error_id = f"seat-{seats[1].pk}-deputy_name-error"
    assert f'id="{error_id}"' in content
    assert f'aria-describedby="{error_id}"' in content
    # What was entered is kept for the correction.
    assert re.search(rf'name="seat-{seats[0].pk}-status" value="present"[^>]*checked', content)
    assert re.search(rf'name="seat-{seats[1].pk}-status" value="deputy"[^>]*checked', content)


def test_reopening_shows_what_was_saved_and_it_can_be_corrected(staff_client, past_meeting, seats):
    staff_client.post(url(past_meeting), register_data({s: "present" for s in seats}, past_meeting))

    response = staff_client.get(url(past_meeting))
    assert [seat.form["status"].value() for seat in response.context["seats"]] == ["present"] * 5
    content = response.content.decode()
    for seat in seats:
        assert re.search(rf'name="seat-{seat.pk}-status" value="present"[^>]*checked', content)

    choices = {s: "present" for s in seats}
    choices[seats[0]] = "apologies"
    staff_client.post(url(past_meeting), register_data(choices, past_meeting))

    assert Attendance.objects.get(membership=seats[0]).status == "apologies"
    assert Attendance.objects.filter(meeting=past_meeting).count() == 5


def test_a_recorded_seat_cannot_be_blanked(staff_client, past_meeting, seats):
    staff_client.post(url(past_meeting), register_data({s: "present" for s in seats}, past_meeting))
    data = register_data({s: "absent" for s in seats}, past_meeting)
    del data[f"seat-{seats[0].pk}-status"]

    response = staff_client.post(url(past_meeting), data)

    assert "a recorded seat cannot be left blank" in response.content.decode()
    assert set(Attendance.objects.values_list("status", flat=True)) == {"present"}


def test_seats_may_wait_to_be_recorded(staff_client, upcoming_meeting, seats):
    staff_client.post(
        url(upcoming_meeting), register_data({seats[0]: "apologies"}, upcoming_meeting)
    )

    assert list(Attendance.objects.values_list("membership", "status")) == [
        (seats[0].pk, "apologies")
    ]
    upcoming_meeting.refresh_from_db()
    assert upcoming_meeting.status == Meeting.Status.SCHEDULED


def test_who_changed_what_is_kept_and_shown(staff_client, staff_user, past_meeting, seats):
    staff_client.post(url(past_meeting), register_data({seats[0]: "present"}, past_meeting))
    staff_client.post(url(past_meeting), register_data({seats[0]: "apologies"}, past_meeting))

    history = Attendance.history.filter(membership_id=seats[0].pk).order_by("history_id")
    assert [(h.status, h.history_user) for h in history] == [
        ("present", staff_user),
        ("apologies", staff_user),
    ]
    content = staff_client.get(url(past_meeting)).content.decode()
    assert "Last changed by Staff on" in content
    assert "Changes to this register" in content
    assert "<td>Present</td>" in content and "<td>Apologies</td>" in content
    detail = staff_client.get(f"/meetings/{past_meeting.pk}/").content.decode()
    assert "Register last changed by Staff on" in detail


def test_saving_a_started_meetings_register_marks_it_held(staff_client, past_meeting, seats):
    staff_client.post(url(past_meeting), register_data({seats[0]: "present"}, past_meeting))

    past_meeting.refresh_from_db()
    assert past_meeting.status == Meeting.Status.HELD
    assert past_meeting.sequence == 1


def test_a_cancelled_meeting_has_no_register(staff_client, working_group, seats):
    meeting = MeetingFactory(group=working_group, status=Meeting.Status.CANCELLED)

    response = staff_client.post(url(meeting), register_data({seats[0]: "present"}, meeting))

    assert "has no register" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_row_keeps_who_held_the_seat_on_the_day(staff_client, past_meeting, seats):
    seat = seats[0]
    holder = seat.person
    staff_client.post(url(past_meeting), register_data({seat: "present"}, past_meeting))
    seat.person = PersonFactory()
    seat.save()

    response = staff_client.get(url(past_meeting))

    assert Attendance.objects.get(membership=seat).person == holder
    assert response.context["seats"][0].holder == holder


def test_before_the_meetings_day_only_apologies_can_be_recorded(
    staff_client, upcoming_meeting, seats
):
    data = register_data({seats[0]: "apologies", seats[1]: "present"}, upcoming_meeting)

    response = staff_client.post(url(upcoming_meeting), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was saved" in content
    assert "only apologies sent in advance can be recorded" in content
    assert f'id="seat-{seats[1].pk}-status-error"' in content
    assert not Attendance.objects.exists()


def test_before_the_meetings_day_the_register_asks_only_for_apologies(
    staff_client, upcoming_meeting, seats
):
    content = staff_client.get(url(upcoming_meeting)).content.decode()

    assert "This meeting has not happened yet" in content
    assert "Mark every filled seat not yet chosen as present" not in content
