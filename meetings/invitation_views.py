"""Staff send a meeting's invitation, update or cancellation (meetings/invitations.py)
from a page that shows who it goes to and what has been sent before."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from core.emails import NotSent
from core.permissions import is_vru_staff, staff_required
from meetings.access import get_meeting
from meetings.invitations import due_notice, invitation_send, next_kind
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
        if form.is_valid():
            try:
                sent = invitation_send(
                    meeting=meeting, agenda=form.cleaned_data["agenda"], by=request.user
                )
            except NotSent as refusal:
                messages.error(request, str(refusal))
            else:
                count = len(sent.recipients)
                people = "person" if count == 1 else "people"
                messages.success(
                    request,
                    f"{sent.get_kind_display()} sent to {count} {people}, with the meeting's "
                    "calendar file attached.",
                )
                return redirect("meetings:detail", meeting.pk)
        else:
            messages.error(request, "Nothing was sent: correct what is marked below.")
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
