"""The tracker's answers to questions the floors below it ask by signal."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format

from core.quarters import Quarter
from meetings.models import Meeting
from members.models import Group
from tracker.models import QuarterlyReport


def _updates_covering(meeting: Meeting) -> list[Group]:
    """The groups whose quarterly update carries the meeting's key updates: its own, and
    for a Task and Finish group its working group's (members.selectors.covered_groups)."""
    group = meeting.group
    if group.kind == Group.Kind.TASK_AND_FINISH and group.parent_id:
        return [group, group.parent]
    return [group]


def finalised_quarter_notices(sender, *, meeting: Meeting, **kwargs) -> list[str]:
    """meetings.signals.quarter_notices: a finalised update is never changed, so a key
    update added or changed in its quarter reaches the SVRP only in a re-issue."""
    quarter = Quarter.from_date(timezone.localtime(meeting.starts_at).date())
    groups = _updates_covering(meeting)
    reports = (
        QuarterlyReport.objects.filter(group__in=groups, year=quarter.year, quarter=quarter.number)
        .select_related("group")
        .order_by("group_id", "-issue")
    )
    latest: dict[int, QuarterlyReport] = {}
    for report in reports:
        latest.setdefault(report.group_id, report)
    return [_notice(latest[group.pk], quarter) for group in groups if group.pk in latest]


def _notice(report: QuarterlyReport, quarter: Quarter) -> str:
    when = date_format(timezone.localtime(report.finalised_at), "j F Y")
    done = f"re-issued (issue {report.issue})" if report.issue > 1 else "finalised"
    return (
        f"The {report.group.name}'s {quarter.label} update was {done} on {when}: a key "
        "update added or changed now reaches the SVRP only if the update is re-issued."
    )
