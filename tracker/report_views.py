"""The quarterly SVRP update: the quarters, the preview, the downloads and the snapshot;
the chair's draft is in draft_views.py; finalising, re-issuing and sending in
issue_views.py.

Every portal role may read the preview (an account with no role may not). Only
the chair and VRU staff download it, draft the chair's part, finalise it, re-issue
it and compare a finalised update with the live figures: members get 403 there.

A finalised update is kept as issue 1; a correction is a new issue, with its
reason, and every issue stays readable and downloadable (`?issue=N`). Without
`?issue=` a page shows the current (latest) issue, or the live draft.
"""

from collections import defaultdict

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from core.permissions import can_report, reporter_required, role_required, user_display_name
from core.quarters import Quarter
from members.selectors import choose_group
from tracker.exports import FORMATS, filename
from tracker.models import QuarterlyReport
from tracker.report import (
    UNREAD,
    quarterly_draft,
    quarters_with_data,
    report_build,
    report_for,
    report_issues,
    report_snapshot,
)
from tracker.report_access import (
    cannot_finalise,
    chosen_issue,
    group_or_404,
    quarter_or_404,
    quarter_url,
)
from tracker.report_layout import british_datetime
from tracker.report_versions import render_file, report_differences, report_version

QUARTERS_PER_PAGE = 20


def _issue_rows(issues: list[QuarterlyReport], quarter: Quarter, group) -> list[dict]:
    """Every issue of a quarter's update, the current (latest) first, with its link."""
    return [
        {
            "number": snapshot.issue,
            "current": index == 0,
            "by": snapshot.content["finalised"]["by"],
            "at": snapshot.finalised_at,
            "reason": snapshot.reason,
            "url": quarter_url("reports:quarterly", quarter, group, issue=snapshot.issue),
        }
        for index, snapshot in enumerate(issues)
    ]


@role_required
def quarters(request):
    group, groups = choose_group(request)
    available = []
    if group is not None:
        # Every issue of every finalised quarter, the current (latest) first.
        issues = defaultdict(list)
        for report in QuarterlyReport.objects.filter(group=group).order_by("-issue"):
            issues[report.period].append(report)
        available = [
            {
                "quarter": quarter,
                "snapshot": next(iter(issues[quarter]), None),
                "issues": _issue_rows(issues[quarter], quarter, group),
                "url": quarter_url("reports:quarterly", quarter, group),
            }
            for quarter in quarters_with_data(group)
        ]
    page_obj = Paginator(available, QUARTERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/quarters.html",
        {
            "group": group,
            "groups": groups,
            "page_obj": page_obj,
            "current": Quarter.current(),
            "current_url": group and quarter_url("reports:quarterly", Quarter.current(), group),
        },
    )


@role_required
def quarterly(request, fy: str, q: str):
    quarter = quarter_or_404(fy, q)
    group, groups = group_or_404(request)
    stored = report_issues(group=group, quarter=quarter)
    # The chair's draft: shown to whoever may edit it, and passed on for the live update.
    draft = quarterly_draft(group=group, quarter=quarter) if can_report(request.user) else UNREAD
    if "issue" in request.GET:
        report, snapshot = chosen_issue(request, group, quarter)
    else:
        report, snapshot = report_for(group=group, quarter=quarter, issues=stored, draft=draft)
    if draft is UNREAD:
        draft = None
    # Drawn by the code of the update's own version: a snapshot reads as it was sent.
    version = report_version(report)
    previous, following = quarter.previous(), quarter.next()
    issues = _issue_rows(stored, quarter, group)
    # Downloads give the issue shown: an earlier issue's links stay on that issue.
    chosen = snapshot.issue if snapshot is not None and "issue" in request.GET else None
    return render(
        request,
        "reports/quarterly.html",
        {
            "group": group,
            "groups": groups,
            "quarter": quarter,
            "report": report,
            "title": version.title(report),
            "subtitle": version.subtitle(report),
            "status_line": version.status_line(report),
            "sections": version.sections(report),
            "section_template": version.section_template,
            "snapshot": snapshot,
            "issues": issues,
            "shown_issue": next(
                (row for row in issues if snapshot and row["number"] == snapshot.issue), None
            ),
            "cannot_finalise": cannot_finalise(quarter, finalised=bool(issues)),
            "draft": draft,
            "draft_by": user_display_name(draft.updated_by) if draft else "",
            "downloads": [
                {
                    "name": f"{export.name} (.{extension})",
                    "url": quarter_url(f"reports:report_{extension}", quarter, group, issue=chosen),
                }
                for extension, export in FORMATS.items()
            ],
            # No link past either end of the quarters the portal holds: they answer 404.
            "previous": previous if previous.in_window else None,
            "next": following if following.in_window else None,
            "urls": {
                "previous": quarter_url("reports:quarterly", previous, group),
                "next": quarter_url("reports:quarterly", following, group),
                "quarters": f"{reverse('reports:quarters')}?group={group.pk}",
                "finalise": quarter_url("reports:finalise", quarter, group),
                "reissue": quarter_url("reports:reissue", quarter, group),
                "draft": quarter_url("reports:draft", quarter, group),
                "compare": quarter_url("reports:compare", quarter, group),
                "send": quarter_url("reports:send", quarter, group),
            },
        },
    )


@reporter_required
def download(request, fy: str, q: str, extension: str):
    export = FORMATS[extension]
    quarter = quarter_or_404(fy, q)
    group, _ = group_or_404(request)
    report, _ = chosen_issue(request, group, quarter)
    response = HttpResponse(render_file(report, extension), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(report, extension)}"'
    # A draft changes as the data does; never serve a stale copy from a cache.
    response["Cache-Control"] = "private, no-store"
    return response


@reporter_required
def compare(request, fy: str, q: str):
    quarter = quarter_or_404(fy, q)
    group, groups = group_or_404(request)
    snapshot = report_snapshot(group=group, quarter=quarter)
    if snapshot is None:
        raise Http404("This quarter has not been finalised.")
    live = report_build(group=group, quarter=quarter, issue=snapshot.issue + 1)
    return render(
        request,
        "reports/compare.html",
        {
            "group": group,
            "groups": groups,
            "quarter": quarter,
            "snapshot": snapshot,
            "differences": report_differences(snapshot.content, live),
            "live_generated_at": british_datetime(live["generated_at"]),
            "preview_url": quarter_url("reports:quarterly", quarter, group),
        },
    )
