"""`manage.py send_action_reminders`: 7 days before, on the day, and a weekly overdue digest."""

import datetime as dt
import smtplib
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from actions.models import ReminderSent
from tests.factories import ActionFactory, PersonFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2025, 3, 3)
DUE = dt.date(2025, 3, 14)  # a Friday


def _run(today: dt.date) -> str:
    out = StringIO()
    call_command("send_action_reminders", "--today", today.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def owner(db):
    return PersonFactory(full_name="Priya Shah", email="priya@example.org")


@pytest.fixture
def action(owner):
    return ActionFactory(owner=owner, title="Share the toolkit", due_date=DUE)


def _parts(message) -> tuple[str, str]:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return message.body, html


def test_the_owner_is_emailed_seven_days_before(settings, action):
    settings.SITE_URL = "https://vrp.example.org"

    _run(DUE - dt.timedelta(days=7))

    (message,) = mail.outbox
    text, html = _parts(message)
    link = "https://vrp.example.org" + reverse("actions:detail", args=[action.pk])
    assert message.to == ["priya@example.org"]
    assert message.subject == "Action due in 7 days: Share the toolkit"
    assert link in text and f'href="{link}"' in html
    assert "14 March 2025" in text and "14 March 2025" in html
    reminder = ReminderSent.objects.get()
    assert (reminder.kind, reminder.action, reminder.for_date) == ("due_7", action, DUE)


def test_the_same_reminder_is_never_sent_twice(action):
    _run(DUE - dt.timedelta(days=7))
    _run(DUE - dt.timedelta(days=7))
    _run(DUE - dt.timedelta(days=6))

    assert len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 1


def test_the_owner_is_emailed_on_the_due_date(action):
    _run(DUE - dt.timedelta(days=7))
    _run(DUE)
    _run(DUE)

    assert [m.subject for m in mail.outbox] == [
        "Action due in 7 days: Share the toolkit",
        "Action due today: Share the toolkit",
    ]


def test_a_new_due_date_earns_new_reminders(action):
    _run(DUE - dt.timedelta(days=7))
    action.due_date = DUE + dt.timedelta(days=14)
    action.save()

    _run(DUE + dt.timedelta(days=7))

    assert len(mail.outbox) == 2


def test_nothing_is_sent_when_nothing_is_due(action):
    _run(DUE - dt.timedelta(days=8))

    assert mail.outbox == []


def test_overdue_actions_come_once_a_week_in_one_digest(owner, action):
    ActionFactory(owner=owner, title="Map partners", due_date=DUE - dt.timedelta(days=3))
    after = DUE + dt.timedelta(days=3)  # Monday 17 March

    _run(after)
    _run(after + dt.timedelta(days=1))
    _run(after + dt.timedelta(days=6))  # Sunday, same ISO week
    _run(after + dt.timedelta(days=7))  # the next Monday

    digests = [m for m in mail.outbox if "overdue" in m.subject]
    assert len(digests) == 2
    text, html = _parts(digests[0])
    assert digests[0].subject == "You have 2 overdue actions in the VRP portal"
    assert "Share the toolkit" in text and "Map partners" in text
    assert "Overdue by 3 days" in text
    assert reverse("actions:detail", args=[action.pk]) in html
    assert set(
        ReminderSent.objects.filter(kind="weekly_overdue").values_list("for_date", flat=True)
    ) == {
        dt.date(2025, 3, 17),
        dt.date(2025, 3, 24),
    }


@pytest.mark.parametrize(
    "change",
    [
        {"owner__reminders_opt_out": True},
        {"owner__is_active": False},
        {"status": "done", "completed_on": DUE},
        {"status": "cancelled"},
    ],
    ids=["opted out", "inactive", "done", "cancelled"],
)
def test_no_reminder_goes_to_those_who_should_not_get_one(action, change):
    owner_changes = {k.split("__")[1]: v for k, v in change.items() if k.startswith("owner__")}
    for key, value in owner_changes.items():
        setattr(action.owner, key, value)
    action.owner.save()
    for key, value in change.items():
        if not key.startswith("owner__"):
            setattr(action, key, value)
    action.save()

    _run(DUE - dt.timedelta(days=7))
    _run(DUE)
    _run(DUE + dt.timedelta(days=3))

    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_the_summary_counts_without_naming_anyone(owner, action):
    ActionFactory(owner=owner, due_date=DUE - dt.timedelta(days=1), title="Late one")

    out = _run(DUE - dt.timedelta(days=7))
    out_due_day = _run(DUE)

    assert out == (
        "Sent 2 due-soon reminder(s), 0 due-today reminder(s) and 0 weekly overdue digest(s).\n"
    )
    assert "1 due-today" in out_due_day and "1 weekly overdue digest" in out_due_day
    for secret in ("Priya", "priya@example.org", "Share the toolkit"):
        assert secret not in out + out_due_day


def test_a_failed_email_is_not_recorded_so_the_next_run_retries(action):
    failure = smtplib.SMTPServerDisconnected("gone")
    with (
        mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=failure),
        pytest.raises(CommandError, match="SMTPServerDisconnected"),
    ):
        _run(DUE)

    assert not ReminderSent.objects.exists()
    _run(DUE)
    assert len(mail.outbox) == 1


def test_a_day_the_job_did_not_run_is_caught_up_the_next_day(action):
    _run(DUE - dt.timedelta(days=6))

    (message,) = mail.outbox
    assert message.subject == "Action due in 6 days: Share the toolkit"


def test_a_title_is_plain_text_in_the_subject_and_escaped_in_the_html(owner):
    ActionFactory(owner=owner, title='Brief Fire & Rescue on "<Safer Streets>"', due_date=DUE)

    _run(DUE)

    (message,) = mail.outbox
    text, html = _parts(message)
    assert message.subject == 'Action due today: Brief Fire & Rescue on "<Safer Streets>"'
    assert 'Brief Fire & Rescue on "<Safer Streets>"' in text
    assert "Brief Fire &amp; Rescue on &quot;&lt;Safer Streets&gt;&quot;" in html
