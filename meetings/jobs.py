"""The meetings app's background jobs (core.jobs): a meeting's invitation, update or
cancellation, sent by the worker rather than by the page that asks for it."""

from __future__ import annotations

from core import jobs
from core.emails import NotSent
from core.models import Job
from meetings.invitations import describe, invitation_send
from meetings.models import Meeting


@jobs.job
def send_invitation(job: Job, *, meeting_id: int, agenda: str) -> str:
    """Send the meeting's invitation, update or cancellation (invitations.invitation_send)
    and say what went.

    The meeting is read as it is now, so a change saved while the job waited is in what
    is sent; whether it goes as an invitation, update or cancellation is decided here
    too. `agenda` is the text staff typed for the email.
    """
    meeting = (
        Meeting.objects.select_related("group__parent", "host_agency").filter(pk=meeting_id).first()
    )
    if meeting is None:
        raise NotSent("Not sent: the meeting has been deleted.")
    # The send is recorded as theirs (InvitationSend.sent_by), so they must still exist.
    by = job.requested_by
    if by is None:
        raise NotSent("Not sent: the account of the member of staff who asked for it has gone.")
    sent = invitation_send(meeting=meeting, agenda=agenda, by=by)
    return describe(len(sent.recipients), sent.kind)
