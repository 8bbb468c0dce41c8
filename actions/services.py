"""Writes that touch an action and its timeline together.

Every change writes an ActionUpdate, so the action page can say who changed what
and when. Changes to an existing action are optimistic-locked: the caller passes
the `version` it started from, and a save that started from an older version is
refused with EditConflict instead of overwriting someone else's work.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import formats, timezone

from actions.models import Action, ActionUpdate
from core.permissions import user_display_name
from meetings.models import Meeting
from members.models import Group

# With no meeting in the diary, an action is due about a quarter from now.
DEFAULT_DUE_DAYS = 90

# The fields staff may change through the edit form, in the order the timeline names them.
EDITABLE_FIELDS = (
    "title",
    "detail",
    "owner",
    "agency",
    "group",
    "meeting",
    "due_date",
    "toc_activity",
    "crest_recommendation",
    "performance_measure",
    "task_group",
)


class EditConflict(Exception):
    """Somebody else saved the action after this change was started."""

    def __init__(self, current: Action):
        super().__init__("The action was changed by somebody else.")
        self.current = current


class InvalidTransition(Exception):
    """The action's status does not allow this change (e.g. cancelling a done action)."""


def default_due_date(group: Group | None, today: dt.date | None = None) -> dt.date:
    """The date of the group's next meeting after today, else 90 days from today."""
    today = today or timezone.localdate()
    if group is not None:
        meeting = Meeting.objects.upcoming().filter(group=group, starts_at__date__gt=today).first()
        if meeting is not None:
            return timezone.localdate(meeting.starts_at)
    return today + dt.timedelta(days=DEFAULT_DUE_DAYS)


def author_name(user) -> str:
    """The name the timeline keeps for `user`, even if the account later goes."""
    return user_display_name(user)


def _locked(action_id: int, version: int) -> Action:
    """The action, locked for this transaction, if it is still at `version`."""
    current = Action.objects.select_for_update().get(pk=action_id)
    if current.version != version:
        raise EditConflict(Action.objects.select_related("owner", "agency").get(pk=action_id))
    return current


def _note(action: Action, by, *, text: str = "", old_status: str = "", new_status: str = ""):
    return ActionUpdate.objects.create(
        action=action,
        author=by,
        author_name=author_name(by),
        text=text,
        old_status=old_status,
        new_status=new_status,
    )


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "none"
    if isinstance(value, dt.date):
        return formats.date_format(value)
    return str(value)


def action_create(*, action: Action, by) -> Action:
    """Log a new action (built but unsaved), with its first timeline entry."""
    with transaction.atomic():
        if action.agency_id is None:
            action.agency = action.owner.agency
        if action.due_date is None:
            action.due_date = default_due_date(action.group)
        action.created_by = by
        action.save()
        _note(action, by, text="Action logged.", new_status=action.status)
    return action


def action_edit(*, action_id: int, version: int, values: dict[str, Any], by) -> Action:
    """Save staff's edits; the timeline records each changed field and any reassignment."""
    with transaction.atomic():
        action = _locked(action_id, version)
        changes: list[str] = []
        for name in EDITABLE_FIELDS:
            if name not in values:
                continue
            old, new = getattr(action, name), values[name]
            if old == new or (not old and not new):
                continue
            setattr(action, name, new)
            label = Action._meta.get_field(name).verbose_name
            if name == "owner":
                changes.append(f"Reassigned from {_shown(old)} to {_shown(new)}.")
            elif name == "detail":
                changes.append("Detail changed.")
            else:
                changes.append(f"{label.capitalize()} changed from {_shown(old)} to {_shown(new)}.")
        if not changes:
            return action
        action.version += 1
        action.save()
        _note(action, by, text=" ".join(changes))
    return action


def allowed_statuses(action: Action) -> list[str]:
    """Where progress can take an outstanding action: forward only, open → in progress → done."""
    if action.status == Action.Status.OPEN:
        return [Action.Status.OPEN, Action.Status.IN_PROGRESS, Action.Status.DONE]
    if action.status == Action.Status.IN_PROGRESS:
        return [Action.Status.IN_PROGRESS, Action.Status.DONE]
    return []


def action_report_progress(
    *, action_id: int, version: int, text: str, status: str, by, today: dt.date | None = None
) -> Action:
    """Post a progress note and/or move the status on; done needs a completion note."""
    with transaction.atomic():
        action = _locked(action_id, version)
        if status not in allowed_statuses(action):
            raise InvalidTransition(
                f"An action that is {action.get_status_display().lower()} cannot become "
                f"{Action.Status(status).label.lower()}."
            )
        if status == Action.Status.DONE and not text.strip():
            raise InvalidTransition("A short completion note is needed to mark an action done.")
        old_status = action.status
        if status != old_status:
            action.status = status
            if status == Action.Status.DONE:
                action.completed_on = today or timezone.localdate()
        action.version += 1
        action.save()
        _note(
            action,
            by,
            text=text.strip(),
            old_status=old_status if status != old_status else "",
            new_status=status if status != old_status else "",
        )
    return action


def action_cancel(*, action_id: int, version: int, reason: str, by) -> Action:
    """Cancel an outstanding action, keeping it in the log with the reason."""
    with transaction.atomic():
        action = _locked(action_id, version)
        if not action.is_outstanding:
            raise InvalidTransition("Only an open or in-progress action can be cancelled.")
        old_status = action.status
        action.status = Action.Status.CANCELLED
        action.cancelled_reason = reason.strip()
        action.version += 1
        action.save()
        _note(
            action,
            by,
            text=f"Cancelled: {reason.strip()}",
            old_status=old_status,
            new_status=action.status,
        )
    return action


def action_reopen(*, action_id: int, version: int, by) -> Action:
    """Open a done or cancelled action again; its history stays in the timeline."""
    with transaction.atomic():
        action = _locked(action_id, version)
        if action.is_outstanding:
            raise InvalidTransition("This action is already open.")
        old_status = action.status
        action.status = Action.Status.OPEN
        action.completed_on = None
        action.cancelled_reason = ""
        action.version += 1
        action.save()
        _note(action, by, text="Reopened.", old_status=old_status, new_status=action.status)
    return action
