"""Two nodes run the reminders at the same moment: each reminder still goes exactly once.

Real processes on the real database: two `send_action_reminders` commands started
together, and the scheduler's path too (two `run_scheduler` checks at once, then two
`db_worker` workers at once), each against a mail server slow enough that the two runs
overlap throughout. What makes it hold is the database: a reminder's record is inserted
in the same transaction as its email is sent, and the second insert of the same reminder
waits for the first and is refused (actions.reminders).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from actions.models import ReminderSent
from core.models import Job
from tests.factories import ActionFactory, PersonFactory
from tests.smtp_sink import smtp_sink

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
MONDAY = dt.date(2027, 1, 4)
OWNERS = 6
# Each message takes this long to accept, so each run takes seconds and the two overlap.
SMTP_DELAY = 0.1


@pytest.fixture
def due_actions(db):
    """For each owner: one action due in 7 days, one due today, two overdue: each owner is
    owed two due reminders and one digest on MONDAY."""
    for number in range(OWNERS):
        owner = PersonFactory(email=f"owner{number}@example.org")
        for days in (7, 0, -3, -10):
            ActionFactory(owner=owner, due_date=MONDAY + dt.timedelta(days=days))
    return OWNERS * 3


def _environment(port: int, **extra: str) -> dict[str, str]:
    database = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "CONN_MAX_AGE": "0",
        "SITE_URL": "https://vrp.example.org",
        **extra,
    }


def _together(commands: list[list[str]], env: dict[str, str]) -> list[subprocess.CompletedProcess]:
    """Start every command at once and wait for them all."""
    started = [
        subprocess.Popen(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    finished = []
    for process in started:
        out, err = process.communicate(timeout=120)
        finished.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return finished


def _sent_once_each(received, expected: int) -> None:
    counts = Counter(received.messages)
    assert sum(counts.values()) == expected, counts
    assert set(counts.values()) == {1}, [m for m, n in counts.items() if n > 1]
    assert ReminderSent.objects.count() == expected


def test_two_reminder_runs_at_once_send_each_reminder_once(due_actions):
    with smtp_sink(delay=SMTP_DELAY) as (port, received):
        runs = _together(
            [["send_action_reminders", "--today", MONDAY.isoformat()]] * 2, _environment(port)
        )
    assert [run.returncode for run in runs] == [0, 0], [run.stderr for run in runs]
    _sent_once_each(received, due_actions)
    # What each run says it sent adds up to what went: neither counted a refused insert.
    sent = [sum(int(word) for word in run.stdout.split() if word.isdigit()) for run in runs]
    assert sum(sent) == due_actions, [run.stdout for run in runs]


def test_two_schedulers_and_two_workers_at_once_send_each_reminder_once(due_actions):
    with smtp_sink(delay=SMTP_DELAY) as (port, received):
        env = _environment(port, TASKS_BACKEND="database", REMINDERS_AT="07:00")
        eight = "2027-01-04T08:00:00+00:00"
        schedulers = _together([["run_scheduler", "--once", "--now", eight]] * 2, env)
        assert [run.returncode for run in schedulers] == [0, 0], [r.stderr for r in schedulers]
        reminders = Job.objects.get(function="portal.schedule.send_reminders")
        assert reminders.schedule_key == "portal.schedule.send_reminders@2027-01-04"
        assert Job.objects.count() == 2  # the reminders and the housekeeping, once each

        workers = _together(
            [["db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0"]] * 2,
            env,
        )
    assert [run.returncode for run in workers] == [0, 0], [run.stderr for run in workers]
    _sent_once_each(received, due_actions)
    reminders.refresh_from_db()
    assert reminders.state == Job.State.DONE
    assert reminders.outcome == (
        f"Sent {OWNERS} due-soon reminder(s), {OWNERS} due-today reminder(s) and "
        f"{OWNERS} weekly overdue digest(s)."
    )
