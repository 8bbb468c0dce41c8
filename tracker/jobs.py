"""The tracker's background jobs (core.jobs): sending the finalised quarterly update and
the quarter's SVRP pack to the SVRP, and a group's Terms of Reference to its seats.

Each job builds the Word and PDF it attaches itself, in the worker, so that the page
that asked returns at once. Its arguments are ids and plain values only: the people it
goes to, and their addresses, are read when it runs, so the job's record holds no
personal data and an address changed meanwhile is the one used. Its outcome, kept on
the job and shown on the page, counts people and names seats by role, never by name.

The views check first what refuses at once (nobody to send to, nothing published, the
pack changed), and refuse a second send of the same thing while one is on its way
(`core.jobs.on_its_way`): the same email twice is worse than a moment's wait.
"""

from __future__ import annotations

import logging

from django.db import models

from core import jobs
from core.emails import NotSent
from core.models import Job
from core.quarters import Quarter
from members.models import Group, Membership
from tracker import sending
from tracker.models import QuarterlyReport, TorVersion
from tracker.report import report_snapshot
from tracker.tor_sending import Sent, tor_send_to_seat, tor_send_to_unsent

logger = logging.getLogger(__name__)


class SomeEmailsFailed(jobs.PartlyDone):
    """Some of a ToR send's emails failed after the rest went: the runner tries the job
    again later, and the page shows its words ("V2 of the ToR was sent to 5 of 6 seats;
    the email to Chair (Police) failed.")."""


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def _seat(seat: Membership) -> str:
    """A seat by its role, never by its holder's name."""
    return f"{seat.role_title} ({seat.agency.display_name})"


# The quarterly update.


def update_description(report: QuarterlyReport) -> str:
    return (
        f"Issue {report.issue} of the {report.group.name}'s {Quarter(report.year, report.quarter)} "
        "update to the SVRP"
    )


@jobs.job
def send_update(job: Job, *, report_id: int) -> str:
    """Email issue `report_id` of a finalised update to the SVRP's distribution list
    (sending.send_update). Refused if a later issue replaced it since it was asked for:
    the SVRP is sent the current issue only."""
    report = QuarterlyReport.objects.select_related("group").filter(pk=report_id).first()
    if report is None:
        raise NotSent("Not sent: the update is no longer in the portal.")
    quarter = Quarter(report.year, report.quarter)
    current = report_snapshot(group=report.group, quarter=quarter)
    if current is not None and current.pk != report.pk:
        raise NotSent(
            f"Not sent: issue {report.issue} was replaced by issue {current.issue} before "
            "it went. Check the current issue, then send it."
        )
    sent = sending.send_update(report=report, by=job.requested_by)
    return (
        f"Issue {report.issue} of the {quarter.label} update was sent to "
        f"{_people(len(sent.recipients))} on the SVRP's distribution list."
    )


# The SVRP pack: about no one record, so found by its quarter (`pack_jobs`).


def pack_description(quarter: Quarter) -> str:
    return f"The {quarter.label} SVRP pack to the SVRP"


def pack_jobs(quarter: Quarter) -> models.QuerySet[Job]:
    """The sends of the quarter's pack, newest first."""
    return Job.objects.filter(
        function=f"{__name__}.send_pack",
        arguments__year=quarter.year,
        arguments__quarter=quarter.number,
    )


@jobs.job
def send_pack(job: Job, *, year: int, quarter: int, signature: str | None) -> str:
    """Email the quarter's SVRP pack, as its sender read it (`signature`), to the SVRP's
    distribution list (sending.send_pack): the pack is put together and drawn here."""
    held = Quarter(year, quarter)
    try:
        sent = sending.send_pack(quarter=held, by=job.requested_by, signature=signature)
    except NotSent as refused:
        raise NotSent(f"The pack was not sent. {refused}") from refused
    return (
        f"The {held.label} SVRP pack was sent, as Word and PDF, to "
        f"{_people(len(sent.recipients))} on the SVRP's distribution list."
    )


# A group's Terms of Reference.


def tor_description(version: TorVersion, seat: Membership | None = None) -> str:
    whom = _seat(seat) if seat is not None else "every seat not yet sent it"
    return f"ToR {version.version} of the {version.group.name} to {whom}"


def _raise_if_any_failed(job: Job, sent: Sent, tried: int) -> None:
    """SomeEmailsFailed if any of the send's emails failed, after the rest went and were
    recorded: the runner tries the job again later, and the failed seats with it."""
    if not sent.failed:
        return
    failed = len(sent.failed)
    logger.warning("ToR send job %s: %s of %s seats failed", job.pk, failed, tried)
    raise SomeEmailsFailed(
        f"{sent.version.version} of the ToR was sent to {tried - failed} of {tried} "
        f"{'seat' if tried == 1 else 'seats'}; the email to "
        f"{', '.join(_seat(seat) for seat in sent.failed)} failed."
    )


def _at_attempt(job: Job) -> str:
    return f" at attempt {job.attempts}" if job.attempts > 1 else ""


def _version(version_id: int) -> TorVersion:
    version = TorVersion.objects.select_related("group").filter(pk=version_id).first()
    if version is None:
        raise NotSent("Not sent: that version of the ToR is no longer in the portal.")
    return version


@jobs.job
def send_tor_to_seat(job: Job, *, seat_id: int, version_id: int) -> str:
    """Email ToR `version_id` to the holder of seat `seat_id` (tor_send_to_seat), even if
    they had it before. A failed email records nothing and is tried again."""
    seat = Membership.objects.select_related("group", "agency", "person").filter(pk=seat_id).first()
    if seat is None:
        raise NotSent("Not sent: the seat is no longer in the portal.")
    sent = tor_send_to_seat(seat=seat, by=job.requested_by, version=_version(version_id))
    _raise_if_any_failed(job, sent, tried=1)
    return (
        f"{sent.version.version} of the ToR was sent to 1 person{_at_attempt(job)}: {_seat(seat)}."
    )


@jobs.job
def send_tor_to_unsent(job: Job, *, group_id: int, version_id: int) -> str:
    """Email ToR `version_id` to every current seat of group `group_id` that has not had
    it (tor_send_to_unsent).

    A partial failure: the seats sent are recorded, and SomeEmailsFailed makes the
    runner try again later; the next attempt sends to the seats still unsent, which are
    the ones that failed (and any seat filled meanwhile), never twice to the same seat.
    An attempt that finds every seat sent (somebody sent the rest meanwhile) is done.
    """
    group = Group.objects.filter(pk=group_id).first()
    if group is None:
        raise NotSent("Not sent: the group is no longer in the portal.")
    version = _version(version_id)
    try:
        sent = tor_send_to_unsent(group=group, by=job.requested_by, version=version)
    except NotSent:
        if job.attempts > 1:
            return f"{version.version} of the ToR has gone to every seat with somebody to send to."
        raise
    _raise_if_any_failed(job, sent, tried=len(sent.sends) + len(sent.failed))
    more = " more" if job.attempts > 1 else ""
    return (
        f"{version.version} of the ToR was sent to {_people(len(sent.sends))}{more}"
        f"{_at_attempt(job)}."
    )
