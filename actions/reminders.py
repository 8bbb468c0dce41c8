"""Reminder emails: 7 days before an action is due, on the day, and a weekly overdue digest.

Idempotent: each reminder is recorded in ReminderSent in the same transaction as
its email is sent, and the table's unique constraints refuse a second record, so
running the job twice (or twice a day) never sends the same reminder twice. If
the email fails, the record is rolled back and the next run tries again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from actions.models import Action, ReminderSent
from core.emails import templated_email
from members.models import Person

logger = logging.getLogger(__name__)

DUE_SOON_DAYS = 7
Kind = ReminderSent.Kind


def action_url(action: Action) -> str:
    return settings.SITE_URL + reverse("actions:detail", args=[action.pk])


def week_start(day: dt.date) -> dt.date:
    """The Monday of `day`'s ISO week: a digest is sent once per week."""
    return day - dt.timedelta(days=day.weekday())


def _recipients(queryset):
    """Outstanding actions whose owners want reminders and can receive them."""
    return (
        queryset.outstanding()
        .filter(owner__is_active=True, owner__reminders_opt_out=False)
        .exclude(owner__email="")
        .select_related("owner", "group")
        .order_by("owner_id", "due_date", "pk")
    )


def _send_once(*, record: dict, message: EmailMultiAlternatives) -> bool:
    """Record the reminder and send it in one transaction; False if it had gone already."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(**record)
            message.send()
    except IntegrityError:
        return False
    return True


@dataclass(frozen=True)
class Reminder:
    """One reminder email that is due on `day`: for one action, or a digest of several."""

    kind: str
    person: Person
    day: dt.date
    # The due date for a due reminder; the Monday of the week for a digest.
    for_date: dt.date
    actions: tuple[Action, ...]

    @property
    def action(self) -> Action | None:
        return None if self.kind == Kind.WEEKLY_OVERDUE else self.actions[0]

    def get_kind_display(self) -> str:
        return Kind(self.kind).label

    @property
    def key(self) -> tuple:
        """What makes it the same reminder: ReminderSent's unique constraints, as a key."""
        if self.action is None:
            return ("digest", self.person.pk, self.kind, self.for_date)
        return ("action", self.action.pk, self.kind, self.for_date)

    def record(self) -> dict:
        """The ReminderSent row that says it went."""
        return {
            "person": self.person,
            "action": self.action,
            "kind": self.kind,
            "for_date": self.for_date,
        }


def _sent_key(row: ReminderSent) -> tuple:
    if row.action_id is None:
        return ("digest", row.person_id, row.kind, row.for_date)
    return ("action", row.action_id, row.kind, row.for_date)


def _sent_since(day: dt.date) -> set[tuple]:
    """Reminders already sent that could still stop one going on `day` or later: due
    reminders for a due date from `day`'s week on, and digests of that week or later."""
    rows = ReminderSent.objects.filter(for_date__gte=week_start(day)).only(
        "person_id", "action_id", "kind", "for_date"
    )
    return {_sent_key(row) for row in rows}


def _candidates(until: dt.date):
    """Every action a reminder could be about up to `until`: overdue, or due by then."""
    return _recipients(
        Action.objects.filter(due_date__lte=until + dt.timedelta(days=DUE_SOON_DAYS))
    )


def reminders_due(day: dt.date, *, actions: Sequence[Action], sent: set[tuple]) -> list[Reminder]:
    """The rule, once: which reminders go on `day`, given the candidate actions (owner,
    due date order) and the keys of those already sent. Due reminders come first, then
    one digest per owner with overdue actions, once per ISO week."""
    due = []
    for action in actions:
        if day <= action.due_date <= day + dt.timedelta(days=DUE_SOON_DAYS):
            kind = Kind.DUE_TODAY if action.due_date == day else Kind.DUE_IN_7_DAYS
            due.append(Reminder(kind, action.owner, day, action.due_date, (action,)))
    overdue_by_owner: dict[Person, list[Action]] = defaultdict(list)
    for action in actions:
        if action.due_date < day:
            overdue_by_owner[action.owner].append(action)
    monday = week_start(day)
    for person, overdue in overdue_by_owner.items():
        due.append(Reminder(Kind.WEEKLY_OVERDUE, person, day, monday, tuple(overdue)))
    return [reminder for reminder in due if reminder.key not in sent]


def reminders_due_on(day: dt.date) -> list[Reminder]:
    """What the daily job sends on `day`."""
    return reminders_due(day, actions=list(_candidates(day)), sent=_sent_since(day))


def reminder_schedule(start: dt.date, days: int) -> list[Reminder]:
    """What the daily job will send from `start` for `days` days, sending nothing: each
    day as the job would see it, had it sent everything due on the days before."""
    last = start + dt.timedelta(days=days - 1)
    actions = list(_candidates(last))
    sent = _sent_since(start)
    schedule: list[Reminder] = []
    for offset in range(days):
        due = reminders_due(start + dt.timedelta(days=offset), actions=actions, sent=sent)
        sent |= {reminder.key for reminder in due}
        schedule += due
    return schedule


def reminder_message(reminder: Reminder, connection=None) -> EmailMultiAlternatives:
    """The email a reminder sends, rendered as on the day it goes."""
    base = {"site_url": settings.SITE_URL, "mine_url": settings.SITE_URL + reverse("actions:mine")}
    with translation.override(settings.LANGUAGE_CODE):
        if reminder.action is None:
            rows = [
                {
                    "action": action,
                    "url": action_url(action),
                    "days": (reminder.day - action.due_date).days,
                }
                for action in reminder.actions
            ]
            context = {**base, "person": reminder.person, "rows": rows, "count": len(rows)}
        else:
            action = reminder.action
            context = {
                **base,
                "action": action,
                "person": reminder.person,
                "days": (action.due_date - reminder.day).days,
                "url": action_url(action),
            }
        return templated_email(
            f"actions/emails/{reminder.kind}",
            context,
            to=reminder.person.email,
            connection=connection,
        )


def send_action_reminders(*, today: dt.date | None = None) -> Counter:
    """Send today's due reminders and this week's digests; returns counts by kind."""
    today = today or timezone.localdate()
    sent: Counter = Counter()
    connection = get_connection()
    for reminder in reminders_due_on(today):
        message = reminder_message(reminder, connection)
        if _send_once(record=reminder.record(), message=message):
            sent[reminder.kind] += 1
    return sent
