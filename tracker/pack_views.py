"""The SVRP pack: the quarters it can be put together for, what a quarter's pack holds,
its downloads, and sending it to the SVRP.

Every portal role reads the pages (an account with no role may not) and sees what a
quarter's pack holds; the chair and VRU staff download it and send it, as they do a
single update's files; only VRU staff see the addresses it went to.

Sending is a background job (tracker/jobs.py, `send_pack`) that puts the pack together
and draws it: the page returns at once and lists the pack's sends as they go. The
downloads stay here, in the request (tracker/sending.py says why).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core import jobs
from core.emails import NotSent
from core.models import Job
from core.permissions import (
    can_report,
    is_vru_staff,
    reporter_required,
    role_required,
    user_display_name,
)
from core.quarters import Quarter
from tracker import jobs as tracker_jobs
from tracker.exports import FORMATS
from tracker.models import ReportSend
from tracker.pack import (
    NOT_FINALISED,
    pack_filename,
    pack_for,
    pack_quarters,
    render_pack_docx,
    render_pack_pdf,
)
from tracker.report_access import quarter_or_404, quarter_url
from tracker.sending import pack_to_send, svrp_recipients

PACKS_PER_PAGE = 20
RENDERERS = {"docx": render_pack_docx, "pdf": render_pack_pdf}
# The newest sends of a pack on its page, as `jobs_about` shows a record's; /jobs/ has all.
JOBS_SHOWN = 5


def _pack_url(name: str, quarter: Quarter) -> str:
    return reverse(name, args=quarter.slug.split("/"))


@require_GET
@role_required
def packs(request):
    page_obj = Paginator(pack_quarters(), PACKS_PER_PAGE).get_page(request.GET.get("page"))
    quarters = [Quarter(row["year"], row["quarter"]) for row in page_obj]
    last_sent = {
        Quarter(row["year"], row["quarter"]): row["last"]
        for row in ReportSend.objects.filter(
            kind=ReportSend.Kind.PACK, year__in={quarter.year for quarter in quarters}
        )
        .values("year", "quarter")
        .annotate(last=Max("sent_at"))
        .order_by()
    }
    rows = [
        {
            "quarter": quarter,
            "updates": row["updates"],
            "last_sent": last_sent.get(quarter),
            "url": _pack_url("reports:pack", quarter),
        }
        for quarter, row in zip(quarters, page_obj, strict=True)
    ]
    return render(request, "reports/pack_list.html", {"page_obj": page_obj, "rows": rows})


@require_GET
@role_required
def pack(request, fy: str, q: str):
    quarter = quarter_or_404(fy, q)
    held = pack_for(quarter)
    groups = [
        {
            "name": update.content["group"]["name"],
            "issue": update.issue,
            "by": update.content["finalised"]["by"],
            "at": update.finalised_at,
            "url": quarter_url("reports:quarterly", quarter, update.group)
            if update.group.is_active
            else None,
        }
        for update in held.updates
    ]
    groups += [{"name": group.name, "issue": None} for group in held.missing]
    groups.sort(key=lambda row: row["name"])
    staff = is_vru_staff(request.user)
    sends = [
        {
            "by": user_display_name(send.sent_by),
            "at": send.sent_at,
            "count": len(send.recipients),
            "recipients": send.recipients if staff else None,
        }
        for send in ReportSend.objects.filter(
            kind=ReportSend.Kind.PACK, year=quarter.year, quarter=quarter.number
        ).select_related("sent_by__person")
    ]
    can_send = can_report(request.user)
    return render(
        request,
        "reports/pack.html",
        {
            "quarter": quarter,
            "pack": held,
            "groups": groups,
            "not_finalised": NOT_FINALISED,
            "sends": sends,
            "can_send": can_send,
            "recipients": len(svrp_recipients()) if can_send else None,
            "downloads": [
                {"name": FORMATS[extension].name, "extension": extension, "url": url}
                for extension, url in (
                    ("docx", _pack_url("reports:pack_docx", quarter)),
                    ("pdf", _pack_url("reports:pack_pdf", quarter)),
                )
            ],
            "send_url": _pack_url("reports:pack_send", quarter),
            "jobs": list(tracker_jobs.pack_jobs(quarter)[:JOBS_SHOWN]) if can_send else [],
        },
    )


@require_GET
@reporter_required
def download(request, fy: str, q: str, extension: str):
    quarter = quarter_or_404(fy, q)
    held = pack_for(quarter)
    if not held.updates:
        raise Http404(f"No working group has finalised {quarter.label} yet.")
    response = HttpResponse(
        RENDERERS[extension](held), content_type=FORMATS[extension].content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{pack_filename(held, extension)}"'
    # The pack follows the updates as they are finalised and re-issued: never a stale copy.
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@reporter_required
def send(request, fy: str, q: str):
    """Queue the pack's send, after the checks that refuse at once: nobody to send to, an
    empty pack, a pack changed since its sender read it, or a send on its way already."""
    quarter = quarter_or_404(fy, q)
    signature = request.POST.get("signature", "")
    try:
        pack_to_send(quarter, signature)
        if tracker_jobs.pack_jobs(quarter).filter(state__in=Job.UNFINISHED).exists():
            raise NotSent(
                f"The {quarter.label} pack is on its way to the SVRP already: this page "
                "shows when it has gone."
            )
    except NotSent as refusal:
        messages.error(request, f"The pack was not sent. {refusal}")
    else:
        queued = jobs.enqueue(
            tracker_jobs.send_pack,
            description=tracker_jobs.pack_description(quarter),
            by=request.user,
            year=quarter.year,
            quarter=quarter.number,
            signature=signature,
        )
        jobs.tell(request, queued)
    return redirect(_pack_url("reports:pack", quarter))
