"""The scheduler (portal.schedule): each day's jobs queued once, from their hour, and the
housekeeping that keeps a stopped job from hiding."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from core.models import Job
from portal import schedule
from tests.factories import ActionFactory, PersonFactory, london

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2027, 1, 4)


def test_nothing_is_queued_before_its_hour(clock):
    clock.move_to(london(2027, 1, 4, 2, 59))
    assert schedule.queue_due() == []


def test_each_daily_job_is_queued_once_a_day_from_its_hour(clock, job_queue):
    clock.move_to(london(2027, 1, 4, 7, 0))
    queued = schedule.queue_due()
    assert sorted(job.description for job in queued) == [
        "Action reminders, 4 January 2027",
        "Housekeeping, 4 January 2027",
    ]
    clock.move_to(london(2027, 1, 4, 23, 0))
    assert schedule.queue_due() == []
    clock.move_to(london(2027, 1, 5, 7, 30))
    assert len(schedule.queue_due()) == 2
    assert Job.objects.count() == 4


def test_the_reminders_hour_is_a_setting(clock, settings, monkeypatch):
    monkeypatch.setattr(
        schedule,
        "SCHEDULE",
        (schedule.Daily(schedule.send_reminders, dt.time(9, 30), "Action reminders"),),
    )
    clock.move_to(london(2027, 1, 4, 9, 29))
    assert schedule.queue_due() == []
    clock.move_to(london(2027, 1, 4, 9, 30))
    assert len(schedule.queue_due()) == 1


def test_the_reminders_job_sends_the_days_reminders(clock):
    clock.move_to(london(2027, 1, 4, 7, 0))
    ActionFactory(owner=PersonFactory(email="owner@example.org"), due_date=MONDAY)
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    reminders = Job.objects.get(function="portal.schedule.send_reminders")
    assert reminders.state == Job.State.DONE
    assert reminders.outcome == (
        "Sent 0 due-soon reminder(s), 1 due-today reminder(s) and 0 weekly overdue digest(s)."
    )
    assert [message.to for message in mail.outbox] == [["owner@example.org"]]
    assert f"Queued job {reminders.pk}: Action reminders, 4 January 2027." in out.getvalue()


def test_housekeeping_fails_a_job_whose_worker_stopped(clock):
    clock.move_to(london(2027, 1, 4, 2, 0))
    stopped = Job.objects.create(
        function="portal.schedule.send_reminders",
        description="Action reminders, 4 January 2027",
        state=Job.State.RUNNING,
        started_at=london(2027, 1, 4, 1, 0),
    )
    running = Job.objects.create(
        function="portal.schedule.send_reminders",
        description="Action reminders, 4 January 2027",
        state=Job.State.RUNNING,
        started_at=london(2027, 1, 4, 1, 30),
    )
    outcome = schedule.housekeeping(None, day="2027-01-04")
    stopped.refresh_from_db()
    running.refresh_from_db()
    assert stopped.state == Job.State.FAILED
    assert stopped.outcome == "Failed: the worker stopped while it ran this job. Try it again."
    assert running.state == Job.State.RUNNING
    assert outcome.startswith("1 stopped job(s) marked failed")


def test_housekeeping_keeps_a_failure_nobody_has_seen_to(clock):
    clock.move_to(london(2027, 6, 1, 3, 0))
    long_ago = london(2027, 1, 4, 9, 0)
    fields = {"function": "x.y", "description": "A send", "finished_at": long_ago}
    unseen = Job.objects.create(state=Job.State.FAILED, **fields)
    Job.objects.create(state=Job.State.DONE, **fields)
    Job.objects.create(state=Job.State.FAILED, dismissed_at=long_ago, **fields)
    schedule.housekeeping(None, day="2027-06-01")
    assert list(Job.objects.all()) == [unseen]
