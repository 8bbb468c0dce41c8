import datetime as dt

import pytest
from django.utils import timezone

from meetings.models import Attendance
from tests.factories import AttendanceFactory, MeetingFactory, MembershipFactory


def days_from_now(days: int) -> dt.datetime:
    """A whole hour in London, `days` from now: meetings start on the hour."""
    moment = timezone.localtime() + dt.timedelta(days=days)
    return moment.replace(hour=10, minute=0, second=0, microsecond=0)


@pytest.fixture
def past_meeting(working_group):
    return MeetingFactory(group=working_group, starts_at=days_from_now(-7))


@pytest.fixture
def upcoming_meeting(working_group):
    return MeetingFactory(group=working_group, starts_at=days_from_now(14))


def record(meeting, *statuses: str, group=None) -> list[Attendance]:
    """Register rows for new seats on the meeting's group, one per status."""
    rows = []
    for status in statuses:
        seat = MembershipFactory(group=group or meeting.group)
        rows.append(
            AttendanceFactory(
                meeting=meeting,
                membership=seat,
                person=seat.person,
                status=status,
                deputy_name="A. Deputy" if status == Attendance.Status.DEPUTY else "",
            )
        )
    return rows
