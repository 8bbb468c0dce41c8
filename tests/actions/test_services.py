import datetime as dt

import pytest
from django.utils import timezone

from actions import services
from actions.models import Action
from tests.factories import ActionFactory, GroupFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_the_default_due_date_is_the_groups_next_meeting_after_today(working_group):
    now = timezone.now()
    # Halfway to London's midnight: still today whatever the clock says (at 23:45, "in
    # 30 minutes" would be tomorrow).
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    midnight += dt.timedelta(days=1)
    MeetingFactory(group=working_group, starts_at=now + (midnight - now) / 2)  # later today
    MeetingFactory(group=GroupFactory(), starts_at=now + dt.timedelta(days=10))
    cancelled = MeetingFactory(group=working_group, starts_at=now + dt.timedelta(days=20))
    cancelled.status = "cancelled"
    cancelled.save()
    next_one = MeetingFactory(group=working_group, starts_at=now + dt.timedelta(days=45))
    MeetingFactory(group=working_group, starts_at=now + dt.timedelta(days=120))

    assert services.default_due_date(working_group) == timezone.localdate(next_one.starts_at)


def test_with_no_meeting_ahead_the_default_is_90_days(working_group):
    today = dt.date(2025, 1, 10)

    assert services.default_due_date(working_group, today=today) == dt.date(2025, 4, 10)


def test_every_change_bumps_the_version_and_writes_the_timeline(staff_user):
    action = ActionFactory()

    services.action_report_progress(
        action_id=action.pk, version=1, text="Started.", status="in_progress", by=staff_user
    )
    services.action_report_progress(
        action_id=action.pk, version=2, text="Finished.", status="done", by=staff_user
    )
    services.action_reopen(action_id=action.pk, version=3, by=staff_user)
    services.action_cancel(action_id=action.pk, version=4, reason="Dropped.", by=staff_user)

    action.refresh_from_db()
    assert action.version == 5
    assert action.status == Action.Status.CANCELLED
    assert [(u.old_status, u.new_status) for u in action.updates.all()] == [
        ("open", "in_progress"),
        ("in_progress", "done"),
        ("done", "open"),
        ("open", "cancelled"),
    ]


def test_a_stale_version_raises_a_conflict_with_the_current_action(staff_user):
    action = ActionFactory()
    services.action_report_progress(
        action_id=action.pk, version=1, text="Started.", status="in_progress", by=staff_user
    )

    with pytest.raises(services.EditConflict) as refused:
        services.action_edit(
            action_id=action.pk, version=1, values={"title": "Overwrite"}, by=staff_user
        )

    assert refused.value.current.status == "in_progress"
    assert Action.objects.get(pk=action.pk).title == action.title


def test_done_without_a_note_is_refused_by_the_service_too(staff_user):
    action = ActionFactory()

    with pytest.raises(services.InvalidTransition):
        services.action_report_progress(
            action_id=action.pk, version=1, text="  ", status="done", by=staff_user
        )

    assert Action.objects.get(pk=action.pk).status == "open"
