"""The portal's scheduled jobs, and the queueing of each day's runs.

`manage.py run_scheduler` (the scheduler container) calls `queue_due()` every minute. A
daily job is queued once its time of day (London) has come, under a schedule key of its
name and date: however many schedulers run, and however often, the database's unique key
lets one of them queue each day's run (core.jobs.enqueue). A scheduler that was down at
the hour queues the day's run when it comes back, the same day.

Each job is safe to run twice as well: the reminders record each email in the same
transaction as it goes (actions.reminders), so two runs at once send each reminder once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from actions.models import ReminderSent
from actions.reminders import send_action_reminders
from core import jobs
from core.models import Job

# Finished jobs' records are kept this long; the queue's own rows as long.
KEEP_JOBS_FOR = dt.timedelta(days=90)
# A job still "in progress" after this long lost its worker (a restart, a crash).
STUCK_AFTER = dt.timedelta(hours=1)


@jobs.job
def send_reminders(job, *, day: str) -> str:
    """The day's action reminders (actions.reminders)."""
    sent = send_action_reminders(today=dt.date.fromisoformat(day))
    kinds = ReminderSent.Kind
    return (
        f"Sent {sent[kinds.DUE_IN_7_DAYS]} due-soon reminder(s), "
        f"{sent[kinds.DUE_TODAY]} due-today reminder(s) and "
        f"{sent[kinds.WEEKLY_OVERDUE]} weekly overdue digest(s)."
    )


@jobs.job
def housekeeping(job, *, day: str) -> str:
    """Expired sessions and old job records deleted; jobs whose worker stopped failed."""
    now = timezone.now()
    stuck = Job.objects.filter(state=Job.State.RUNNING, started_at__lt=now - STUCK_AFTER).update(
        state=Job.State.FAILED,
        finished_at=now,
        outcome="Failed: the worker stopped while it ran this job. Try it again.",
    )
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    old = now - KEEP_JOBS_FOR
    finished, _ = (
        Job.objects.filter(finished_at__lt=old)
        .exclude(state=Job.State.FAILED, dismissed_at__isnull=True)
        .delete()
    )
    DBTaskResult.objects.filter(finished_at__lt=old).delete()
    return (
        f"{stuck} stopped job(s) marked failed; {sessions} expired session(s) and "
        f"{finished} old job record(s) deleted."
    )


@dataclass(frozen=True)
class Daily:
    """A job queued once a day, from `at` (London time)."""

    function: jobs.JobFunction
    at: dt.time
    description: str


SCHEDULE = (
    Daily(send_reminders, settings.REMINDERS_AT, "Action reminders"),
    Daily(housekeeping, dt.time(3, 0), "Housekeeping"),
)


def queue_due(now: dt.datetime | None = None) -> list[Job]:
    """Queue every daily run whose time has come today and that nobody has queued yet."""
    local = timezone.localtime(now or timezone.now())
    queued = []
    for daily in SCHEDULE:
        if local.time() < daily.at:
            continue
        day = local.date().isoformat()
        job = jobs.enqueue(
            daily.function,
            description=f"{daily.description}, {local:%-d %B %Y}",
            schedule_key=f"{daily.function.__module__}.{daily.function.__name__}@{day}",
            day=day,
        )
        if job is not None:
            queued.append(job)
    return queued
