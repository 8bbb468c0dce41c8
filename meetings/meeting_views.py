"""The schedule and each meeting's page: every portal role sees them (an account with no
role sees none); VRU staff create and edit meetings."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from core.permissions import can_report, role_required, staff_required
from core.versioning import (
    CONFLICT_STATUS,
    EditConflict,
    conflict_context,
    conflict_message,
    save_form,
)
from meetings.access import default_group, get_meeting
from meetings.forms import KeyUpdateForm, MeetingFilter, MeetingForm
from meetings.invitation_views import meeting_page_context
from meetings.models import Attendance, Meeting
from meetings.selectors import changed_by, register_seats
from meetings.signals import notices_about_quarter
from members.models import Group

PAST_PER_PAGE = 20
UPCOMING_PER_PAGE = 20


@role_required
def meeting_list(request):
    meetings = Meeting.objects.select_related("group", "host_agency").with_attendance_summary()
    filterset = MeetingFilter(request.GET or None, queryset=meetings)
    meetings = filterset.qs
    # Each list pages on its own parameter, so that paging one keeps the other's place.
    upcoming = Paginator(meetings.ahead(), UPCOMING_PER_PAGE).get_page(
        request.GET.get("upcoming_page")
    )
    past = Paginator(meetings.past(), PAST_PER_PAGE).get_page(request.GET.get("page"))
    chosen = filterset.form.cleaned_data.get("group") if filterset.is_bound else None
    return render(
        request,
        "meetings/list.html",
        {
            "filter": filterset,
            "group": Group.objects.filter(pk=chosen).first() if chosen else None,
            "upcoming_page": upcoming,
            "upcoming": upcoming.object_list,
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
            **meeting_page_context(request, meeting),
            "quarter_notices": notices_about_quarter(meeting) if can_report(request.user) else [],
        },
    )


@staff_required
def meeting_create(request):
    group_id = request.GET.get("group", "")
    group = group_id if group_id.isdigit() else default_group()
    form = MeetingForm(request.POST or None, initial={"group": group})
    if request.method == "POST" and form.is_valid():
        meeting = form.save()
        messages.success(request, _created(meeting) + _rule_note(form.rule_warnings))
        return redirect("meetings:detail", meeting.pk)
    return render(
        request,
        "meetings/form.html",
        {"form": form, "meeting": None, "hint": form.rule_hint()},
    )


def _created(meeting: Meeting) -> str:
    """A meeting entered after it took place is recorded, not scheduled: say so, and what
    comes next."""
    if meeting.is_cancelled:
        return f"Meeting recorded as cancelled: {meeting}."
    if meeting.status == Meeting.Status.HELD or meeting.has_started:
        return f"Meeting recorded: {meeting}. Record who attended on its register."
    return f"Meeting scheduled: {meeting}."


def _rule_note(warnings: list[str]) -> str:
    """The breach of the in-person rule that staff confirmed, kept in the message after saving."""
    if not warnings:
        return ""
    return " Saved although it breaks the in-person rule: " + " ".join(warnings)


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
                {**context, "meeting": conflict.current, "hint": form.rule_hint()},
                status=CONFLICT_STATUS,
            )
        note = " Calendars will show the change." if moved else ""
        messages.success(
            request, f"Meeting updated: {meeting}.{note}{_rule_note(form.rule_warnings)}"
        )
        return redirect("meetings:detail", meeting.pk)
    return render(
        request,
        "meetings/form.html",
        {"form": form, "meeting": meeting, "hint": form.rule_hint()},
    )


@require_GET
@staff_required
def rule_hint(request):
    """The in-person rule's expectation for the meeting form as it stands (its fields in
    the query; `meeting` when editing), as JSON: the form's script shows it live."""
    meeting_id = request.GET.get("meeting", "")
    meeting = get_meeting(request, int(meeting_id)) if meeting_id.isdigit() else None
    hint = MeetingForm(request.GET, instance=meeting).rule_hint()
    if hint is None:
        return JsonResponse({"rule": "", "expectation": "", "verdict": "", "warnings": []})
    return JsonResponse(
        {
            "rule": hint.rule,
            "expectation": hint.expectation,
            "verdict": hint.verdict,
            "warnings": list(hint.warnings),
        }
    )
