"""Staff send a meeting's invitation, update or cancellation (meetings/invitations.py)
from a page that shows who it goes to and what has been sent before.

The page checks what it can at once (the form, somebody to send to, no send already on
its way), then queues the send as a background job (meetings.jobs) and returns to the
meeting page, which shows the job until it is done."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from core import jobs
from core.permissions import is_vru_staff, staff_required
from meetings import jobs as meeting_jobs
from meetings.access import get_meeting
from meetings.invitations import due_notice, invitation_refusal, next_kind
from meetings.models import InvitationSend, Meeting, MeetingReply
from meetings.reply_forms import InvitationForm
from meetings.selectors import invitation_recipients, invitation_sends, meeting_replies


@staff_required
def invitation(request, pk: int):
    """GET shows what would be sent and to whom; only a POST sends."""
    meeting = get_meeting(request, pk)
    sends = invitation_sends(meeting)
    last = sends[0] if sends else None
    initial = {"agenda": last.agenda if last else "", "sequence": meeting.sequence}
    form = InvitationForm(request.POST or None, initial=initial, meeting=meeting)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, "Nothing was sent: correct what is marked below.")
        elif refusal := invitation_refusal(invitation_recipients(meeting)):
            messages.error(request, refusal)
        elif jobs.on_its_way(meeting_jobs.send_invitation, meeting):
            messages.info(
                request,
                "This meeting's last send is still on its way: it sends the meeting as it is "
                "when it goes, so there is no need to send it again. This page shows when it "
                "is done.",
            )
            return redirect("meetings:detail", meeting.pk)
        else:
            label = InvitationSend.Kind(next_kind(meeting, last)).label
            queued = jobs.enqueue(
                meeting_jobs.send_invitation,
                description=f"{label}: {meeting}",
                about=meeting,
                by=request.user,
                meeting_id=meeting.pk,
                agenda=form.cleaned_data["agenda"],
            )
            jobs.tell(request, queued)
            return redirect("meetings:detail", meeting.pk)
    kind = next_kind(meeting, last)
    return render(
        request,
        "meetings/invitation.html",
        {
            "meeting": meeting,
            "form": form,
            "kind": kind,
            "kind_label": InvitationSend.Kind(kind).label,
            "recipients": invitation_recipients(meeting),
            "sends": sends,
            "due": due_notice(meeting, last),
        },
    )


def meeting_page_context(request, meeting: Meeting) -> dict:
    """The meeting page's share: whether replies are still open and, for staff, the
    apologies and deputies sent, the invitations sent and whether one is due."""
    context = {"replies_open": MeetingReply.refusal(meeting) is None}
    if is_vru_staff(request.user):
        sends = invitation_sends(meeting)
        context.update(
            replies=meeting_replies(meeting),
            invitation_sends=sends,
            invitation_due=due_notice(meeting, sends[0] if sends else None),
        )
    return context
