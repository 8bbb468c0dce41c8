"""Meetings: the schedule, each meeting's page, its register, key updates, plans and calendars.

Who may do what (checked first in every view):
- every portal role sees the meeting list, meeting pages and their calendar files (a
  signed-in account with no role sees none of them); each person has their own feed;
- VRU staff create, edit and plan meetings and keep the attendance register;
- staff and the chair record key updates and decisions (the chair raises them to the SVRP);
- every portal role sees attendance monitoring too: it adds up the registers each meeting
  page already shows, so that the whole partnership sees who takes part.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.permissions import (
    can_report,
    has_role,
    person_of,
    reporter_required,
    role_required,
    staff_required,
    user_display_name,
)
from core.versioning import (
    CONFLICT_STATUS,
    Difference,
    EditConflict,
    VersionForm,
    conflict_context,
    conflict_message,
    save_form,
)
from meetings import services, stats
from meetings.calendars import absolute_url, calendar_bytes, feed_owner
from meetings.forms import (
    AttendanceRowForm,
    KeyUpdateForm,
    MeetingFilter,
    MeetingForm,
    MonitoringForm,
    PlanFormSet,
    PlanRowForm,
)
from meetings.models import Attendance, KeyUpdate, Meeting
from members.models import Agency, Group, Membership
from vrp_portal.exports import safe_cell

PAST_PER_PAGE = 20


def _meeting_or_404(request, pk: int, queryset=None) -> Meeting:
    """Every portal role sees every meeting; an account with no role sees none (404)."""
    if not has_role(request.user):
        raise Http404
    queryset = queryset if queryset is not None else Meeting.objects.all()
    return get_object_or_404(queryset.select_related("group__parent", "host_agency"), pk=pk)


# The schedule ------------------------------------------------------------------------


@role_required
def meeting_list(request):
    meetings = Meeting.objects.select_related("group", "host_agency").with_attendance_summary()
    filterset = MeetingFilter(request.GET or None, queryset=meetings)
    meetings = filterset.qs
    past = Paginator(meetings.past(), PAST_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/list.html",
        {
            "filter": filterset,
            "upcoming": meetings.ahead(),
            "page_obj": past,
            "past": past.object_list,
        },
    )


def meeting_detail(request, pk: int):
    meeting = _meeting_or_404(request, pk, Meeting.objects.with_attendance_summary())
    return _render_detail(request, meeting, KeyUpdateForm())


def _render_detail(request, meeting: Meeting, key_update_form: KeyUpdateForm):
    """The meeting page; also re-shown with the errors of a key update that was refused."""
    last_change = (
        Attendance.history.filter(meeting_id=meeting.pk)
        .select_related("history_user__person")
        .order_by("-history_date", "-history_id")
        .first()
    )
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "summary": meeting.attendance_summary,
            "register": register_seats(meeting),
            "last_change": last_change,
            "last_change_by": _user_name(last_change.history_user) if last_change else "",
            "key_updates": meeting.key_updates.order_by("created_at", "pk"),
            "key_update_form": key_update_form,
            "can_record_key_updates": can_report(request.user),
        },
    )


@staff_required
def meeting_create(request):
    group_id = request.GET.get("group", "")
    group = group_id if group_id.isdigit() else _default_group()
    form = MeetingForm(request.POST or None, initial={"group": group})
    if request.method == "POST" and form.is_valid():
        meeting = form.save()
        messages.success(request, f"Meeting scheduled: {meeting}.")
        for warning in services.rule_warnings(meeting.group, [meeting]):
            messages.warning(request, warning)
        return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": None})


@staff_required
def meeting_edit(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    before = meeting.calendar_state()
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        moved = form.instance.note_calendar_change(before)
        try:
            meeting = save_form(form)
        except EditConflict as conflict:
            messages.error(request, conflict_message("this meeting"))
            context = conflict_context(
                form, conflict.current, back_url=reverse("meetings:detail", args=[pk])
            )
            return render(
                request,
                "meetings/form.html",
                {**context, "meeting": conflict.current},
                status=CONFLICT_STATUS,
            )
        note = " Calendars will show the change." if moved else ""
        messages.success(request, f"Meeting updated: {meeting}.{note}")
        for warning in services.rule_warnings(meeting.group, [meeting]):
            messages.warning(request, warning)
        return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": meeting})


# Key updates and decisions -----------------------------------------------------------


@require_POST
@reporter_required
def key_update_add(request, pk: int):
    meeting = _meeting_or_404(request, pk, Meeting.objects.with_attendance_summary())
    form = KeyUpdateForm(request.POST, instance=KeyUpdate(meeting=meeting))
    if not form.is_valid():
        return _render_detail(request, meeting, form)
    update = form.save(commit=False)
    update.created_by = request.user
    update.save()
    messages.success(request, f"{update.get_kind_display()} added to {meeting}.")
    return redirect(f"{reverse('meetings:detail', args=[meeting.pk])}#key-updates")


@reporter_required
def key_update_edit(request, pk: int, update_pk: int):
    meeting = _meeting_or_404(request, pk)
    update = get_object_or_404(KeyUpdate, pk=update_pk, meeting=meeting)
    form = KeyUpdateForm(request.POST or None, instance=update)
    back = f"{reverse('meetings:detail', args=[meeting.pk])}#key-updates"
    if request.method == "POST" and form.is_valid():
        try:
            save_form(form)
        except EditConflict as conflict:
            update = conflict.current
            messages.error(request, conflict_message(f"this {update.get_kind_display().lower()}"))
            return render(
                request,
                "meetings/key_update_form.html",
                {
                    **conflict_context(form, update, back_url=back),
                    "meeting": meeting,
                    "update": update,
                },
                status=CONFLICT_STATUS,
            )
        messages.success(request, f"{update.get_kind_display()} updated.")
        return redirect(back)
    return render(
        request,
        "meetings/key_update_form.html",
        {"form": form, "meeting": meeting, "update": update},
    )


# The attendance register --------------------------------------------------------------


@dataclass
class RegisterSeat:
    """A seat on a meeting's register, with its row if one was recorded."""

    membership: Membership
    attendance: Attendance | None
    form: AttendanceRowForm | None = None
    last_change: RegisterChange | None = None

    @property
    def holder(self):
        """Who held the seat on the day once recorded; until then, who holds it now."""
        if self.attendance is not None:
            return self.attendance.person
        return self.membership.person


@dataclass(frozen=True)
class RegisterChange:
    when: dt.datetime
    who: str
    seat_id: int
    seat: str
    before: str
    after: str


def register_seats(meeting: Meeting) -> list[RegisterSeat]:
    """The seats expected at the meeting, and any other seat already recorded, in ToR order."""
    recorded = {
        row.membership_id: row
        for row in meeting.attendances.select_related(
            "membership__agency", "membership__person", "person"
        )
    }
    expected = list(meeting.expected_memberships().select_related("agency", "person"))
    seats = expected + [
        row.membership
        for row in recorded.values()
        if row.membership_id not in {m.pk for m in expected}
    ]
    seats.sort(key=lambda m: (m.agency.order, m.agency.name, m.order, m.pk))
    return [RegisterSeat(membership=m, attendance=recorded.get(m.pk)) for m in seats]


def _user_name(user) -> str:
    return user_display_name(user) if user is not None else "the system"


def register_history(meeting: Meeting, seats: list[RegisterSeat]) -> list[RegisterChange]:
    """Every change to the meeting's register, newest first: who changed what, and when."""
    names = {seat.membership.pk: seat.membership.role_title for seat in seats}
    label = dict(Attendance.Status.choices)
    records = (
        Attendance.history.filter(meeting_id=meeting.pk)
        .select_related("history_user__person")
        .order_by("history_date", "history_id")
    )
    previous: dict[int, str] = {}
    changes = []
    for record in records:
        after = label.get(record.status, record.status)
        if record.status == Attendance.Status.DEPUTY:
            after = f"{after} ({record.deputy_name})"
        before = previous.get(record.id, "Not recorded")
        previous[record.id] = after
        changes.append(
            RegisterChange(
                when=record.history_date,
                who=_user_name(record.history_user),
                seat_id=record.membership_id,
                seat=names.get(record.membership_id, "A seat no longer listed"),
                before=before,
                after=after,
            )
        )
    return changes[::-1]


# The register's version field: one for the whole register, apart from every seat's row.
REGISTER_PREFIX = "register"


def _register_forms(meeting: Meeting, seats: list[RegisterSeat], data) -> None:
    in_advance = not meeting.day_has_come
    for seat in seats:
        seat.form = AttendanceRowForm(
            data, membership=seat.membership, attendance=seat.attendance, in_advance=in_advance
        )


@staff_required
def attendance_register(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    seats = register_seats(meeting)
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
            summary = stats.AttendanceSummary.for_meeting(meeting)
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
    meeting = _meeting_or_404(request, pk)
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
            "summary": stats.AttendanceSummary.for_meeting(meeting),
            "in_advance": not meeting.day_has_come,
            "has_errors": data is not None and any(seat.form.errors for seat in seats),
        },
        status=status,
    )


# Planning the year --------------------------------------------------------------------


def _default_group() -> Group | None:
    return (
        Group.objects.filter(kind=Group.Kind.WORKING, is_active=True).order_by("name").first()
        or Group.objects.filter(is_active=True).order_by("kind", "name").first()
    )


def _chosen_group(value: str | None) -> Group | None:
    if value and value.isdigit():
        return get_object_or_404(Group, pk=value, is_active=True)
    return _default_group()


@staff_required
def meeting_plan(request):
    group = _chosen_group(request.POST.get("group") or request.GET.get("group"))
    if group is None:
        return render(request, "meetings/plan.html", {"group": None})
    warnings: list[str] = []
    if request.method == "POST":
        formset = PlanFormSet(request.POST, prefix="plan", group=group)
        if formset.is_valid():
            planned = [form.to_meeting(group) for form in formset if form.cleaned_data["include"]]
            warnings = services.rule_warnings(group, planned)
            if request.POST.get("step") != "check":
                services.meetings_plan(group=group, meetings=planned, by=request.user)
                count = len(planned)
                messages.success(
                    request,
                    f"{count} meeting{'s' if count != 1 else ''} of the {group.name} scheduled.",
                )
                for warning in warnings:
                    messages.warning(request, warning)
                return redirect(f"{reverse('meetings:list')}?group={group.pk}")
    else:
        proposal = services.plan_proposal(group)
        formset = PlanFormSet(initial=[PlanRowForm.initial_for(m) for m in proposal], prefix="plan")
    return render(
        request,
        "meetings/plan.html",
        {
            "group": group,
            "groups": Group.objects.filter(is_active=True).select_related("parent"),
            "formset": formset,
            "warnings": warnings,
            "checked": request.method == "POST",
            "hosts": services.hosting_rota(group),
            "now": timezone.now(),
        },
    )


# Attendance monitoring ----------------------------------------------------------------


def _monitoring(request) -> dict:
    """The monitoring figures for the page and its CSV; every signed-in role may see them."""
    group = _default_group()
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
    by_agency = stats.attendance_by_agency(meetings)
    missed = {row.name: row for row in stats.agencies_missing_last_two(group)}
    duty = dict(Agency.objects.values_list("name", "duty_status"))
    total = stats.AttendanceFigures(
        name="All agencies",
        present=sum(f.present for f in by_agency),
        deputy=sum(f.deputy for f in by_agency),
        apologies=sum(f.apologies for f in by_agency),
        absent=sum(f.absent for f in by_agency),
    )
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
        "seats": stats.attendance_by_seat(meetings),
        "total": total,
        "missed": list(missed.values()),
        "last_two": stats.last_registered_meetings(group, 2),
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


# Calendars ------------------------------------------------------------------------------


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def meeting_ics(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    content = calendar_bytes([meeting], name=f"{meeting.group.display_name} meeting")
    return _ics_response(content, f"meeting-{meeting.pk}.ics")


@login_not_required
@never_cache
@require_GET
def calendar_feed(request):
    """A person's meetings for Outlook to subscribe to. The token is the only key: calendar
    clients cannot sign in. An unknown or revoked token gets 404 and gives nothing away."""
    person = feed_owner(request.GET.get("token", ""))
    if person is None:
        raise Http404("No such calendar.")
    seats = Membership.objects.current().filter(person=person)
    since = timezone.now() - dt.timedelta(days=366)
    meetings = (
        Meeting.objects.filter(group__memberships__in=seats, ends_at__gte=since)
        .select_related("group", "host_agency")
        .distinct()
        .order_by("starts_at")
    )
    content = calendar_bytes(meetings, name="VRP meetings")
    return _ics_response(content, "vrp-meetings.ics")


@role_required
def calendar_settings(request):
    person = person_of(request.user)
    feed_url = None
    if person is not None:
        feed_url = absolute_url(
            f"{reverse('meetings:calendar_feed')}?token={person.calendar_token}"
        )
    return render(request, "meetings/calendar.html", {"person": person, "feed_url": feed_url})


@require_POST
@role_required
def calendar_reset(request):
    person = person_of(request.user)
    if person is None:
        raise Http404("This account has no calendar feed.")
    person.reset_calendar_token()
    messages.success(
        request,
        "Your calendar address has been reset: the old one no longer works. "
        "Subscribe again with the new address below.",
    )
    return redirect("meetings:calendar")
