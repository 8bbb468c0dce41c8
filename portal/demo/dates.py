"""The demo's calendar: its quarters, each group's meeting days, and times of day in London.

Every date derives from fixed anchors, the financial quarters from 2023-24 Q1 to
2027-28 Q1, so the same group always meets on the same days.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.db.models import Model

from core.quarters import Quarter
from meetings.planning import nth_weekday

LONDON = ZoneInfo("Europe/London")
FIRST_QUARTER = Quarter(2023, 1)
LAST_QUARTER = Quarter(2027, 1)
MEETING_START = dt.time(10, 0)
MEETING_LENGTH = dt.timedelta(minutes=90)


def quarters() -> list[Quarter]:
    """The demo's quarters, from 2023-24 Q1 to 2027-28 Q1."""
    result, quarter = [], FIRST_QUARTER
    while quarter <= LAST_QUARTER:
        result.append(quarter)
        quarter = quarter.next()
    return result


def meeting_dates(rng: random.Random) -> list[dt.date]:
    """One date a quarter: the group's fixed weekday (Tuesday–Thursday) in the middle month.

    The first, second or third such weekday: every month has one, so none is capped.
    """
    weekday, nth = rng.choice((1, 2, 3)), rng.choice((1, 2, 3))
    dates = []
    for quarter in quarters():
        middle = quarter.start + dt.timedelta(days=40)
        dates.append(nth_weekday(middle.year, middle.month, weekday, nth))
    return dates


def at(day: dt.date, time: dt.time) -> dt.datetime:
    """`time` on `day`, London time."""
    return dt.datetime.combine(day, time, tzinfo=LONDON)


def working_time(rng: random.Random, day: dt.date) -> dt.datetime:
    """A moment in office hours on `day`, on the ten minutes."""
    return at(day, dt.time(rng.randint(9, 16), rng.choice((0, 10, 20, 30, 40, 50))))


def london_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LONDON).date()


def weekday_or_friday_before(day: dt.date) -> dt.date:
    """The day itself, or the Friday before when it falls at a weekend."""
    return day - dt.timedelta(days=max(day.weekday() - 4, 0))


def backdate(model: type[Model], rows: list, fields: dict[str, Callable]) -> None:
    """Set timestamps that auto_now/auto_now_add overwrote in bulk_create.

    bulk_create stamps those fields with the current time; bulk_update writes
    the given values as they are.
    """
    for row in rows:
        for name, value_of in fields.items():
            setattr(row, name, value_of(row))
    model.objects.bulk_update(rows, list(fields), batch_size=500)
