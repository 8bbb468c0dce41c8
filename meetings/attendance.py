"""Attendance arithmetic, in one place: the register's statuses, what counts as attending,
the counts a query annotates, and the figures every page and the quarterly update show.

Imports no model, so the models, the queries (meetings/selectors.py) and the report
(tracker/report.py) all build on it. A deputy counts as the seat attending.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Q
from django.template.defaultfilters import pluralize


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"
    DEPUTY = "deputy", "Deputy attended"


S = AttendanceStatus
# The figure each status is counted as, in the order every table shows them.
STATUS_FIGURES = {
    "present": S.PRESENT,
    "deputy": S.DEPUTY,
    "apologies": S.APOLOGIES,
    "absent": S.ABSENT,
}
ATTENDED = (S.PRESENT, S.DEPUTY)


def status_counts(path: str = "", prefix: str = "") -> dict[str, Count]:
    """Count annotations of register rows by status: `present`, `deputy`, `apologies`,
    `absent` (each name prefixed with `prefix`). `path` leads from the queried model to
    the register rows ("" on Attendance itself, "attendances__" on Meeting)."""
    return {
        f"{prefix}{name}": Count(f"{path}pk", filter=Q(**{f"{path}status": status}))
        for name, status in STATUS_FIGURES.items()
    }


class Tally:
    """What register rows counted by status add up to; mixed into every figure below."""

    present: int
    deputy: int
    apologies: int
    absent: int

    @property
    def attended(self) -> int:
        return self.present + self.deputy

    @property
    def recorded(self) -> int:
        return self.attended + self.apologies + self.absent


@dataclass(frozen=True)
class AttendanceFigures(Tally):
    """Attendance over some meetings of an agency, a seat or a group: `name` says whose."""

    name: str
    present: int
    deputy: int
    apologies: int
    absent: int

    @property
    def rate(self) -> float | None:
        """Share of recorded rows where the seat attended, 0–100; None with no rows."""
        return round(100 * self.attended / self.recorded, 1) if self.recorded else None

    @classmethod
    def from_row(cls, row: dict, name: str, **extra) -> AttendanceFigures:
        """Figures from a values() row annotated with `status_counts()`."""
        return cls(name=name, **{figure: row[figure] for figure in STATUS_FIGURES}, **extra)

    @classmethod
    def total(cls, figures: Iterable[Tally], name: str = "") -> AttendanceFigures:
        """The figures summed: the "All agencies" row."""
        figures = list(figures)
        return cls(name=name, **{f: sum(getattr(x, f) for x in figures) for f in STATUS_FIGURES})


@dataclass(frozen=True)
class SeatFigures(AttendanceFigures):
    """Attendance of one seat: `name` is its role title."""

    agency: str
    seat_id: int


@dataclass(frozen=True)
class AttendanceSummary(Tally):
    """One meeting's register in numbers, against the seats expected at it."""

    expected: int
    present: int
    deputy: int
    apologies: int
    absent: int

    @classmethod
    def from_annotations(cls, meeting) -> AttendanceSummary:
        """Read the counts `Meeting.objects.with_attendance_summary()` annotated."""
        return cls(
            expected=meeting.seats_expected,
            **{name: getattr(meeting, f"seats_{name}") for name in STATUS_FIGURES},
        )

    @classmethod
    def for_meeting(cls, meeting) -> AttendanceSummary:
        """Count one meeting's register: two queries."""
        counts = meeting.attendances.order_by().aggregate(**status_counts())
        return cls(expected=meeting.expected_memberships().count(), **counts)

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
