import csv
import io
from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.text import slugify
from django.views.decorators.http import require_POST
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from core.exports import safe_cell
from core.permissions import is_vru_staff, role_required, staff_required
from core.text import clean_text
from members.forms import TorSentForm
from members.models import Agency, Membership
from members.selectors import choose_group

SEATS_PER_PAGE = 25

DISTRIBUTION_HEADERS = [
    "Agency",
    "Serious Violence Duty status",
    "Seat",
    "Position",
    "Held by",
    "Attendance",
    "ToR sent on",
]


@role_required
def directory(request):
    """Agencies with a count of their seats on every active group, then the seats a page
    at a time (one agency's when `?agency=<id>` picks it): every group has seats, so
    there are hundreds once there are many groups."""
    seats = Membership.objects.current().filter(group__is_active=True)
    agencies = list(
        Agency.objects.annotate(
            seat_count=Count("memberships", filter=Q(memberships__in=seats.values("pk")))
        )
    )
    agency_id = request.GET.get("agency", "")
    agency = next((a for a in agencies if str(a.pk) == agency_id), None)
    if agency is not None:
        seats = seats.filter(agency=agency)
    seats = seats.select_related("agency", "group", "person").order_by(
        "agency__order", "agency__name", "group__name", "order", "pk"
    )
    page = Paginator(seats, SEATS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "members/directory.html",
        {"agencies": agencies, "agency": agency, "seats": page.object_list, "page_obj": page},
    )


def _seats(group):
    """The group's current seats in the ToR's order: by agency, then seat."""
    return list(
        Membership.objects.current()
        .filter(group=group)
        .select_related("agency", "person")
        .order_by("agency__order", "agency__name", "order", "pk")
    )


def _by_agency(seats):
    return [(agency, list(rows)) for agency, rows in groupby(seats, key=lambda s: s.agency)]


def _day(value) -> str:
    return date_format(value, "j F Y") if value else ""


def _seat_cells(seat) -> list[str]:
    return [
        seat.agency.name,
        seat.agency.get_duty_status_display(),
        seat.role_title,
        seat.get_position_display(),
        seat.person.full_name if seat.person_id else "Vacant",
        seat.get_attendance_status_display(),
        _day(seat.tor_sent_on) or "Not sent",
    ]


@role_required
def distribution_list(request):
    """The ToR's distribution list: every agency's seats, who holds them, when the ToR went."""
    group, groups = choose_group(request)
    return _render_distribution_list(request, group, groups)


def _render_distribution_list(request, group, groups, *, bound=None):
    seats = _seats(group) if group else []
    if is_vru_staff(request.user):
        for seat in seats:
            prefix = f"seat-{seat.pk}"
            seat.form = (
                bound
                if bound and bound.prefix == prefix
                else TorSentForm(instance=seat, prefix=prefix)
            )
    return render(
        request,
        "members/distribution_list.html",
        {
            "group": group,
            "groups": groups,
            "agencies": _by_agency(seats),
            "seat_count": len(seats),
        },
    )


@require_POST
@staff_required
def tor_sent(request, pk: int):
    seat = get_object_or_404(Membership.objects.select_related("group", "agency", "person"), pk=pk)
    form = TorSentForm(request.POST, instance=seat, prefix=f"seat-{pk}")
    if not form.is_valid():
        return _render_distribution_list(request, seat.group, [seat.group], bound=form)
    form.save()
    where = f"{seat.role_title} ({seat.agency.display_name})"
    if seat.tor_sent_on:
        messages.success(request, f"ToR sent on {_day(seat.tor_sent_on)} recorded for {where}.")
    else:
        messages.success(request, f"The ToR sent date for {where} is cleared.")
    return redirect(f"{reverse('members:distribution_list')}?group={seat.group_id}#seat-{pk}")


def _export_name(group, extension: str) -> str:
    return f"distribution-list-{slugify(group.display_name)}.{extension}"


@role_required
def distribution_list_csv(request):
    group, _ = choose_group(request)
    seats = _seats(group) if group else []
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(DISTRIBUTION_HEADERS)
    for seat in seats:
        writer.writerow([safe_cell(cell) for cell in _seat_cells(seat)])
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    name = _export_name(group, "csv") if group else "distribution-list.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required
def distribution_list_docx(request):
    group, _ = choose_group(request)
    seats = _seats(group) if group else []
    document = Document()
    # Word refuses control characters, which a pasted name or title may carry.
    title = clean_text(f"Distribution list: {group.name}" if group else "Distribution list")
    document.core_properties.title = title
    document.core_properties.author = settings.PORTAL_NAME
    document.add_heading(title, level=0)
    if group and group.tor_version:
        published = (
            f", published {date_format(group.tor_published, 'F Y')}" if group.tor_published else ""
        )
        document.add_paragraph(clean_text(f"Terms of Reference {group.tor_version}{published}."))
    table = document.add_table(rows=1, cols=len(DISTRIBUTION_HEADERS))
    table.style = "Table Grid"
    header = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for cell, heading in zip(header.cells, DISTRIBUTION_HEADERS, strict=True):
        cell.paragraphs[0].add_run(heading).bold = True
    for seat in seats:
        for cell, text in zip(table.add_row().cells, _seat_cells(seat), strict=True):
            cell.text = clean_text(text)
    buffer = io.BytesIO()
    document.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = _export_name(group, "docx") if group else "distribution-list.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
