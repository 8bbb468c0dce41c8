"""The schedule and each meeting's page: every portal role sees them (an account with no
role sees none); VRU staff create and edit meetings."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from core.permissions import can_report, role_required, staff_required
from core.versioning import (
    CONFLICT_STATUS,
    EditConflict,
    conflict_context,
    conflict_message,
    save_form,
)
from meetings import services
from meetings.access import default_group, get_meeting
from meetings.forms import KeyUpdateForm, MeetingFilter, MeetingForm
from meetings.models import Attendance, Meeting
from meetings.selectors import changed_by, register_seats

PAST_PER_PAGE = 20


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
    meeting = get_meeting(request, pk, Meeting.objects.with_attendance_summary())
    return render_detail(request, meeting, KeyUpdateForm())


def render_detail(request, meeting: Meeting, key_update_form: KeyUpdateForm):
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
            "last_change_by": changed_by(last_change.history_user) if last_change else "",
            "key_updates": meeting.key_updates.order_by("created_at", "pk"),
            "key_update_form": key_update_form,
            "can_record_key_updates": can_report(request.user),
        },
    )


@staff_required
def meeting_create(request):
    group_id = request.GET.get("group", "")
    group = group_id if group_id.isdigit() else default_group()
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
    meeting = get_meeting(request, pk)
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
