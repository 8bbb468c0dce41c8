"""Attendance monitoring on a frozen clock, at the edges of "now" and of London's day.

"Missed the last two meetings" counts only meetings that have started: apologies sent
ahead of a meeting later today, or a register filled in early on the day, must not
push a held meeting out of the last two.
"""

import datetime as dt

import pytest
import time_machine

from core.quarters import Quarter
from meetings.selectors import agencies_missing_last_two, last_registered_meetings
from tests.factories import (
    AgencyFactory,
    AttendanceFactory,
    MeetingFactory,
    MembershipFactory,
    london,
)

pytestmark = pytest.mark.django_db

LATE_EVENING = london(2024, 6, 30, 23, 45)  # 22:45 in UTC, the last day of 2024-25 Q1
AFTER_MIDNIGHT = london(2024, 7, 1, 0, 30)  # 23:30 on 30 June in UTC, yet 2024-25 Q2


@pytest.fixture
def seats(working_group):
    police = MembershipFactory(group=working_group, agency=AgencyFactory(name="Police"))
    fire = MembershipFactory(group=working_group, agency=AgencyFactory(name="Fire"))
    return police, fire


def _register(group, starts_at, rows):
    """A meeting with a register row for each (seat, status)."""
    meeting = MeetingFactory(group=group, starts_at=starts_at)
    for seat, status in rows:
        AttendanceFactory(meeting=meeting, membership=seat, status=status)
    return meeting


def test_a_meeting_later_today_is_not_among_the_last_two(chair_client, working_group, seats):
    police, fire = seats
    with time_machine.travel(LATE_EVENING, tick=False):
        fortnight = _register(
            working_group, london(2024, 6, 16, 10), [(police, "present"), (fire, "absent")]
        )
        week = _register(
            working_group, london(2024, 6, 23, 10), [(police, "absent"), (fire, "absent")]
        )
        # Ten minutes ahead: apologies sent in advance, and Fire marked present early.
        _register(
            working_group, london(2024, 6, 30, 23, 55), [(police, "apologies"), (fire, "present")]
        )

        missed = agencies_missing_last_two(working_group)
        last_two = last_registered_meetings(working_group, 2)
        response = chair_client.get(
            "/meetings/attendance/",
            {"group": working_group.pk, "start": "2023-24 Q2", "end": "2024-25 Q1"},
        )

    assert [row.name for row in missed] == ["Fire"]
    assert last_two == [week, fortnight]
    assert [row.name for row in response.context["missed"]] == ["Fire"]
    assert response.context["last_two"] == [week, fortnight]
    assert response.context["meeting_count"] == 2


def test_a_meeting_counts_from_the_moment_it_starts(working_group, seats):
    police, fire = seats
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        _register(working_group, london(2024, 6, 23, 10), [(police, "absent"), (fire, "present")])
        now = _register(working_group, AFTER_MIDNIGHT, [(police, "absent"), (fire, "absent")])
        # Tomorrow's meeting, with a register taken ahead of it.
        _register(
            working_group,
            AFTER_MIDNIGHT + dt.timedelta(days=1),
            [(police, "present"), (fire, "present")],
        )

        missed = agencies_missing_last_two(working_group)

        assert last_registered_meetings(working_group, 1) == [now]
    assert [row.name for row in missed] == ["Police"]


def test_just_after_london_midnight_the_default_range_ends_with_the_new_quarter(
    chair_client, working_group, seats
):
    police, _ = seats
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        _register(working_group, london(2024, 7, 1, 0, 15), [(police, "absent")])

        response = chair_client.get("/meetings/attendance/")

    assert (response.context["start"], response.context["end"]) == (
        Quarter(2023, 3),
        Quarter(2024, 2),
    )
    assert response.context["meeting_count"] == 1
