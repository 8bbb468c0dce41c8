"""Many staff saving one meeting's first register at the same moment.

Each thread is a separate browser with its own database connection, all released
together by a barrier, so the saves really overlap. On PostgreSQL (CI) the race is
real: before the register was saved under a lock on its meeting, two of them inserted
the same seat's row and one answered 500 (attendance_one_row_per_seat). SQLite's
in-memory test database cannot hold two writers at once, so there the saves take turns
and the test checks the same outcome without the overlap: run it with DATABASE_URL
set to PostgreSQL to see the race.
"""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.db import connection
from django.test import Client

from meetings.models import Attendance, Meeting
from tests.factories import MeetingFactory, MembershipFactory
from tests.meetings.conftest import days_from_now

pytestmark = pytest.mark.django_db(transaction=True)

SAVES = 20


def _url(meeting: Meeting) -> str:
    return f"/meetings/{meeting.pk}/attendance/"


def _register(meeting: Meeting, seats, status_of) -> dict:
    """A register's POST data as the page sends it, opened on the empty register."""
    data = {"register-version": meeting.register_version}
    for index, seat in enumerate(seats):
        data[f"seat-{seat.pk}-status"] = status_of(index)
        data[f"seat-{seat.pk}-deputy_name"] = ""
    return data


def _save_at_once(user, meeting: Meeting, posts: list[dict]) -> list[int | str]:
    """POST each of `posts` from its own signed-in client and thread, all at once.

    Returns each answer's status code, or the exception a request raised (a 500).
    """
    clients = []
    for _ in posts:
        client = Client()
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(len(posts))
    # SQLite's in-memory test database refuses a second writer outright ("database table
    # is locked") rather than making it wait: there the saves take turns.
    turns = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()
    outcomes: list[int | str] = [0] * len(posts)

    def save(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            with turns:
                outcomes[index] = clients[index].post(_url(meeting), posts[index]).status_code
        except Exception as error:  # the test client re-raises what a 500 would hide
            outcomes[index] = f"{type(error).__name__}: {error}"
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(posts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a save never finished"
    return outcomes


@pytest.fixture
def meeting(working_group, staff_user, member_user, other_member_user, chair_user):
    """A meeting held last week with no register yet, and eight seats to record."""
    for number in range(4):
        MembershipFactory(group=working_group, role_title=f"Seat {number}")
    return MeetingFactory(group=working_group, starts_at=days_from_now(-7))


def test_the_same_first_register_sent_many_times_at_once_is_saved_once(staff_user, meeting):
    """A double click, or a nervous refresh, multiplied: every save succeeds, no 500."""
    seats = list(meeting.expected_memberships())
    post = _register(meeting, seats, lambda index: "present")

    outcomes = _save_at_once(staff_user, meeting, [post] * SAVES)

    assert outcomes == [302] * SAVES
    assert Attendance.objects.filter(meeting=meeting).count() == len(seats)
    assert set(Attendance.objects.values_list("status", flat=True)) == {"present"}
    # Each seat's row was written once: the later saves found nothing to change.
    assert Attendance.history.filter(meeting_id=meeting.pk).count() == len(seats)


def test_different_first_registers_sent_at_once_keep_one_and_refuse_the_rest(staff_user, meeting):
    """Each save started from the empty register: the first to arrive is kept whole, and
    every other is refused as stale (409) instead of mixing rows or failing with 500."""
    seats = list(meeting.expected_memberships())
    statuses = ["present", "absent", "apologies"]
    posts = [
        _register(meeting, seats, lambda index, n=n: statuses[(index + n) % 3])
        for n in range(SAVES)
    ]

    outcomes = _save_at_once(staff_user, meeting, posts)

    rows = dict(Attendance.objects.filter(meeting=meeting).values_list("membership", "status"))
    assert len(rows) == len(seats)

    def saved(post: dict) -> bool:
        return all(post[f"seat-{seat.pk}-status"] == rows[seat.pk] for seat in seats)

    # The rows are one save's register whole, not a mixture of several; a save that
    # would have changed them was refused, and one that matched them changed nothing.
    assert 302 in outcomes and 409 in outcomes, outcomes
    for post, outcome in zip(posts, outcomes, strict=True):
        assert outcome == (302 if saved(post) else 409), outcomes
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
