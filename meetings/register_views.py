"""The attendance register: VRU staff keep it, one save for the whole register."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from core.permissions import staff_required
from core.versioning import CONFLICT_STATUS, Difference, EditConflict, VersionForm, conflict_message
from meetings import services
from meetings.access import get_meeting
from meetings.attendance import AttendanceSummary
from meetings.forms import AttendanceRowForm
from meetings.models import Attendance, Meeting
from meetings.selectors import RegisterSeat, register_history, register_seats

# The register's version field: one for the whole register, apart from every seat's row.
REGISTER_PREFIX = "register"


def _register_forms(meeting: Meeting, seats: list[RegisterSeat], data) -> None:
    in_advance = not meeting.day_has_come
    for seat in seats:
        seat.form = AttendanceRowForm(
            data, membership=seat.membership, attendance=seat.attendance, in_advance=in_advance
        )
        if seat.attendance is None and seat.reply is not None:
            # What the member sent is only suggested: nothing is recorded until staff save.
            seat.form.initial = seat.reply.register_initial(in_advance=in_advance)


@staff_required
def attendance_register(request, pk: int):
    meeting = get_meeting(request, pk)
    seats = register_seats(meeting, with_replies=True)
    data = request.POST if request.method == "POST" else None
    _register_forms(meeting, seats, data)
    if data is None:
        return _render_register(request, meeting, seats)
    started = VersionForm.started_from(data, prefix=REGISTER_PREFIX)
    if meeting.is_cancelled:
        messages.error(request, "This meeting was cancelled, so it has no register to save.")
    # Validate every row (a list, not a generator) so each bad row shows its own error.
    elif all([seat.form.is_valid() for seat in seats]) and started is not None:
        rows = [
            services.AttendanceRow(
                membership=seat.membership,
                status=seat.form.cleaned_data["status"],
                deputy_name=seat.form.cleaned_data["deputy_name"],
            )
            for seat in seats
            if seat.form.cleaned_data["status"]
        ]
        try:
            services.attendance_record(meeting=meeting, rows=rows, by=request.user, version=started)
        except EditConflict:
            return _register_conflict(request, meeting.pk, data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            summary = AttendanceSummary.for_meeting(meeting)
            messages.success(request, f"Attendance saved for {meeting}: {summary}.")
            return redirect("meetings:detail", meeting.pk)
    elif started is not None and started != meeting.register_version:
        # Rows judged against a register that has changed since: the change comes first.
        return _register_conflict(request, meeting.pk, data)
    elif started is None:
        messages.error(request, "The register could not be saved: reload the page and try again.")
    return _render_register(request, meeting, seats, data=data)


def _register_conflict(request, pk: int, data):
    """A register saved by somebody else since this one was opened (409): the current
    register, where it differs from what was typed, and the form again holding what was
    typed, and the current register for the seats left blank."""
    meeting = get_meeting(request, pk)
    seats = register_seats(meeting)
    label = dict(Attendance.Status.choices)

    def shown(status: str, deputy_name: str) -> str:
        if not status:
            return "Not recorded"
        words = str(label.get(status, status))
        return f"{words} ({deputy_name})" if status == Attendance.Status.DEPUTY else words

    kept = data.copy()
    kept[f"{REGISTER_PREFIX}-version"] = meeting.register_version
    differences = []
    for seat in seats:
        status_key, deputy_key = (
            f"seat-{seat.membership.pk}-status",
            f"seat-{seat.membership.pk}-deputy_name",
        )
        row = seat.attendance
        current = (row.status, row.deputy_name) if row else ("", "")
        yours = (data.get(status_key, ""), data.get(deputy_key, "").strip())
        if yours[0] != Attendance.Status.DEPUTY:
            yours = (yours[0], "")
        if not yours[0]:
            kept[status_key], kept[deputy_key] = current
        elif yours != current:
            differences.append(
                Difference(
                    label=f"{seat.membership.role_title} ({seat.membership.agency.display_name})",
                    current=shown(*current),
                    yours=shown(*yours),
                )
            )
    _register_forms(meeting, seats, kept)
    messages.error(request, conflict_message("this register"))
    conflict = {
        "differences": differences,
        "label": "Seat",
        "back_url": reverse("meetings:detail", args=[meeting.pk]),
    }
    return _render_register(
        request, meeting, seats, data=kept, conflict=conflict, status=CONFLICT_STATUS
    )


def _render_register(request, meeting, seats, *, data=None, conflict=None, status=200):
    history = register_history(meeting, seats)
    latest = {}
    for change in reversed(history):
        latest[change.seat_id] = change
    for seat in seats:
        seat.last_change = latest.get(seat.membership.pk)
    return render(
        request,
        "meetings/register.html",
        {
            "meeting": meeting,
            "seats": seats,
            "version_form": VersionForm(
                initial={"version": meeting.register_version}, prefix=REGISTER_PREFIX
            ),
            "conflict": conflict,
            "history": history[:50],
            "summary": AttendanceSummary.for_meeting(meeting),
            "in_advance": not meeting.day_has_come,
            "has_errors": data is not None and any(seat.form.errors for seat in seats),
        },
        status=status,
    )
