"""What every page of the quarterly update reads from its URL: the quarter, the group and
the issue (404 when there is no such one), and whether the quarter can be finalised now."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from core.quarters import Quarter
from members.selectors import choose_group
from tracker.report import (
    report_for,
    report_issue,
)
from tracker.report_layout import british_date

# The largest issue number a URL may ask for (QuarterlyReport.issue is a small integer).
MAX_ISSUE = 32767


def quarter_or_404(fy: str, q: str) -> Quarter:
    try:
        return Quarter.from_slugs(fy, q)
    except ValueError as error:
        raise Http404(str(error)) from error


def group_or_404(request):
    group, groups = choose_group(request)
    if group is None:
        raise Http404("There is no active working group.")
    return group, groups


def quarter_url(name: str, quarter: Quarter, group, *, issue: int | None = None) -> str:
    fy, q = quarter.slug.split("/")
    url = f"{reverse(name, args=[fy, q])}?group={group.pk}"
    return f"{url}&issue={issue}" if issue is not None else url


def chosen_issue(request, group, quarter: Quarter):
    """(the update, its snapshot or None) a page or download shows: `?issue=N` picks one
    issue of the finalised update, current or replaced (404 if there is none such);
    without it, the current issue, or the live draft until the quarter is finalised."""
    wanted = request.GET.get("issue")
    if wanted is None:
        return report_for(group=group, quarter=quarter)
    number = int(wanted) if wanted.isascii() and wanted.isdigit() and len(wanted) <= 5 else 0
    snapshot = (
        report_issue(group=group, quarter=quarter, number=number)
        if 1 <= number <= MAX_ISSUE
        else None
    )
    if snapshot is None:
        raise Http404("This update has no such issue.")
    return snapshot.content, snapshot


def finalisable_from(quarter: Quarter) -> dt.date:
    """The first day a quarter's update can be finalised: the day after it ends."""
    return quarter.end + dt.timedelta(days=1)


def cannot_finalise(quarter: Quarter, *, finalised: bool) -> str:
    """Why the quarter's update cannot be finalised now, or "" when it can."""
    if finalised:
        return f"{quarter.label} was finalised already: it stays as it was sent."
    from_day = british_date(finalisable_from(quarter).isoformat())
    if quarter.start > timezone.localdate():
        return f"{quarter.label} has not started yet: it can be finalised from {from_day}."
    if quarter.end >= timezone.localdate():
        return f"{quarter.label} is still running: it can be finalised from {from_day}."
    return ""
