import pytest
from django.core.exceptions import ValidationError

from meetings.models import Attendance
from meetings.services import AttendanceRow, attendance_record
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_bad_row_rolls_back_the_rows_before_it(past_meeting):
    first, second = MembershipFactory.create_batch(2, group=past_meeting.group)
    rows = [AttendanceRow(first, "present"), AttendanceRow(second, "deputy", "")]

    with pytest.raises(ValidationError, match="Name the deputy"):
        attendance_record(meeting=past_meeting, rows=rows, by=UserFactory())

    assert not Attendance.objects.exists()
    past_meeting.refresh_from_db()
    assert past_meeting.status == "scheduled"


def test_a_seat_of_another_group_is_refused(past_meeting):
    stranger = MembershipFactory()

    with pytest.raises(ValidationError, match="is not a seat on"):
        attendance_record(meeting=past_meeting, rows=[AttendanceRow(stranger, "present")], by=None)

    assert not Attendance.objects.exists()


def test_only_rows_that_change_are_written(past_meeting):
    seat, other = MembershipFactory.create_batch(2, group=past_meeting.group)
    user = UserFactory()
    attendance_record(
        meeting=past_meeting,
        rows=[AttendanceRow(seat, "present"), AttendanceRow(other, "absent")],
        by=user,
    )

    changed = attendance_record(
        meeting=past_meeting,
        rows=[AttendanceRow(seat, "present"), AttendanceRow(other, "apologies")],
        by=user,
    )

    assert changed == 1
    assert Attendance.history.filter(membership_id=seat.pk).count() == 1
    assert Attendance.history.filter(membership_id=other.pk).first().history_user == user


def test_a_deputys_name_is_kept_only_for_a_deputy(past_meeting):
    seat = MembershipFactory(group=past_meeting.group)

    attendance_record(
        meeting=past_meeting, rows=[AttendanceRow(seat, "present", "Left over")], by=None
    )

    assert Attendance.objects.get().deputy_name == ""


def test_nobody_can_be_present_before_the_meetings_day(upcoming_meeting):
    seat = MembershipFactory(group=upcoming_meeting.group)

    with pytest.raises(ValidationError, match="only apologies"):
        attendance_record(meeting=upcoming_meeting, rows=[AttendanceRow(seat, "present")], by=None)

    assert not Attendance.objects.exists()
