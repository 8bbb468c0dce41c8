"""Background jobs: work a page asks for and a worker does, with retries, on a real queue.

A job is a function marked `@job`, taking the `Job` record and keyword arguments of ids
and plain values, and returning what came of it in words for the page ("Sent to 12
people."). `enqueue()` records the job and puts its id on django-tasks' queue in one
transaction (the database backend keeps the queue in PostgreSQL, settings.TASKS), so a
job is never queued for something that was rolled back, nor lost by a restart.

`run_job`, the only django-tasks task, runs it under the id of the request that queued it
(core.requestid), so a job's log lines can be found from that request's. Its outcome:
- done: the function returned;
- refused (`NotSent`): nothing to do or nothing it may do; failed at once, with the
  reason in words;
- a failure that may pass (the mail server, the network, the database): tried again after
  each of settings.JOB_RETRY_DELAYS, then failed;
- anything else is a fault: failed at once and logged with its traceback.
A failed job stays on the page it is about and on VRU staff's dashboard until someone
tries it again or dismisses it: nothing is lost silently.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from core import requestid
from core.emails import NotSent
from core.models import Job

logger = logging.getLogger("vrp.jobs")

# Failures that may pass if tried again later. smtplib's errors are OSErrors.
TRANSIENT = (OSError, DatabaseError)


class PartlyDone(OSError):
    """Raised by a job that did part of its work and failed the rest for a reason that
    may pass (some emails refused): tried again like any such failure, and its words,
    which say how far it got, are the reason the page shows."""


JobFunction = Callable[..., str]
_JOBS: dict[str, JobFunction] = {}


def job(function: JobFunction) -> JobFunction:
    """Mark `function(job, **arguments) -> outcome` as one the worker may run."""
    _JOBS[_path(function)] = function
    return function


def _path(function: JobFunction) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def _function(path: str) -> JobFunction:
    """The job function at `path`: importing its module registers it; nothing else runs."""
    if path not in _JOBS:
        import_string(path)
    try:
        return _JOBS[path]
    except KeyError:
        raise ImportError(f"{path} is not a job.") from None


def enqueue(
    function: JobFunction,
    *,
    description: str,
    about: models.Model | None = None,
    by=None,
    schedule_key: str | None = None,
    **arguments,
) -> Job | None:
    """Record the job and queue it, in the caller's transaction if there is one.

    `about` is what the job concerns; its page lists the job (`jobs_about`). With a
    `schedule_key`, a second call for the same key queues nothing and returns None.
    """
    path = _path(function)
    if path not in _JOBS:
        raise ValueError(f"{path} is not marked @job.")
    fields = {
        "function": path,
        "arguments": arguments,
        "description": description[:200],
        "requested_by": by if by is not None and by.is_authenticated else None,
        "request_id": requestid.current(),
        "schedule_key": schedule_key,
    }
    if about is not None:
        fields["content_type"] = ContentType.objects.get_for_model(about)
        fields["object_id"] = about.pk
    with transaction.atomic():
        try:
            with transaction.atomic():
                queued = Job.objects.create(**fields)
        except IntegrityError:
            if schedule_key is None:
                raise
            return None
        if _can_defer():
            _queue(queued)
    if not _can_defer():
        # The immediate backend runs the job now: after its record is made, as a worker would.
        _queue(queued)
    queued.refresh_from_db()
    return queued


def jobs_about(about: models.Model, function: JobFunction | None = None) -> models.QuerySet[Job]:
    """The jobs about `about` (of `function` only, if given), newest first."""
    about_it = Job.objects.filter(
        content_type=ContentType.objects.get_for_model(about), object_id=about.pk
    )
    return about_it if function is None else about_it.filter(function=_path(function))


def on_its_way(function: JobFunction, about: models.Model | None = None, **arguments) -> bool:
    """Whether a job of `function` (about `about`, with these `arguments`) is queued,
    running or waiting to try again: a page refuses to queue the same send twice."""
    queued = Job.objects.filter(function=_path(function), state__in=Job.UNFINISHED)
    if about is not None:
        queued = queued & jobs_about(about)
    if arguments:
        queued = queued.filter(**{f"arguments__{name}": value for name, value in arguments.items()})
    return queued.exists()


def try_again(failed: Job, *, by) -> Job:
    """Queue a failed job again, as a new job asked for by `by`."""
    about = None
    if failed.content_type_id and failed.object_id:
        about = failed.content_type.get_object_for_this_type(pk=failed.object_id)
    with transaction.atomic():
        failed.dismissed_at = timezone.now()
        failed.save(update_fields=["dismissed_at"])
        return enqueue(
            _function(failed.function),
            description=failed.description,
            about=about,
            by=by,
            **failed.arguments,
        )


def _queue(queued: Job, *, delay: dt.timedelta | None = None) -> None:
    """Put the job's id on the queue, to run at once or after `delay`."""
    if delay is None:
        run_job.enqueue(queued.pk)
    else:
        run_job.using(run_after=timezone.now() + delay).enqueue(queued.pk)


def _can_defer() -> bool:
    """Whether the queue can hold a job until later; the immediate backend (the demo and
    the tests) cannot, so there a failure is final at once."""
    return run_job.get_backend().supports_defer


def _claim(job_id: int) -> Job | None:
    """Mark the job running, unless it has run or is running elsewhere."""
    with transaction.atomic():
        claimed = Job.objects.select_for_update().filter(pk=job_id).first()
        if claimed is None or claimed.state not in (Job.State.QUEUED, Job.State.RETRYING):
            return None
        claimed.state = Job.State.RUNNING
        claimed.attempts += 1
        claimed.started_at = timezone.now()
        claimed.next_attempt_at = None
        claimed.save(update_fields=["state", "attempts", "started_at", "next_attempt_at"])
    return claimed


def _finish(done: Job, state: str, outcome: str) -> None:
    done.state = state
    done.outcome = outcome[:500]
    done.finished_at = timezone.now()
    done.save(update_fields=["state", "outcome", "finished_at"])


def _retry_or_fail(failed: Job, error: BaseException) -> None:
    """Try a failure that may pass again later, or give up when the tries are spent."""
    delays = settings.JOB_RETRY_DELAYS
    reason = _reason(error)
    if _can_defer() and failed.attempts <= len(delays):
        delay = dt.timedelta(seconds=delays[failed.attempts - 1])
        failed.state = Job.State.RETRYING
        failed.next_attempt_at = timezone.now() + delay
        when = timezone.localtime(failed.next_attempt_at).strftime("%H:%M")
        failed.outcome = f"Attempt {failed.attempts} failed: {reason}. Trying again at {when}."
        failed.save(update_fields=["state", "next_attempt_at", "outcome"])
        logger.warning(
            "job %s attempt %s failed (%s); retrying", failed.pk, failed.attempts, reason
        )
        _queue(failed, delay=delay)
        return
    tries = f"after {failed.attempts} attempts" if failed.attempts > 1 else "at the first attempt"
    _finish(failed, Job.State.FAILED, f"Failed {tries}: {reason}.")
    logger.error("job %s failed %s (%s)", failed.pk, tries, type(error).__name__)


def _reason(error: BaseException) -> str:
    """Why it failed, in words for the page, with the error's class for whoever looks
    further; a PartlyDone's own words say it all."""
    if isinstance(error, PartlyDone):
        return str(error).rstrip(".")
    if isinstance(error, DatabaseError):
        return f"the database could not be reached ({type(error).__name__})"
    return f"the mail server could not be reached or refused the message ({type(error).__name__})"


@task()
def run_job(job_id: int) -> None:
    """Run one job (see the module's docstring). Never raises: the Job holds the outcome."""
    claimed = _claim(job_id)
    if claimed is None:
        return
    with requestid.bound(claimed.request_id or requestid.new()):
        logger.info(
            "job %s started: %s (attempt %s)", claimed.pk, claimed.function, claimed.attempts
        )
        try:
            outcome = _function(claimed.function)(claimed, **claimed.arguments)
        except NotSent as refused:
            _finish(claimed, Job.State.FAILED, str(refused))
            logger.warning("job %s refused: %s", claimed.pk, claimed.function)
        except TRANSIENT as error:
            _retry_or_fail(claimed, error)
        except Exception as error:
            logger.exception("job %s failed: %s", claimed.pk, claimed.function)
            _finish(
                claimed,
                Job.State.FAILED,
                f"Failed: an error in the portal ({type(error).__name__}). It has been logged.",
            )
        else:
            _finish(claimed, Job.State.DONE, outcome or "Done.")
            logger.info("job %s done", claimed.pk)


def tell(request, queued: Job) -> None:
    """Say on the next page what became of the job just asked for: its outcome when it has
    already run (the immediate backend), else that it is on its way."""
    if queued.state == Job.State.DONE:
        messages.success(request, queued.outcome)
    elif queued.state == Job.State.FAILED:
        messages.error(request, queued.outcome)
    else:
        messages.info(request, f"Queued: {queued.description}. This page shows when it is done.")
