"""Attendance monitoring: every portal role sees it; it adds up the registers each
meeting page already shows, so that the whole partnership sees who takes part."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from core.exports import safe_cell
from core.permissions import role_required
from meetings.access import default_group
from meetings.attendance import AttendanceFigures
from meetings.forms import MonitoringForm
from meetings.models import Meeting
from meetings.selectors import (
    agencies_missing_last_two,
    attendance_by_agency,
    attendance_by_seat,
    last_registered_meetings,
)
from members.models import Agency


def _monitoring(request) -> dict:
    """The monitoring figures for the page and its CSV; every signed-in role may see them."""
    group = default_group()
    form = MonitoringForm(request.GET if "group" in request.GET else MonitoringForm.defaults(group))
    if not form.is_valid():
        return {"form": form, "valid": False}
    group, start, end = (form.cleaned_data[k] for k in ("group", "start", "end"))
    meetings = (
        Meeting.objects.for_group(group, with_children=False)
        .not_cancelled()
        .started()
        .between(start.start, end.end)
    )
    by_agency = attendance_by_agency(meetings)
    missed = {row.name: row for row in agencies_missing_last_two(group)}
    duty = dict(Agency.objects.values_list("name", "duty_status"))
    total = AttendanceFigures.total(by_agency, name="All agencies")
    return {
        "form": form,
        "valid": True,
        "group": group,
        "start": start,
        "end": end,
        "meeting_count": meetings.filter(attendances__isnull=False).distinct().count(),
        "agencies": [
            (f, duty.get(f.name) == Agency.DutyStatus.SPECIFIED, missed.get(f.name))
            for f in by_agency
        ],
        "seats": attendance_by_seat(meetings),
        "total": total,
        "missed": list(missed.values()),
        "last_two": last_registered_meetings(group, 2),
    }


@require_GET
@role_required
def attendance_monitoring(request):
    context = _monitoring(request)
    return render(request, "meetings/monitoring.html", context)


@require_GET
@role_required
def attendance_monitoring_csv(request):
    context = _monitoring(request)
    if not context["valid"]:
        return redirect("meetings:monitoring")
    group, start, end = context["group"], context["start"], context["end"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"attendance-{start.fy_label}-q{start.number}-to-{end.fy_label}-q{end.number}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel reads the file as UTF-8 only with a byte-order mark.
    writer = csv.writer(response)
    writer.writerow([safe_cell(f"Attendance: {group.name}, {start.label} to {end.label}")])
    header = [
        "Agency",
        "Seat",
        "Present",
        "Deputy",
        "Apologies",
        "Absent",
        "Recorded",
        "Attended",
        "Attendance rate (%)",
        "Missed the last two meetings",
    ]
    writer.writerow(header)
    for figures, _specified, missed in context["agencies"]:
        writer.writerow(_csv_row(figures.name, "All seats", figures, "Yes" if missed else "No"))
    for figures in context["seats"]:
        writer.writerow(_csv_row(figures.agency, figures.name, figures, ""))
    return response


def _csv_row(agency: str, seat: str, figures, missed: str) -> list:
    rate = "" if figures.rate is None else figures.rate
    return [
        safe_cell(agency),
        safe_cell(seat),
        figures.present,
        figures.deputy,
        figures.apologies,
        figures.absent,
        figures.recorded,
        figures.attended,
        rate,
        missed,
    ]
