"""UK financial-year quarters: Q1 is April–June, so "2023-24 Q3" is October–December 2023."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from core.bounds import FIRST_QUARTER, LAST_QUARTER, quarter_in_window

_LABEL = re.compile(r"^\s*(\d{4})-(\d{2})\s*Q([1-4])\s*$", re.IGNORECASE)
_SLUG_FY = re.compile(r"^(\d{4})-(\d{2})$")
_SLUG_Q = re.compile(r"^[qQ]([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    """A quarter of the financial year that starts on 1 April of `year`."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"A quarter is numbered 1 to 4, not {self.number}.")

    @classmethod
    def from_date(cls, day: dt.date) -> Quarter:
        if isinstance(day, dt.datetime):
            day = day.date()
        year = day.year if day.month >= 4 else day.year - 1
        return cls(year, (day.month - 4) % 12 // 3 + 1)

    @classmethod
    def current(cls) -> Quarter:
        from django.utils import timezone

        return cls.from_date(timezone.localdate())

    @classmethod
    def parse(cls, label: str) -> Quarter:
        """Read "2024-25 Q1" (the second year must follow the first)."""
        match = _LABEL.match(label or "")
        if not match:
            raise ValueError(f'"{label}" is not a quarter such as "2024-25 Q1".')
        return cls._checked(match.group(1), match.group(2), match.group(3))

    @classmethod
    def from_slugs(cls, fy: str, q: str) -> Quarter:
        """Read the URL form: fy "2024-25" and q "q1"."""
        fy_match, q_match = _SLUG_FY.match(fy or ""), _SLUG_Q.match(q or "")
        if not (fy_match and q_match):
            raise ValueError(f'"{fy}/{q}" is not a quarter such as "2024-25/q1".')
        return cls._checked(fy_match.group(1), fy_match.group(2), q_match.group(1))

    @classmethod
    def _checked(cls, start: str, end: str, number: str) -> Quarter:
        year = int(start)
        if (year + 1) % 100 != int(end):
            raise ValueError(f"{start}-{end} is not a financial year: it must end the year after.")
        quarter = cls(year, int(number))
        if not quarter.in_window:
            first, last = cls.first(), cls.last()
            raise ValueError(
                f"{quarter.label} is outside the quarters the portal holds: choose one from "
                f"{first.label} ({first.months}) to {last.label} ({last.months})."
            )
        return quarter

    @classmethod
    def first(cls) -> Quarter:
        """The first quarter inside the portal's dates (core.bounds)."""
        return cls(*FIRST_QUARTER)

    @classmethod
    def last(cls) -> Quarter:
        """The last quarter inside the portal's dates (core.bounds)."""
        return cls(*LAST_QUARTER)

    @property
    def in_window(self) -> bool:
        """Whether the quarter lies inside the portal's dates; parsing refuses one outside."""
        return quarter_in_window(self.year, self.number)

    @property
    def fy_label(self) -> str:
        return f"{self.year:04d}-{(self.year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        return f"{self.fy_label} Q{self.number}"

    @property
    def slug(self) -> str:
        """The URL form, "2024-25/q1"."""
        return f"{self.fy_label}/q{self.number}"

    @property
    def start(self) -> dt.date:
        month = 4 + 3 * (self.number - 1)
        return dt.date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    @property
    def months(self) -> str:
        """ "October–December 2023"."""
        return f"{self.start:%B}–{self.end:%B %Y}"

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def same_quarter_last_year(self) -> Quarter:
        return Quarter(self.year - 1, self.number)

    def __contains__(self, day: dt.date) -> bool:
        if isinstance(day, dt.datetime):
            day = day.date()
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label
