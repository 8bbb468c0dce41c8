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
    messages.success(request, f"{update.get_kind_display()} added to {meeting}.")
    return redirect(f"{reverse('meetings:detail', args=[meeting.pk])}#key-updates")


@reporter_required
def key_update_edit(request, pk: int, update_pk: int):
    meeting = get_meeting(request, pk)
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
