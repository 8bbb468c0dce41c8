"""The actions app's background jobs (core.jobs).

- `send_note`: a meeting's action note, its Word and PDF copies built by the worker.
"""

from __future__ import annotations

from actions.action_note import send_action_note, sent_to
from core import jobs
from core.emails import NotSent
from core.models import Job
from meetings.models import Meeting


@jobs.job
def send_note(job: Job, *, meeting_id: int, reason: str) -> str:
    """Build the meeting's action note as Word and PDF and email it to each recipient
    (action_note.send_action_note), and say to how many.

    The note is built when the job runs, so it says what the meeting's register and
    actions say then; the recipients and refusals are checked again too. `reason` is
    the text staff typed for sending it again ("" the first time).
    """
    meeting = Meeting.objects.select_related("group").filter(pk=meeting_id).first()
    if meeting is None:
        raise NotSent("Not sent: the meeting has been deleted.")
    # The send is recorded as theirs (ActionNoteSend.sent_by), so they must still exist.
    by = job.requested_by
    if by is None:
        raise NotSent("Not sent: the account of the member of staff who asked for it has gone.")
    sent = send_action_note(meeting=meeting, by=by, reason=reason)
    return sent_to(len(sent.recipients))
