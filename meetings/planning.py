"""The ToR's meeting rule, as pure functions: which meetings are in person, who hosts, when.

The Communications Working Group meets quarterly via Teams; every third meeting
is held in person, hosted by a different Specified Authority. Hosting rotates:
whoever has hosted least recently (never, first) hosts next, ties going to the
agency that comes first in the ToR's table.

Nothing here touches the database, so the rule is tested on its own; services
feed it the group's history.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from core.quarters import Quarter

LONDON = ZoneInfo("Europe/London")
MONTHS_BETWEEN = {"monthly": 1, "bimonthly": 2, "quarterly": 3}


@dataclass(frozen=True)
class Slot:
    """A meeting as the rule sees it: in person or not, and who hosts (None for nobody)."""

    in_person: bool
    host: Hashable | None = None


@dataclass(frozen=True)
class Breach:
    """How a planned meeting breaks the rule. `position` counts planned meetings from 0."""

    position: int
    message: str


def ordinal(n: int) -> str:
    words = {2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}
    return words.get(n, f"{n}th")


def _since_last_in_person(history: Sequence[Slot]) -> int:
    """Meetings held since the last in-person one (all of them if there was none)."""
    for back, slot in enumerate(reversed(history)):
        if slot.in_person:
            return back
    return len(history)


def _last_hosted(history: Sequence[Slot]) -> dict[Hashable, int]:
    return {slot.host: i for i, slot in enumerate(history) if slot.in_person and slot.host}


def hosting_order(*, history: Sequence[Slot], hosts: Sequence[Hashable]) -> list[Hashable]:
    """`hosts` with whoever hosted least recently first: never-hosted first, then oldest."""
    last = _last_hosted(history)
    return sorted(hosts, key=lambda host: (last.get(host, -1), hosts.index(host)))


def is_due_in_person(*, history: Sequence[Slot], every: int) -> bool:
    """Whether the meeting after `history` must be in person (`every` 0: no rule).

    An in-person meeting that was missed stays due until one is held.
    """
    return every > 0 and _since_last_in_person(history) + 1 >= every


def propose(
    *, history: Sequence[Slot], hosts: Sequence[Hashable], count: int, every: int
) -> list[Slot]:
    """The next `count` meetings after `history` (oldest first) that keep the rule.

    `hosts` are the group's Specified Authorities in the ToR's order.
    """
    timeline = list(history)
    planned = []
    for _ in range(count):
        if is_due_in_person(history=timeline, every=every):
            order = hosting_order(history=timeline, hosts=hosts)
            slot = Slot(in_person=True, host=order[0] if order else None)
        else:
            slot = Slot(in_person=False)
        planned.append(slot)
        timeline.append(slot)
    return planned


def breaches(
    *, history: Sequence[Slot], planned: Sequence[Slot], hosts: Sequence[Hashable], every: int
) -> list[Breach]:
    """Where `planned` (following `history`) breaks the rule. A plan may break it: staff
    decide, and the portal says so."""
    timeline = list(history)
    found = []
    for position, slot in enumerate(planned):
        if is_due_in_person(history=timeline, every=every) and not slot.in_person:
            found.append(
                Breach(
                    position,
                    f"should be in person: every {ordinal(every)} meeting is held in person.",
                )
            )
        if slot.in_person:
            previous = next((s.host for s in reversed(timeline) if s.in_person), None)
            if slot.host is None:
                found.append(
                    Breach(position, "is in person but has no host: a Specified Authority hosts.")
                )
            elif slot.host not in hosts:
                found.append(
                    Breach(
                        position,
                        f"is hosted by {slot.host}, which is not one of the group's "
                        "Specified Authorities.",
                    )
                )
            elif slot.host == previous and len(hosts) > 1:
                found.append(
                    Breach(
                        position,
                        f"is hosted by {slot.host} again: each in-person meeting is hosted by "
                        "a different Specified Authority.",
                    )
                )
        timeline.append(slot)
    return found


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    """The `nth` (1-based) `weekday` (0 for Monday) of a month, capped at the month's last.

    A meeting on the fifth Tuesday carries on as the last Tuesday in a month that has four.
    """
    days = [
        week[weekday]
        for week in calendar.monthcalendar(year, month)
        if week[weekday]  # 0 marks a day from the next or previous month
    ]
    return dt.date(year, month, days[min(nth, len(days)) - 1])


def _london(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=LONDON)


def propose_dates(
    *,
    last_start: dt.datetime | None,
    last_end: dt.datetime | None,
    count: int,
    months_between: int,
    after: dt.datetime,
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Start and end of the next `count` meetings, London time, all later than `after`.

    They follow the last meeting's pattern (the same weekday of the month and the
    same times: the second Tuesday at 10:00 stays the second Tuesday at 10:00);
    with no meeting yet, the middle of each coming quarter, 10:00 to 11:30, on a weekday.
    """
    if last_start is None or last_end is None:
        dates = []
        quarter = Quarter.from_date(after.astimezone(LONDON).date())
        while len(dates) < count:
            quarter = quarter.next()
            middle = quarter.start + relativedelta(months=1, day=15)
            while middle.weekday() >= 5:  # a Saturday or Sunday moves to the Monday
                middle += dt.timedelta(days=1)
            dates.append((_london(middle, dt.time(10)), _london(middle, dt.time(11, 30))))
        return dates

    start, end = last_start.astimezone(LONDON), last_end.astimezone(LONDON)
    duration = end - start
    nth = (start.day - 1) // 7 + 1
    dates = []
    months = 0
    while len(dates) < count:
        months += months_between
        month_start = start.date() + relativedelta(months=months, day=1)
        day = nth_weekday(month_start.year, month_start.month, start.weekday(), nth)
        begins = _london(day, start.time().replace(tzinfo=None))
        if begins > after:
            # Aware arithmetic adds wall-clock time, so 10:00–11:30 stays so across clock changes.
            dates.append((begins, begins + duration))
    return dates
