"""Attendance figures, shared by the monitoring page and the quarterly SVRP update."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from meetings.models import Attendance


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


def attendance_by_agency(meetings) -> list[AttendanceFigures]:
    """Attendance of each agency's seats over `meetings` (a Meeting queryset), by agency name."""
    S = Attendance.Status
    rows = (
        Attendance.objects.filter(meeting__in=meetings)
        .values("membership__agency__name")
        .annotate(
            present=Count("pk", filter=Q(status=S.PRESENT)),
            deputy=Count("pk", filter=Q(status=S.DEPUTY)),
            apologies=Count("pk", filter=Q(status=S.APOLOGIES)),
            absent=Count("pk", filter=Q(status=S.ABSENT)),
        )
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
