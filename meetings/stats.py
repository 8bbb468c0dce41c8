"""Attendance figures, shared by the meeting pages, the monitoring page and the quarterly update.

Every figure counts register rows the same way: a deputy counts as the seat attending.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.template.defaultfilters import pluralize

from meetings.models import Attendance, Meeting

S = Attendance.Status
_COUNTS = {
    "present": Count("pk", filter=Q(status=S.PRESENT)),
    "deputy": Count("pk", filter=Q(status=S.DEPUTY)),
    "apologies": Count("pk", filter=Q(status=S.APOLOGIES)),
    "absent": Count("pk", filter=Q(status=S.ABSENT)),
}


@dataclass(frozen=True)
class AttendanceFigures:
    """Counts of register rows. A deputy counts as the seat attending."""

    name: str
    present: int
    deputy: int
    apologies: int
    absent: int

    @property
    def attended(self) -> int:
        return self.present + self.deputy

    @property
    def recorded(self) -> int:
        return self.present + self.deputy + self.apologies + self.absent

    @property
    def rate(self) -> float | None:
        """Share of recorded rows where the seat attended, 0–100; None with no rows."""
        return round(100 * self.attended / self.recorded, 1) if self.recorded else None


@dataclass(frozen=True)
class SeatFigures(AttendanceFigures):
    """Attendance of one seat: `name` is its role title."""

    agency: str
    seat_id: int


@dataclass(frozen=True)
class AttendanceSummary:
    """One meeting's register in numbers, against the seats expected at it."""

    expected: int
    present: int
    deputy: int
    apologies: int
    absent: int

    @classmethod
    def from_annotations(cls, meeting: Meeting) -> AttendanceSummary:
        """Read the counts `Meeting.objects.with_attendance_summary()` annotated."""
        return cls(
            expected=meeting.seats_expected,
            present=meeting.seats_present,
            deputy=meeting.seats_deputy,
            apologies=meeting.seats_apologies,
            absent=meeting.seats_absent,
        )

    @classmethod
    def for_meeting(cls, meeting: Meeting) -> AttendanceSummary:
        counts = Attendance.objects.filter(meeting=meeting).aggregate(**_COUNTS)
        return cls(expected=meeting.expected_memberships().count(), **counts)

    @property
    def attended(self) -> int:
        return self.present + self.deputy

    @property
    def recorded(self) -> int:
        return self.attended + self.apologies + self.absent

    @property
    def seats(self) -> int:
        """Seats on the register: those expected, or more if more were recorded."""
        return max(self.expected, self.recorded)

    @property
    def not_recorded(self) -> int:
        return self.seats - self.recorded

    @property
    def is_taken(self) -> bool:
        return self.recorded > 0

    def __str__(self) -> str:
        """ "11 of 16 present, 3 apologies", with deputies, absences and gaps when there are any."""
        if not self.is_taken:
            return f"Not recorded yet ({self.expected} seat{pluralize(self.expected)} expected)"
        present = f"{self.attended} of {self.seats} present"
        if self.deputy:
            present += f" ({self.deputy} by deputy)"
        parts = [present, f"{self.apologies} apolog{pluralize(self.apologies, 'y,ies')}"]
        if self.absent:
            parts.append(f"{self.absent} absent")
        if self.not_recorded:
            parts.append(f"{self.not_recorded} not recorded")
        return ", ".join(parts)


@dataclass(frozen=True)
class MissedMeetings:
    """An agency none of whose seats attended the group's last two registered meetings."""

    name: str
    apologies: int
    absent: int


def attendance_by_agency(meetings) -> list[AttendanceFigures]:
    """Attendance of each agency's seats over `meetings` (a Meeting queryset), by agency name."""
    rows = (
        Attendance.objects.filter(meeting__in=meetings)
        .values("membership__agency__name")
        .annotate(**_COUNTS)
        .order_by("membership__agency__order", "membership__agency__name")
    )
    return [
        AttendanceFigures(
            name=row["membership__agency__name"],
            present=row["present"],
            deputy=row["deputy"],
            apologies=row["apologies"],
            absent=row["absent"],
        )
        for row in rows
    ]


def attendance_by_seat(meetings) -> list[SeatFigures]:
    """Attendance of each seat over `meetings`, in the ToR's order of agencies and seats."""
    rows = (
        Attendance.objects.filter(meeting__in=meetings)
        .values("membership", "membership__role_title", "membership__agency__name")
        .annotate(**_COUNTS)
        .order_by(
            "membership__agency__order",
            "membership__agency__name",
            "membership__order",
            "membership",
        )
    )
    return [
        SeatFigures(
            name=row["membership__role_title"],
            agency=row["membership__agency__name"],
            seat_id=row["membership"],
            present=row["present"],
            deputy=row["deputy"],
            apologies=row["apologies"],
            absent=row["absent"],
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
        .annotate(attended=Count("pk", filter=Q(status__in=[S.PRESENT, S.DEPUTY])), **_COUNTS)
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
