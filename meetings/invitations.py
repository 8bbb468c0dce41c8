"""Sending a meeting's invitation, and later its update or cancellation, to the people
holding its group's seats.

Each person gets their own message (nobody's address is shown to the others) with the
meeting as an iCalendar file, naming them as its only attendee: the
same UID every time, and the meeting's SEQUENCE, which grows with every change a
calendar shows (Meeting.note_calendar_change), so that Outlook updates or removes the
event it added. Every send is recorded (InvitationSend) and listed on the meeting page.

The page only queues the send: a background job (meetings.jobs) builds and sends the
messages, tried again if the mail server fails, so it reads the meeting as it is when it
runs, and what it sends (invitation, update or cancellation) is decided then.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from core.emails import NotSent, templated_email
from meetings.calendars import invitation_bytes
from meetings.models import InvitationSend, Meeting
from meetings.selectors import invitation_recipients

Kind = InvitationSend.Kind
METHODS = {Kind.INVITATION: "REQUEST", Kind.UPDATE: "REQUEST", Kind.CANCELLATION: "CANCEL"}


def next_kind(meeting: Meeting, last: InvitationSend | None) -> str:
    """What sending now would be: a cancellation for a cancelled meeting, an update once an
    invitation has gone, else the invitation."""
    if meeting.is_cancelled:
        return Kind.CANCELLATION
    if last is None:
        return Kind.INVITATION
    return Kind.UPDATE


def due_notice(meeting: Meeting, last: InvitationSend | None) -> str:
    """What the meeting page tells staff to send, or "" when calendars are up to date.

    Only what has changed since the last send is news: a calendar applies a message
    only when its SEQUENCE is higher than the one it holds.
    """
    if last is None:
        return "" if meeting.is_cancelled else "The invitation has not been sent yet."
    if meeting.is_cancelled:
        if last.kind == Kind.CANCELLATION:
            return ""
        return "The meeting was cancelled after its invitation was sent: send the cancellation."
    if meeting.sequence > last.sequence:
        return (
            "The meeting has changed since its invitation was last sent: send an update so "
            "that people's calendars show the change."
        )
    return ""


def _message(
    meeting: Meeting, kind: str, agenda: str, recipient: tuple[str, str], connection
) -> EmailMultiAlternatives:
    name, email = recipient
    context = {
        "meeting": meeting,
        "kind": kind,
        "agenda": agenda,
        "name": name,
        "meeting_url": settings.SITE_URL + meeting.get_absolute_url(),
        "reply_url": settings.SITE_URL + reverse("meetings:reply", args=[meeting.pk]),
        "is_cancellation": kind == Kind.CANCELLATION,
        "is_update": kind == Kind.UPDATE,
    }
    method = METHODS[kind]
    calendar = (
        "cancellation.ics" if method == "CANCEL" else "invitation.ics",
        invitation_bytes(meeting, method=method, attendee=recipient),
        f"text/calendar; method={method}; charset=utf-8",
    )
    return templated_email(
        "meetings/emails/invitation",
        context,
        to=email,
        connection=connection,
        attachments=[calendar],
    )


NOBODY = "Nobody holding a seat on this group has an email address to send to."


def invitation_refusal(recipients: list[tuple[str, str]]) -> str | None:
    """Why nothing can be sent to these recipients, or None: the page says so at once,
    before queueing, and the job checks again when it runs."""
    return None if recipients else NOBODY


def describe(count: int, kind: str) -> str:
    """What a send did, for the page: "Update sent to 4 people, with ..."."""
    people = "person" if count == 1 else "people"
    return (
        f"{Kind(kind).label} sent to {count} {people}, with the meeting's calendar file attached."
    )


def invitation_send(*, meeting: Meeting, agenda: str, by) -> InvitationSend:
    """Email the meeting's invitation, update or cancellation to its seat holders, and
    record it. NotSent when nobody has an email address."""
    recipients = invitation_recipients(meeting)
    refusal = invitation_refusal(recipients)
    if refusal:
        raise NotSent(refusal)
    last = meeting.invitation_sends.order_by("-sent_at", "-pk").first()
    kind = next_kind(meeting, last)
    connection = get_connection()
    with translation.override(settings.LANGUAGE_CODE):
        messages = [
            _message(meeting, kind, agenda, recipient, connection) for recipient in recipients
        ]
    with transaction.atomic():
        sent = InvitationSend.objects.create(
            meeting=meeting,
            kind=kind,
            sequence=meeting.sequence,
            recipients=[email for _name, email in recipients],
            agenda=agenda,
            sent_by=by,
            sent_at=timezone.now(),
        )
        # Recorded and sent together: if the mail server refuses, nothing is recorded.
        connection.send_messages(messages)
    return sent
