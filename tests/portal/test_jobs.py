"""Background jobs (core.jobs): queued with their record, run by the worker, tried again
after a failure that may pass, and failures kept in view for VRU staff."""

from __future__ import annotations

import datetime as dt
import io
import logging
import smtplib

import pytest
from django.urls import reverse

from core import jobs, requestid
from core.emails import NotSent
from core.models import Job

pytestmark = pytest.mark.django_db

# What each test's job does, by name: set by the test, read by the job.
BEHAVIOUR: dict[str, list] = {}


@jobs.job
def sample_job(job, *, name: str) -> str:
    logging.getLogger("vrp.jobs.sample").warning("sample job running")
    outcomes = BEHAVIOUR.setdefault(name, [])
    outcome = outcomes.pop(0) if outcomes else "Sent to 3 people."
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def queue(name="plain", *outcomes, **fields) -> Job:
    BEHAVIOUR[name] = list(outcomes)
    return jobs.enqueue(sample_job, description="Invitation to a meeting", name=name, **fields)


def test_a_job_waits_on_the_queue_until_the_worker_runs_it(job_queue):
    queued = queue()
    assert queued.state == Job.State.QUEUED
    job_queue.run()
    queued.refresh_from_db()
    assert (queued.state, queued.outcome, queued.attempts) == (
        Job.State.DONE,
        "Sent to 3 people.",
        1,
    )


def test_a_job_and_its_queue_entry_are_rolled_back_together(job_queue):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the page's save failed")
    assert not Job.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_failure_that_may_pass_is_tried_again_later_then_reported(job_queue, clock, settings):
    settings.JOB_RETRY_DELAYS = [60, 300]
    refused = smtplib.SMTPServerDisconnected("connection lost")
    queued = queue("flaky", refused, refused, refused)
    job_queue.run()
    queued.refresh_from_db()
    assert queued.state == Job.State.RETRYING
    assert queued.outcome.startswith("Attempt 1 failed: the mail server")
    job_queue.run()  # not yet due: nothing runs
    queued.refresh_from_db()
    assert queued.attempts == 1
    clock.shift(dt.timedelta(seconds=61))
    job_queue.run()
    queued.refresh_from_db()
    assert (queued.state, queued.attempts) == (Job.State.RETRYING, 2)
    clock.shift(dt.timedelta(seconds=301))
    job_queue.run()
    queued.refresh_from_db()
    assert queued.state == Job.State.FAILED
    assert queued.outcome == (
        "Failed after 3 attempts: the mail server could not be reached or refused the "
        "message (SMTPServerDisconnected)."
    )


def test_a_failure_that_passes_ends_done(job_queue, clock):
    queued = queue("once", OSError("network down"), "Sent to 2 people.")
    job_queue.run()
    clock.shift(dt.timedelta(minutes=2))
    job_queue.run()
    queued.refresh_from_db()
    assert (queued.state, queued.outcome, queued.attempts) == (
        Job.State.DONE,
        "Sent to 2 people.",
        2,
    )


def test_a_refusal_fails_at_once_with_its_reason(job_queue):
    queued = queue("refused", NotSent("Nobody has an email address."))
    job_queue.run()
    queued.refresh_from_db()
    assert (queued.state, queued.outcome) == (Job.State.FAILED, "Nobody has an email address.")


def test_a_fault_fails_at_once_and_is_logged(job_queue, caplog):
    queued = queue("fault", KeyError("x"))
    job_queue.run()
    queued.refresh_from_db()
    assert queued.state == Job.State.FAILED
    assert "KeyError" in queued.outcome
    assert any(record.exc_info for record in caplog.records if record.name == "vrp.jobs")


def test_a_job_logs_under_the_id_of_the_request_that_queued_it(job_queue):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(requestid.RequestIdFilter())
    handler.setFormatter(logging.Formatter("%(request_id)s %(name)s: %(message)s"))
    sample = logging.getLogger("vrp.jobs.sample")
    sample.addHandler(handler)
    try:
        with requestid.bound("req-0123456789"):
            queue()
        job_queue.run()
    finally:
        sample.removeHandler(handler)
    assert stream.getvalue() == "req-0123456789 vrp.jobs.sample: sample job running\n"


def test_a_scheduled_slot_is_queued_once():
    first = queue(schedule_key="sample@2026-12-01")
    assert first is not None
    assert queue(schedule_key="sample@2026-12-01") is None
    assert Job.objects.count() == 1


def test_staff_see_failures_on_the_dashboard_and_try_them_again(job_queue, staff_client):
    failed = queue("dash", NotSent("Nobody has an email address."))
    job_queue.run()
    page = staff_client.get(reverse("dashboard")).content.decode()
    assert "Sends that failed" in page and "Nobody has an email address." in page
    response = staff_client.post(reverse("jobs:retry", args=[failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.dismissed_at is not None
    again = Job.objects.exclude(pk=failed.pk).get()
    assert again.state == Job.State.QUEUED
    assert "Sends that failed" not in staff_client.get(reverse("dashboard")).content.decode()


def test_only_staff_see_the_jobs_list_and_only_the_requester_a_job(
    job_queue, staff_client, member_client
):
    queued = queue()
    assert member_client.get(reverse("jobs:list")).status_code == 403
    assert member_client.get(reverse("jobs:status", args=[queued.pk])).status_code == 404
    assert member_client.post(reverse("jobs:retry", args=[queued.pk])).status_code == 403
    fragment = staff_client.get(reverse("jobs:status", args=[queued.pk]))
    assert fragment.status_code == 200
    assert b'hx-trigger="every 2s"' in fragment.content
    job_queue.run()
    fragment = staff_client.get(reverse("jobs:status", args=[queued.pk]))
    assert b"hx-trigger" not in fragment.content and b"Sent to 3 people." in fragment.content


def test_the_jobs_list_links_each_job_to_the_page_it_concerns(job_queue, staff_client):
    from tests.factories import PersonFactory

    person = PersonFactory(full_name="Priya Shah")
    jobs.enqueue(sample_job, description="Invitation to sign in", about=person, name="link")
    page = staff_client.get(reverse("jobs:list")).content.decode()
    assert (
        f'<a href="{reverse("members:person", args=[person.pk])}">Invitation to sign in</a>' in page
    )
