"""Key updates and decisions raised at a meeting: recorded by VRU staff and the chair,
who raises them to the SVRP."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.permissions import reporter_required
from core.versioning import (
    CONFLICT_STATUS,
    EditConflict,
    conflict_context,
    conflict_message,
    save_form,
)
from meetings.access import get_meeting
from meetings.forms import KeyUpdateForm
from meetings.meeting_views import render_detail
from meetings.models import KeyUpdate, Meeting
from meetings.signals import notices_about_quarter


@require_POST
@reporter_required
def key_update_add(request, pk: int):
    meeting = get_meeting(request, pk, Meeting.objects.with_attendance_summary())
    form = KeyUpdateForm(request.POST, instance=KeyUpdate(meeting=meeting))
    if not form.is_valid():
        return render_detail(request, meeting, form)
    update = form.save(commit=False)
    update.created_by = request.user
    update.save()
    _saved(request, f"{update.get_kind_display()} added to {meeting}.", meeting, update.for_svrp)
    return redirect(f"{reverse('meetings:detail', args=[meeting.pk])}#key-updates")


def _saved(request, message: str, meeting: Meeting, for_svrp: bool) -> None:
    """Say the key update was saved and, when the SVRP update of the meeting's quarter is
    already finalised, that the update as sent will not show it (meetings.signals)."""
    notices = notices_about_quarter(meeting) if for_svrp else []
    if notices:
        messages.warning(request, " ".join([message, *notices]))
    else:
        messages.success(request, message)


@reporter_required
def key_update_edit(request, pk: int, update_pk: int):
    meeting = get_meeting(request, pk)
    update = get_object_or_404(KeyUpdate, pk=update_pk, meeting=meeting)
    was_for_svrp = update.for_svrp
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
                    "quarter_notices": notices_about_quarter(meeting),
                },
                status=CONFLICT_STATUS,
            )
        # Taking an update out of the SVRP's misses a finalised update as much as adding one.
        for_svrp = was_for_svrp or update.for_svrp
        _saved(request, f"{update.get_kind_display()} updated.", meeting, for_svrp)
        return redirect(back)
    return render(
        request,
        "meetings/key_update_form.html",
        {
            "form": form,
            "meeting": meeting,
            "update": update,
            "quarter_notices": notices_about_quarter(meeting),
        },
    )
