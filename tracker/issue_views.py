"""Finalising the quarterly update (after a confirmation, once the quarter has ended),
re-issuing it with a reason, and sending the current issue to the SVRP: the chair and
VRU staff only."""

from contextlib import suppress

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from core import jobs
from core.emails import NotSent
from core.permissions import reporter_required, user_display_name
from core.versioning import (
    CONFLICT_STATUS,
)
from tracker import jobs as tracker_jobs
from tracker.draft_forms import (
    ReissueForm,
)
from tracker.exports import filename
from tracker.models import QuarterlyDraft, ReportSend
from tracker.report import (
    QuarterNotEnded,
    QuarterNotStarted,
    ReportAlreadyFinalised,
    report_build,
    report_finalise,
    report_reissue,
    report_snapshot,
)
from tracker.report_access import (
    cannot_finalise,
    group_or_404,
    quarter_or_404,
    quarter_url,
)
from tracker.report_layout import british_date, figure
from tracker.sending import ATTACHED, distribution_list, svrp_recipients


@reporter_required
def finalise(request, fy: str, q: str):
    """GET: what finalising will freeze, and that it is for good; POST: finalise it."""
    quarter = quarter_or_404(fy, q)
    group, groups = group_or_404(request)
    preview = quarter_url("reports:quarterly", quarter, group)
    if request.method == "POST":
        try:
            report_finalise(group=group, quarter=quarter, by=request.user)
        except ReportAlreadyFinalised:
            messages.error(
                request, f"{quarter.label} was finalised already: it stays as it was sent."
            )
        except QuarterNotStarted:
            messages.error(
                request, f"{quarter.label} has not started yet: there is nothing to send."
            )
        except QuarterNotEnded:
            messages.error(request, cannot_finalise(quarter, finalised=False))
        else:
            messages.success(
                request,
                f"The {quarter.label} update for the {group.name} is finalised. "
                "Every download now gives it exactly as it stands today.",
            )
        return redirect(preview)
    finalised = report_snapshot(group=group, quarter=quarter) is not None
    refusal = cannot_finalise(quarter, finalised=finalised)
    if refusal:
        messages.error(request, refusal)
        return redirect(preview)
    report = report_build(group=group, quarter=quarter)
    return render(
        request,
        "reports/finalise.html",
        {
            "group": group,
            "groups": groups,
            "quarter": quarter,
            "chair": report["chair"],
            "figures": _key_figures(report),
            "drafted": QuarterlyDraft.objects.filter(
                group=group, year=quarter.year, quarter=quarter.number
            ).exists(),
            "urls": {
                "preview": preview,
                "draft": quarter_url("reports:draft", quarter, group),
                "finalise": quarter_url("reports:finalise", quarter, group),
            },
        },
    )


def _key_figures(report: dict) -> list[tuple[str, str]]:
    """The figures the confirmation page shows before they are frozen."""
    actions, as_at = report["actions"]["totals"], british_date(report["as_at"])
    measures = report["measures"]
    rate = report["attendance_totals"]["rate"]
    return [
        ("Meetings in the quarter", figure(len(report["meetings"]))),
        ("Meetings held", figure(report["meetings_held"])),
        ("Attendance rate", f"{figure(rate)}%" if rate is not None else "No register recorded"),
        ("Key updates and decisions for the SVRP", figure(len(report["key_updates"]))),
        ("Actions opened", figure(actions["opened"])),
        ("Actions completed", figure(actions["completed"])),
        (f"Actions overdue at {as_at}", figure(actions["overdue"])),
        (f"Actions outstanding at {as_at}", figure(actions["outstanding"])),
        (
            "Performance measures meeting their target",
            f"{sum(1 for m in measures if m['target_met'])} of {len(measures)}",
        ),
        ("Risks and issues", figure(len(report["chair"]["risks"]))),
    ]


@reporter_required
def reissue(request, fy: str, q: str):
    """A correction of a finalised update: a new issue, with its reason. Every earlier
    issue is kept as it was sent; the new one is current."""
    quarter = quarter_or_404(fy, q)
    group, groups = group_or_404(request)
    current = report_snapshot(group=group, quarter=quarter)
    if current is None:
        raise Http404("This quarter has not been finalised.")
    preview = quarter_url("reports:quarterly", quarter, group)
    form = ReissueForm(request.POST or None, initial={"issue": current.issue})
    status = 200
    if request.method == "POST" and form.is_valid():
        issued = None
        # A page opened on an earlier issue would repeat somebody else's re-issue.
        # ReportAlreadyFinalised: re-issued by somebody else a moment ago.
        if form.cleaned_data["issue"] == current.issue:
            with suppress(ReportAlreadyFinalised):
                issued = report_reissue(
                    group=group,
                    quarter=quarter,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
        if issued is None:
            current = report_snapshot(group=group, quarter=quarter)
            messages.error(
                request,
                f"Somebody else re-issued the {quarter.label} update while you were working "
                f"on it: issue {current.issue} is now current and yours was not made. Check "
                "it, then re-issue again if it still needs correcting.",
            )
            data = request.POST.copy()
            data["issue"] = current.issue
            form, status = ReissueForm(data), CONFLICT_STATUS
        else:
            messages.success(
                request,
                f"Issue {issued.issue} of the {quarter.label} update for the {group.name} is "
                f"now current. Issue {issued.issue - 1} is kept exactly as it was sent.",
            )
            return redirect(preview)
    return render(
        request,
        "reports/reissue.html",
        {
            "group": group,
            "groups": groups,
            "quarter": quarter,
            "current": current,
            "form": form,
            "urls": {
                "preview": preview,
                "draft": quarter_url("reports:draft", quarter, group),
                "compare": quarter_url("reports:compare", quarter, group),
                "reissue": quarter_url("reports:reissue", quarter, group),
            },
        },
        status=status,
    )


@reporter_required
def send(request, fy: str, q: str):
    """The current issue of a finalised update, emailed as Word and PDF to the SVRP's
    distribution list by a background job (tracker/jobs.py), which builds the files: the
    page returns at once, and the update's page shows how the send went. Every send is
    recorded and listed here."""
    quarter = quarter_or_404(fy, q)
    group, groups = group_or_404(request)
    current = report_snapshot(group=group, quarter=quarter)
    if current is None:
        raise Http404("This quarter has not been finalised.")
    preview = quarter_url("reports:quarterly", quarter, group)
    if request.method == "POST":
        try:
            distribution_list()
            if jobs.on_its_way(tracker_jobs.send_update, current):
                raise NotSent(
                    f"Issue {current.issue} of the {quarter.label} update is on its way to the "
                    "SVRP already: the update's page shows when it has gone."
                )
        except NotSent as error:
            messages.error(request, str(error))
        else:
            queued = jobs.enqueue(
                tracker_jobs.send_update,
                description=tracker_jobs.update_description(current),
                about=current,
                by=request.user,
                report_id=current.pk,
            )
            jobs.tell(request, queued)
            return redirect(preview)
    sends = (
        ReportSend.objects.filter(report__group=group, year=quarter.year, quarter=quarter.number)
        .select_related("report", "sent_by")
        .order_by("-sent_at")
    )
    return render(
        request,
        "reports/send.html",
        {
            "group": group,
            "groups": groups,
            "quarter": quarter,
            "current": current,
            "recipients": svrp_recipients(),
            "attachments": [filename(current.content, ext) for ext in ATTACHED],
            "sends": [(row, user_display_name(row.sent_by)) for row in sends],
            "urls": {"preview": preview},
        },
    )
