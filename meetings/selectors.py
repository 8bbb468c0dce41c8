"""Read queries that more than one page asks: attendance figures (for the meeting pages,
the monitoring page and the quarterly update) and each meeting's register.

The arithmetic itself is in meetings/attendance.py: a deputy counts as the seat attending.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.db.models import Count, Q
from django.utils import timezone

from core.permissions import user_display_name
from meetings.attendance import (
    ATTENDED,
    AttendanceFigures,
    MissedMeetings,
    SeatFigures,
    status_counts,
)
from meetings.models import Attendance, InvitationSend, Meeting, MeetingReply
from members.models import Membership, Person
from members.selectors import group_seat_holders


def attendance_by_agency(meetings) -> list[AttendanceFigures]:
    """Attendance of each agency's seats over `meetings` (a Meeting queryset), by agency name."""
    rows = (
        Attendance.objects.filter(meeting__in=meetings)
        .values("membership__agency__name")
        .annotate(**status_counts())
        .order_by("membership__agency__order", "membership__agency__name")
    )
    return [AttendanceFigures.from_row(row, row["membership__agency__name"]) for row in rows]


def attendance_by_seat(meetings) -> list[SeatFigures]:
    """Attendance of each seat over `meetings`, in the ToR's order of agencies and seats."""
    rows = (
        Attendance.objects.filter(meeting__in=meetings)
        .values("membership", "membership__role_title", "membership__agency__name")
        .annotate(**status_counts())
        .order_by(
            "membership__agency__order",
            "membership__agency__name",
            "membership__order",
            "membership",
        )
    )
    return [
        SeatFigures.from_row(
            row,
            row["membership__role_title"],
            agency=row["membership__agency__name"],
            seat_id=row["membership"],
        )
        for row in rows
    ]


def last_registered_meetings(group, count: int = 2) -> list[Meeting]:
    """The group's latest meetings that have a register, most recent first."""
    return list(
        Meeting.objects.for_group(group, with_children=False)
        .not_cancelled()
        .started()
        .filter(attendances__isnull=False)
        .distinct()
        .order_by("-starts_at")[:count]
    )


def agencies_missing_last_two(group) -> list[MissedMeetings]:
    """Agencies whose seats attended neither of the group's last two registered meetings.

    Sending apologies is still missing the meeting; the figures say which it was.
    """
    last_two = last_registered_meetings(group, 2)
    if len(last_two) < 2:
        return []
    rows = (
        Attendance.objects.filter(meeting__in=last_two)
        .values("membership__agency__name", "membership__agency__order", "meeting")
        .annotate(attended=Count("pk", filter=Q(status__in=ATTENDED)), **status_counts())
        .order_by("membership__agency__order", "membership__agency__name", "meeting")
    )
    missed: dict[str, list[dict]] = {}
    attended: set[str] = set()
    for row in rows:
        name = row["membership__agency__name"]
        if row["attended"]:
            attended.add(name)
        else:
            missed.setdefault(name, []).append(row)
    return [
        MissedMeetings(
            name=name,
            apologies=sum(1 for row in meetings if row["apologies"]),
            absent=sum(1 for row in meetings if not row["apologies"]),
        )
        for name, meetings in missed.items()
        if name not in attended and len(meetings) == len(last_two)
    ]


# The register ---------------------------------------------------------------------


@dataclass
class RegisterSeat:
    """A seat on a meeting's register, with its row if one was recorded."""

    membership: Membership
    attendance: Attendance | None
    form: forms.Form | None = None  # the register page's row form, when it shows one
    last_change: RegisterChange | None = None
    reply: MeetingReply | None = None  # apologies or a deputy the seat's holder sent

    @property
    def holder(self):
        """Who held the seat on the day once recorded; until then, who holds it now."""
        if self.attendance is not None:
            return self.attendance.person
        return self.membership.person


@dataclass(frozen=True)
class RegisterChange:
    when: dt.datetime
    who: str
    seat_id: int
    seat: str
    before: str
    after: str


def register_seats(meeting: Meeting, *, with_replies: bool = False) -> list[RegisterSeat]:
    """The seats expected at the meeting, and any other seat already recorded, in ToR order;
    `with_replies` adds the apologies and deputies members sent, for the register form."""
    recorded = {
        row.membership_id: row
        for row in meeting.attendances.select_related(
            "membership__agency", "membership__person", "person"
        )
    }
    expected = list(meeting.expected_memberships().select_related("agency", "person"))
    seats = expected + [
        row.membership
        for row in recorded.values()
        if row.membership_id not in {m.pk for m in expected}
    ]
    seats.sort(key=lambda m: (m.agency.order, m.agency.name, m.order, m.pk))
    replies = (
        {reply.membership_id: reply for reply in meeting.replies.all()} if with_replies else {}
    )
    return [
        RegisterSeat(membership=m, attendance=recorded.get(m.pk), reply=replies.get(m.pk))
        for m in seats
    ]


def changed_by(user) -> str:
    """Who made a recorded change: a person's name, or "the system" for a command."""
    return user_display_name(user) if user is not None else "the system"


def register_history(meeting: Meeting, seats: list[RegisterSeat]) -> list[RegisterChange]:
    """Every change to the meeting's register, newest first: who changed what, and when."""
    names = {seat.membership.pk: seat.membership.role_title for seat in seats}
    label = dict(Attendance.Status.choices)
    records = (
        Attendance.history.filter(meeting_id=meeting.pk)
        .select_related("history_user__person")
        .order_by("history_date", "history_id")
    )
    previous: dict[int, str] = {}
    changes = []
    for record in records:
        after = label.get(record.status, record.status)
        if record.status == Attendance.Status.DEPUTY:
            after = f"{after} ({record.deputy_name})"
        before = previous.get(record.id, "Not recorded")
        previous[record.id] = after
        changes.append(
            RegisterChange(
                when=record.history_date,
                who=changed_by(record.history_user),
                seat_id=record.membership_id,
                seat=names.get(record.membership_id, "A seat no longer listed"),
                before=before,
                after=after,
            )
        )
    return changes[::-1]


# Replies and invitations ------------------------------------------------------------


def meeting_replies(meeting: Meeting) -> list[MeetingReply]:
    """Every apology and deputy sent for the meeting, in the register's order of seats."""
    return list(
        meeting.replies.select_related("membership__agency", "sent_by").order_by(
            "membership__agency__order", "membership__agency__name", "membership__order", "pk"
        )
    )


@dataclass
class SeatReply:
    """One of a person's seats on a meeting's group, with what they have sent for it."""

    meeting: Meeting
    membership: Membership
    reply: MeetingReply | None
    form: forms.Form | None = None


@dataclass
class MyMeeting:
    meeting: Meeting
    seats: list[SeatReply]


def my_upcoming_meetings(person: Person | None):
    """Meetings not yet started of every group where `person` holds a seat now, soonest
    first: those they may still send apologies or a deputy for."""
    if person is None:
        return Meeting.objects.none()
    seats = Membership.objects.current().filter(person=person)
    return (
        Meeting.objects.upcoming()
        .filter(starts_at__gt=timezone.now(), group__memberships__in=seats)
        .select_related("group", "host_agency")
        .distinct()
    )


def seat_replies(meetings, person: Person | None) -> list[MyMeeting]:
    """Each of `meetings` with `person`'s current seats on its group and their replies:
    two queries, however many meetings and seats."""
    meetings = list(meetings)
    if person is None or not meetings:
        return [MyMeeting(meeting=meeting, seats=[]) for meeting in meetings]
    seats = list(
        Membership.objects.current()
        .filter(person=person, group__in={meeting.group_id for meeting in meetings})
        .select_related("agency")
        .order_by("agency__order", "agency__name", "order", "pk")
    )
    replies = {
        (reply.meeting_id, reply.membership_id): reply
        for reply in MeetingReply.objects.filter(meeting__in=meetings, membership__in=seats)
    }
    return [
        MyMeeting(
            meeting=meeting,
            seats=[
                SeatReply(meeting, seat, replies.get((meeting.pk, seat.pk)))
                for seat in seats
                if seat.group_id == meeting.group_id
            ],
        )
        for meeting in meetings
    ]


def invitation_recipients(meeting: Meeting) -> list[tuple[str, str]]:
    """(name, address) of the meeting's group's distribution list: everyone holding a
    current seat, active and with an email address, once each, by name."""
    return [(person.full_name, person.email) for person in group_seat_holders(meeting.group_id)]


def invitation_sends(meeting: Meeting) -> list[InvitationSend]:
    """The meeting's invitations, updates and cancellations sent, newest first."""
    return list(
        meeting.invitation_sends.select_related("sent_by__person").order_by("-sent_at", "-pk")
    )
