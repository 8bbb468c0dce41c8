"""A meeting's action note: staff preview it with its recipients, send it (again, with a
reason), see each send, and download its Word and PDF copies.

Sending checks at once what it can (the register, the reason, somebody to send to, no
send already on its way), then queues a background job (actions.jobs) that builds the
Word and PDF copies and sends them; this page lists that job until it is done."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from actions import jobs as note_jobs
from actions.action_note import (
    RENDERERS,
    ActionNote,
    note_filename,
    note_recipients,
    note_refusal,
    send_refusal,
)
from core import jobs
from core.documents import CONTENT_TYPES
from core.permissions import staff_required, user_display_name
from core.templatetags.jobs import SHOWN
from meetings.models import Meeting


class SendForm(forms.Form):
    """The send button, and once the note has gone, why it is going again."""

    reason = forms.CharField(
        label="Why are you sending it again?",
        help_text="The email gives this reason, for example “An action's owner was wrong”.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )

    def __init__(self, *args, resend: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.resend = resend

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if self.resend and not reason:
            raise forms.ValidationError("Say why you are sending the action note again.")
        return reason


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("group"), pk=pk)


@require_http_methods(["GET", "POST"])
@staff_required
def action_note(request, meeting_pk: int):
    """The note as it will be sent and to whom (GET); POST sends it and records the send."""
    meeting = _meeting(meeting_pk)
    sends = list(meeting.action_note_sends.select_related("sent_by__person"))
    # An empty POST is falsy: the first send has no reason to post.
    form = SendForm(request.POST if request.method == "POST" else None, resend=bool(sends))
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if jobs.on_its_way(note_jobs.send_note, meeting):
            messages.info(
                request,
                "The action note is already on its way: this page shows when it has gone.",
            )
            return redirect("actions:note", meeting.pk)
        if refusal := send_refusal(meeting, reason=reason):
            messages.error(request, refusal)
        else:
            again = ", sent again" if sends else ""
            queued = jobs.enqueue(
                note_jobs.send_note,
                description=f"Action note of {meeting}{again}",
                about=meeting,
                by=request.user,
                meeting_id=meeting.pk,
                reason=reason,
            )
            jobs.tell(request, queued)
            return redirect("actions:note", meeting.pk)
    refusal = note_refusal(meeting)
    note = None if refusal else ActionNote(meeting)
    return render(
        request,
        "actions/note.html",
        {
            "meeting": meeting,
            "refusal": refusal,
            "note": note,
            "sections": note.sections() if note else [],
            "recipients": note_recipients(meeting),
            "attachments": [note_filename(meeting, ext) for ext in CONTENT_TYPES],
            "sends": [(row, user_display_name(row.sent_by)) for row in sends],
            "form": form,
            "note_jobs": list(jobs.jobs_about(meeting, note_jobs.send_note)[:SHOWN]),
        },
    )


@require_GET
@staff_required
def action_note_file(request, meeting_pk: int, extension: str):
    """The note as Word or PDF, as the email attaches it."""
    meeting = _meeting(meeting_pk)
    if extension not in RENDERERS or note_refusal(meeting):
        raise Http404("This meeting has no action note yet.")
    response = HttpResponse(RENDERERS[extension](ActionNote(meeting)), CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{note_filename(meeting, extension)}"'
    return response
