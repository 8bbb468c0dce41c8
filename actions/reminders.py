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

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from actions.models import Action, ReminderSent
from core.text import clean_email
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


def _message(template: str, context: dict, to: str, connection) -> EmailMultiAlternatives:
    template = str(template)  # a ReminderSent.Kind names its templates
    subject = " ".join(render_to_string(f"actions/emails/{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"actions/emails/{template}.txt", context),
        to=[to],
        connection=connection,
    )
    message.attach_alternative(
        render_to_string(f"actions/emails/{template}.html", context), "text/html"
    )
    return clean_email(message)


def _send_once(*, record: dict, message: EmailMultiAlternatives) -> bool:
    """Record the reminder and send it in one transaction; False if it had gone already."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(**record)
            message.send()
    except IntegrityError:
        return False
    return True


def send_action_reminders(*, today: dt.date | None = None) -> Counter:
    """Send today's due reminders and this week's digests; returns counts by kind."""
    today = today or timezone.localdate()
    sent: Counter = Counter()
    connection = get_connection()
    base = {"site_url": settings.SITE_URL, "mine_url": settings.SITE_URL + reverse("actions:mine")}
    with translation.override(settings.LANGUAGE_CODE):
        due = _recipients(Action.objects.due_within(DUE_SOON_DAYS, today))
        already = set(
            ReminderSent.objects.filter(
                kind__in=[Kind.DUE_IN_7_DAYS, Kind.DUE_TODAY], for_date__gte=today
            ).values_list("action_id", "kind", "for_date")
        )
        for action in due:
            kind = Kind.DUE_TODAY if action.due_date == today else Kind.DUE_IN_7_DAYS
            if (action.pk, kind, action.due_date) in already:
                continue
            context = {
                **base,
                "action": action,
                "person": action.owner,
                "days": (action.due_date - today).days,
                "url": action_url(action),
            }
            message = _message(kind, context, action.owner.email, connection)
            record = {"person": action.owner, "action": action, "kind": kind}
            if _send_once(record={**record, "for_date": action.due_date}, message=message):
                sent[kind] += 1

        monday = week_start(today)
        overdue_by_owner: dict[Person, list[Action]] = defaultdict(list)
        for action in _recipients(Action.objects.overdue(today)):
            overdue_by_owner[action.owner].append(action)
        digested = set(
            ReminderSent.objects.filter(
                kind=Kind.WEEKLY_OVERDUE, for_date=monday, action__isnull=True
            ).values_list("person_id", flat=True)
        )
        for person, actions in overdue_by_owner.items():
            if person.pk in digested:
                continue
            message = _digest(person, actions, today, base, connection)
            record = {"person": person, "action": None, "kind": Kind.WEEKLY_OVERDUE}
            if _send_once(record={**record, "for_date": monday}, message=message):
                sent[Kind.WEEKLY_OVERDUE] += 1
    return sent


def _digest(
    person: Person, actions: Sequence[Action], today: dt.date, base: dict, connection
) -> EmailMultiAlternatives:
    rows = [
        {"action": action, "url": action_url(action), "days": (today - action.due_date).days}
        for action in actions
    ]
    context = {**base, "person": person, "rows": rows, "count": len(rows)}
    return _message(Kind.WEEKLY_OVERDUE, context, person.email, connection)
