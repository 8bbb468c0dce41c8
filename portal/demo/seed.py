"""Builds the demo group by group, each in its own transaction."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable

from django.db import transaction

from members.models import Group
from portal import tor
from portal.demo.accounts import Accounts
from portal.demo.groups import GroupPlan
from portal.demo.meetings import hold_meetings
from portal.demo.tracker import track_progress

SEED = 2024


def demo_seed(*, scale: int, today: dt.date, write: Callable[[str], None]) -> Counter:
    """Add the demo groups missing at this scale; return how many rows of each kind it made.

    `write` is told each group's progress.
    """
    created: Counter = Counter()
    accounts = Accounts(created)
    accounts.ensure_admin()
    steps = GroupPlan(scale=scale, accounts=accounts, created=created).steps()
    for number, (name, get_group, give_seats) in enumerate(steps, start=1):
        prefix = f"[{number}/{len(steps)}] {name}"
        existing = Group.objects.filter(name=name).first()
        if existing is not None and existing.meetings.exists():
            write(f"{prefix}: already seeded.")
            continue
        with transaction.atomic():
            before = Counter(created)
            group = get_group()
            # Seeded with the group's name: the same rows whatever was seeded before.
            rng = random.Random(f"{SEED}:{group.name}")
            give_seats(group, rng)
            hold_meetings(group, rng, today=today, created=created)
            if group.name == tor.COMMS_WORKING_GROUP.name:
                track_progress(group, rng, today=today, created=created)
        made = created - before
        write(f"{prefix}: {made['meetings']} meetings, {made['actions']} actions.")
    return created
