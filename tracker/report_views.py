"""The quarterly SVRP update: the quarters, the preview, the downloads and the snapshot.

Every portal role may read the preview (an account with no role may not). Only
the chair and VRU staff download it, finalise it and compare a finalised update
with the live figures: members get 403 there.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.permissions import reporter_required, role_required
from core.quarters import Quarter
from members.selectors import choose_working_group
from tracker.exports import FORMATS, filename
from tracker.models import QuarterlyReport
from tracker.report import (
    QuarterNotStarted,
    ReportAlreadyFinalised,
    quarters_with_data,
    report_build,
    report_finalise,
    report_for,
    report_snapshot,
)
from tracker.report_layout import british_datetime
from tracker.report_versions import render_file, report_differences, report_version

QUARTERS_PER_PAGE = 20


def _quarter(fy: str, q: str) -> Quarter:
    try:
        return Quarter.from_slugs(fy, q)
    except ValueError as error:
        raise Http404(str(error)) from error


def _group(request):
    group, groups = choose_working_group(request)
    if group is None:
        raise Http404("There is no active working group.")
    return group, groups


def _quarter_url(name: str, quarter: Quarter, group) -> str:
    fy, q = quarter.slug.split("/")
    return f"{reverse(name, args=[fy, q])}?group={group.pk}"


@role_required
def quarters(request):
    group, groups = choose_working_group(request)
    finalised = {}
    available = []
    if group is not None:
        finalised = {
            report.period: report
            for report in QuarterlyReport.objects.filter(group=group).select_related(
                "finalised_by__person"
            )
        }
        available = [
            {
                "quarter": quarter,
                "snapshot": finalised.get(quarter),
                "url": _quarter_url("reports:quarterly", quarter, group),
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
            "current_url": group and _quarter_url("reports:quarterly", Quarter.current(), group),
        },
    )


@role_required
def quarterly(request, fy: str, q: str):
    quarter = _quarter(fy, q)
    group, groups = _group(request)
    report, snapshot = report_for(group=group, quarter=quarter)
    # Drawn by the code of the update's own version: a snapshot reads as it was sent.
    version = report_version(report)
    previous, following = quarter.previous(), quarter.next()
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
            "started": quarter.start <= timezone.localdate(),
            "downloads": [
                {
                    "name": f"{export.name} (.{extension})",
                    "url": _quarter_url(f"reports:report_{extension}", quarter, group),
                }
                for extension, export in FORMATS.items()
            ],
            # No link past either end of the quarters the portal holds: they answer 404.
            "previous": previous if previous.in_window else None,
            "next": following if following.in_window else None,
            "urls": {
                "previous": _quarter_url("reports:quarterly", previous, group),
                "next": _quarter_url("reports:quarterly", following, group),
                "quarters": f"{reverse('reports:quarters')}?group={group.pk}",
                "finalise": _quarter_url("reports:finalise", quarter, group),
                "compare": _quarter_url("reports:compare", quarter, group),
            },
        },
    )


@reporter_required
def download(request, fy: str, q: str, extension: str):
    export = FORMATS[extension]
    quarter = _quarter(fy, q)
    group, _ = _group(request)
    report, _ = report_for(group=group, quarter=quarter)
    response = HttpResponse(render_file(report, extension), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(report, extension)}"'
    # A draft changes as the data does; never serve a stale copy from a cache.
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@reporter_required
def finalise(request, fy: str, q: str):
    quarter = _quarter(fy, q)
    group, _ = _group(request)
    try:
        report_finalise(group=group, quarter=quarter, by=request.user)
    except ReportAlreadyFinalised:
        messages.error(request, f"{quarter.label} was finalised already: it stays as it was sent.")
    except QuarterNotStarted:
        messages.error(request, f"{quarter.label} has not started yet: there is nothing to send.")
    else:
        messages.success(
            request,
            f"The {quarter.label} update for the {group.name} is finalised. "
            "Every download now gives it exactly as it stands today.",
        )
    return redirect(_quarter_url("reports:quarterly", quarter, group))


@reporter_required
def compare(request, fy: str, q: str):
    quarter = _quarter(fy, q)
    group, groups = _group(request)
    snapshot = report_snapshot(group=group, quarter=quarter)
    if snapshot is None:
        raise Http404("This quarter has not been finalised.")
    live = report_build(group=group, quarter=quarter)
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
            "preview_url": _quarter_url("reports:quarterly", quarter, group),
        },
    )
