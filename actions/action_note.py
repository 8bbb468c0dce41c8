"""A meeting's action note: what members receive after a meeting, since the ToR takes no
minutes.

It says who attended (by agency and seat), the actions agreed at the meeting, the
matters arising (the group's actions from earlier meetings still outstanding, or closed
since the previous meeting) and the meeting's key updates and decisions. One list of
sections (core/documents.py) draws the page that previews it and its Word and PDF
copies, so they say the same thing.

Staff send it once the register is saved, to everyone who attended and to the group's
distribution list, each person their own copy. Every send is recorded
(`ActionNoteSend`); sending it again needs a reason, which the email gives.

The page only queues the send: a background job (actions.jobs) builds the Word and PDF
copies and sends the emails, so the web process never builds them for a send, and a
mail server failure is tried again rather than lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from actions.models import Action, ActionNoteSend
from core import documents
from core.documents import MISSING, Section, Table
from core.emails import NotSent, templated_email
from meetings.attendance import ATTENDED, AttendanceSummary
from meetings.models import Attendance, KeyUpdate, Meeting
from members.models import Person
from members.selectors import group_seat_holders

TITLE = "Action note"


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str


def british_day(when: dt.datetime) -> str:
    """ "Tuesday 14 May 2024, 10:00", in London time."""
    return date_format(timezone.localtime(when), "DATETIME_FORMAT")


def british_date(day: dt.date | None) -> str:
    return date_format(day, "DATE_FORMAT") if day else MISSING


def note_refusal(meeting: Meeting) -> str | None:
    """Why the meeting's action note cannot be sent yet, or None when it can: the meeting
    must have started and its register been saved, so that the note says who was there."""
    if meeting.is_cancelled:
        return "The meeting was cancelled, so it has no action note."
    if not meeting.has_started:
        return "The meeting has not started yet: send its action note once its register is saved."
    if not meeting.attendances.exists():
        return "The register has not been saved yet: save who attended, then send the action note."
    return None


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The group's meeting before this one, cancelled ones aside: matters arising are the
    actions closed since then."""
    return (
        Meeting.objects.filter(group_id=meeting.group_id, starts_at__lt=meeting.starts_at)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-starts_at")
        .first()
    )


def _closed_on(action: Action) -> dt.date | None:
    """The day a closed action was done or cancelled: its completion date, or the day of
    the update that cancelled it."""
    if action.status == Action.Status.DONE:
        return action.completed_on
    cancellations = [u for u in action.updates.all() if u.new_status == Action.Status.CANCELLED]
    return timezone.localtime(cancellations[-1].created_at).date() if cancellations else None


@dataclass
class ActionNote:
    """Everything the note says about one meeting, read in a fixed number of queries."""

    meeting: Meeting

    @cached_property
    def attendance(self) -> list[Attendance]:
        return list(
            self.meeting.attendances.select_related("membership__agency", "person").order_by(
                "membership__agency__order",
                "membership__agency__name",
                "membership__order",
                "membership__pk",
            )
        )

    @cached_property
    def agreed(self) -> list[Action]:
        return list(
            Action.objects.filter(meeting=self.meeting)
            .select_related("owner", "agency")
            .order_by("due_date", "pk")
        )

    @cached_property
    def previous(self) -> Meeting | None:
        return previous_meeting(self.meeting)

    @cached_property
    def arising(self) -> list[Action]:
        """The group's actions from earlier meetings: outstanding, or closed since the
        previous meeting."""
        earlier = (
            Action.objects.filter(
                group_id=self.meeting.group_id, meeting__starts_at__lt=self.meeting.starts_at
            )
            .select_related("owner", "agency", "meeting")
            .prefetch_related("updates")
            .order_by("due_date", "pk")
        )
        since = timezone.localtime(self.previous.starts_at).date() if self.previous else None
        return [
            action
            for action in earlier
            if action.is_outstanding
            or (since is not None and (_closed_on(action) or dt.date.min) >= since)
        ]

    @cached_property
    def key_updates(self) -> list[KeyUpdate]:
        return list(self.meeting.key_updates.order_by("created_at", "pk"))

    @property
    def when(self) -> str:
        return british_day(self.meeting.starts_at)

    @property
    def subtitle(self) -> str:
        return f"{self.meeting.group.display_name}, {self.when}"

    @property
    def subject(self) -> str:
        return f"{TITLE}: {self.subtitle}"

    def cover_lines(self) -> list[str]:
        return [
            settings.PARTNERSHIP_NAME,
            self.subtitle,
            "No minutes are taken: this note records who attended, the actions agreed, "
            "matters arising and the key updates and decisions.",
        ]

    def sections(self) -> list[Section]:
        return [
            self._attendance(),
            self._agreed(),
            self._arising(),
            self._key_updates(),
        ]

    def _attendance(self) -> Section:
        summary = AttendanceSummary.for_meeting(self.meeting)
        return Section(
            key="attendance",
            title="Attendance",
            paragraphs=[f"{summary}."],
            tables=[
                Table(
                    caption="The register, by agency and seat",
                    headers=["Agency", "Seat", "Name", "Attendance"],
                    rows=[
                        [
                            row.membership.agency.display_name,
                            row.membership.role_title,
                            _attendee(row),
                            row.get_status_display(),
                        ]
                        for row in self.attendance
                    ],
                    empty="The register is empty.",
                    wide=frozenset({1, 2}),
                )
            ],
        )

    def _agreed(self) -> Section:
        return Section(
            key="agreed",
            title="Actions agreed at this meeting",
            tables=[
                Table(
                    caption="New actions",
                    headers=["Action", "Owner", "Agency", "Due"],
                    rows=[
                        [
                            action.title,
                            action.owner.full_name,
                            action.agency.display_name,
                            british_date(action.due_date),
                        ]
                        for action in self.agreed
                    ],
                    empty="No actions were agreed at this meeting.",
                    wide=frozenset({0}),
                )
            ],
        )

    def _arising(self) -> Section:
        since = (
            f", or closed since the previous meeting on {british_day(self.previous.starts_at)}"
            if self.previous
            else ""
        )
        return Section(
            key="arising",
            title="Matters arising",
            paragraphs=[f"Actions from earlier meetings still outstanding{since}."],
            tables=[
                Table(
                    caption="Actions from earlier meetings",
                    headers=["Action", "Owner", "Raised at", "Due", "Status"],
                    rows=[
                        [
                            action.title,
                            action.owner.full_name,
                            british_date(timezone.localtime(action.meeting.starts_at).date()),
                            british_date(action.due_date),
                            _status(action),
                        ]
                        for action in self.arising
                    ],
                    empty="No actions from earlier meetings are outstanding or newly closed.",
                    wide=frozenset({0}),
                )
            ],
        )

    def _key_updates(self) -> Section:
        return Section(
            key="key-updates",
            title="Key updates and decisions",
            tables=[
                Table(
                    caption="Key updates and decisions",
                    headers=["Kind", "Update or decision"],
                    rows=[[update.get_kind_display(), update.text] for update in self.key_updates],
                    empty="No key updates or decisions were recorded.",
                    wide=frozenset({1}),
                )
            ],
        )


def _attendee(row: Attendance) -> str:
    """Who sat in the seat: its holder, or the deputy who came for them."""
    holder = row.person.full_name if row.person else "Vacant seat"
    if row.status == Attendance.Status.DEPUTY:
        return f"{row.deputy_name} (deputy for {holder})"
    return holder


def _status(action: Action) -> str:
    closed = _closed_on(action) if not action.is_outstanding else None
    status = action.get_status_display()
    return f"{status} on {british_date(closed)}" if closed else status


def note_recipients(meeting: Meeting) -> list[Recipient]:
    """Everyone who attended (an attending row with a person who has an email) and the
    group's distribution list (`group_seat_holders`), once each, by name. Nobody
    inactive, and no vacant seat."""
    attended = (
        Attendance.objects.filter(meeting=meeting, status__in=ATTENDED, person__is_active=True)
        .exclude(person__email="")
        .select_related("person")
    )
    people: dict[str, Person] = {}
    for person in [row.person for row in attended] + group_seat_holders(meeting.group_id):
        people.setdefault(person.email.lower(), person)
    return sorted(
        (Recipient(person.full_name, person.email) for person in people.values()),
        key=lambda recipient: (recipient.name, recipient.email),
    )


def note_filename(meeting: Meeting, extension: str) -> str:
    """ "action-note-comms-working-group-2024-05-14.docx"."""
    group = slugify(meeting.group.short_name or meeting.group.name)
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    return f"action-note-{group}-{day}.{extension}"


def render_note_docx(note: ActionNote) -> bytes:
    made = timezone.now()
    document = documents.new_docx(
        title=TITLE,
        subject=note.subtitle,
        author=settings.PARTNERSHIP_NAME,
        marking=settings.PROTECTIVE_MARKING,
        created=made.astimezone(dt.UTC).replace(tzinfo=None),
    )
    documents.docx_cover(document, TITLE, note.cover_lines())
    documents.docx_sections(document, note.sections())
    return documents.docx_bytes(document, timezone.localtime(made))


def render_note_pdf(note: ActionNote) -> bytes:
    pdf = documents.new_pdf(
        title=f"{TITLE}: {note.subtitle}",
        subject=note.subtitle,
        author=settings.PARTNERSHIP_NAME,
        marking=settings.PROTECTIVE_MARKING,
        footer=f"{TITLE}, {note.meeting.group.display_name}",
        created=timezone.now(),
    )
    pdf.add_page()
    documents.pdf_cover(pdf, TITLE, note.cover_lines())
    documents.pdf_sections(pdf, note.sections())
    return bytes(pdf.output())


RENDERERS = {"docx": render_note_docx, "pdf": render_note_pdf}


def send_refusal(
    meeting: Meeting, *, reason: str, recipients: list[Recipient] | None = None
) -> str | None:
    """Why the action note may not be sent now with this reason, or None when it may.

    The page says so at once, before queueing the send; the job (actions.jobs) checks
    again when it runs, as the register or the seats may have changed in between.
    """
    refusal = note_refusal(meeting)
    if refusal:
        return refusal
    if not reason.strip() and meeting.action_note_sends.exists():
        return "The action note has been sent before: say why it is going again."
    if not (note_recipients(meeting) if recipients is None else recipients):
        return "Nobody who attended or holds a seat on the group has an email address."
    return None


def sent_to(count: int) -> str:
    """What a send did, for the page."""
    return f"The action note was sent to {count} {'person' if count == 1 else 'people'}."


def send_action_note(*, meeting: Meeting, by, reason: str = "") -> ActionNoteSend:
    """Email the meeting's action note, as Word and PDF, to each recipient and record it.

    NotSent before the register is saved, with nobody to send to, or when it went before
    and no reason is given for sending it again.
    """
    reason = reason.strip()
    recipients = note_recipients(meeting)
    refusal = send_refusal(meeting, reason=reason, recipients=recipients)
    if refusal:
        raise NotSent(refusal)
    note = ActionNote(meeting)
    attachments = [
        (note_filename(meeting, ext), render(note), documents.CONTENT_TYPES[ext])
        for ext, render in RENDERERS.items()
    ]
    context = {
        "note": note,
        "meeting": meeting,
        "reason": reason,
        "marking": settings.PROTECTIVE_MARKING,
        "url": settings.SITE_URL + reverse("meetings:detail", args=[meeting.pk]),
    }
    connection = get_connection()
    messages = []
    for recipient in recipients:
        messages.append(
            templated_email(
                "actions/emails/action_note",
                {**context, "recipient": recipient},
                to=recipient.email,
                connection=connection,
                attachments=attachments,
            )
        )
    with transaction.atomic():
        sent = ActionNoteSend.objects.create(
            meeting=meeting,
            recipients=[recipient.email for recipient in recipients],
            reason=reason,
            sent_by=by,
            sent_at=timezone.now(),
        )
        connection.send_messages(messages)
    return sent
