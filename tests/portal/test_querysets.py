import datetime as dt

import pytest
from django.utils import timezone

from actions.models import Action
from meetings.models import Meeting
from members.models import Membership
from tests.factories import ActionFactory, MeetingFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_outstanding_overdue_and_owned_by_chain():
    today = timezone.localdate()
    owner = PersonFactory()
    late = ActionFactory(owner=owner, due_date=today - dt.timedelta(days=1))
    in_progress = ActionFactory(owner=owner, status=Action.Status.IN_PROGRESS, due_date=today)
    ActionFactory(owner=owner, status=Action.Status.DONE, completed_on=today, due_date=today)
    ActionFactory(owner=owner, status=Action.Status.CANCELLED, due_date=today)
    ActionFactory(due_date=today - dt.timedelta(days=3))

    assert set(Action.objects.outstanding().owned_by(owner)) == {late, in_progress}
    assert list(Action.objects.overdue().owned_by(owner)) == [late]
    assert list(Action.objects.owned_by(None)) == []
    assert late.is_overdue() and not in_progress.is_overdue()


def test_upcoming_and_past_meetings():
    now = timezone.now()
    soon = MeetingFactory(starts_at=now + dt.timedelta(days=1))
    later = MeetingFactory(starts_at=now + dt.timedelta(days=20))
    MeetingFactory(starts_at=now + dt.timedelta(days=2), status=Meeting.Status.CANCELLED)
    held = MeetingFactory(starts_at=now - dt.timedelta(days=10))

    assert list(Meeting.objects.upcoming()) == [soon, later]
    assert list(Meeting.objects.past()) == [held]


def test_expected_seats_are_required_and_active_on_the_day():
    meeting = MeetingFactory(starts_at=timezone.now() + dt.timedelta(days=5))
    required = MembershipFactory(group=meeting.group)
    MembershipFactory(
        group=meeting.group, attendance_status=Membership.AttendanceStatus.NOT_YET_REQUIRED
    )
    MembershipFactory(group=meeting.group, end_date=timezone.localdate())
    MembershipFactory(group=meeting.group, start_date=timezone.localdate() + dt.timedelta(days=30))
    vacant = MembershipFactory(group=meeting.group, person=None)

    assert set(meeting.expected_memberships()) == {required, vacant}
