"""The suite's clock: every test starts at one fixed instant (see the root conftest).

VRP_TEST_NOW sets the instant (ISO 8601 with a UTC offset); CI runs the suite again
at 23:45 and at 00:30 London time, on the edges of a quarter, so a test that only
passes at noon fails at once instead of by the hour. VRP_TEST_NOW=real runs every
test on the machine's clock, to find a test that only passes at the frozen instant.
"""

import datetime as dt
import os

import time_machine

# An ordinary Tuesday morning (2026-27 Q3), in a month without demo meetings.
DEFAULT_TEST_NOW = "2026-12-08T10:00:00+00:00"


def real_clock_wanted() -> bool:
    return os.environ.get("VRP_TEST_NOW") == "real"


def frozen_instant() -> dt.datetime:
    """The instant tests start at: VRP_TEST_NOW or the default."""
    value = os.environ.get("VRP_TEST_NOW") or DEFAULT_TEST_NOW
    if value == "real":
        return dt.datetime.now(dt.UTC)
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"VRP_TEST_NOW needs a UTC offset, e.g. +00:00: {value!r}")
    return moment


def frozen_clock() -> time_machine.travel:
    """A clock that starts at `frozen_instant()` and ticks from there, for fixtures wider
    than one test (the autouse `clock` fixture covers each test)."""
    return time_machine.travel(frozen_instant(), tick=True)
