"""A demo group's meetings, with the register, key updates and actions of those held.

Meetings before today were held (one past Teams meeting may have been called
off); the rest are scheduled.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.utils.text import slugify

from meetings.models import Attendance, KeyUpdate, Meeting, MeetingReply
from members.models import Group
from portal import tor
from portal.demo.accounts import MEMBER_SEAT, staff_user
from portal.demo.actions import add_actions
from portal.demo.content import (
    COMMS_KEY_UPDATES,
    FIRST_NAMES,
    GENERAL_KEY_UPDATES,
    HOST_LOCATIONS,
    LAST_NAMES,
)
from portal.demo.dates import MEETING_LENGTH, MEETING_START, at, backdate, meeting_dates

# A register's statuses, weighted: mostly present, a few apologies, the odd deputy or absence.
REGISTER_STATUSES = [Attendance.Status.PRESENT] * 16 + [
    Attendance.Status.APOLOGIES,
    Attendance.Status.APOLOGIES,
    Attendance.Status.APOLOGIES,
    Attendance.Status.DEPUTY,
    Attendance.Status.ABSENT,
]


def hold_meetings(group: Group, rng: random.Random, *, today: dt.date, created: Counter) -> None:
    """The group's quarterly meetings and what came of them; counts the rows in `created`."""
    dates = meeting_dates(rng)
    meetings = _schedule(group, dates, rng, today=today)
    Meeting.objects.bulk_create(meetings)
    midnight = at(today, dt.time(0, 0))
    backdate(
        Meeting,
        meetings,
        {
            # Scheduled eight weeks ahead, but never later than today.
            "created_at": lambda m: min(m.starts_at - dt.timedelta(weeks=8), midnight),
            "updated_at": lambda m: m.ends_at if m.status == Meeting.Status.HELD else m.created_at,
        },
    )
    created["meetings"] += len(meetings)

    held = [m for m in meetings if m.status == Meeting.Status.HELD]
    created["attendance"] += _take_registers(held, rng)
    created["key_updates"] += _record_key_updates(group, held, rng)
    add_actions(group, meetings, dates, rng, today=today, created=created)
    coming = [m for m in meetings if m.status == Meeting.Status.SCHEDULED]
    if coming:
        created["replies"] += _send_replies(coming[0], rng, today=today)


def _schedule(
    group: Group, dates: list[dt.date], rng: random.Random, *, today: dt.date
) -> list[Meeting]:
    """Teams meetings, every n-th in person, hosted in turn by the Specified Authorities."""
    hosts = sorted(
        {seat.agency for seat in group.memberships.select_related("agency")
         if seat.agency.is_specified},
        key=lambda agency: (agency.order, agency.name),
    )  # fmt: skip
    last_hosted = {agency.pk: -1 for agency in hosts}
    past = [i for i, day in enumerate(dates) if day < today]
    every = group.in_person_every
    # At most one past Teams meeting was called off (never the latest one).
    cancelled = None
    if len(past) > 2 and group.kind == Group.Kind.WORKING and rng.random() < 0.6:
        cancelled = rng.choice(
            [i for i in past[1:-1] if not (every and (i + 1) % every == 0)] or [None]
        )
    meetings = []
    for index, day in enumerate(dates):
        starts_at = at(day, MEETING_START)
        meeting = Meeting(
            group=group,
            starts_at=starts_at,
            ends_at=starts_at + MEETING_LENGTH,
            status=(
                Meeting.Status.SCHEDULED
                if day >= today
                else Meeting.Status.CANCELLED
                if index == cancelled
                else Meeting.Status.HELD
            ),
        )
        if every and (index + 1) % every == 0 and hosts:
            host = min(hosts, key=lambda agency: last_hosted[agency.pk])
            last_hosted[host.pk] = index
            meeting.format = Meeting.Format.IN_PERSON
            meeting.host_agency = host
            meeting.location = HOST_LOCATIONS.get(host.name, f"{host.name} offices")
        else:
            meeting.format = Meeting.Format.TEAMS
            meeting.online_link = (
                f"https://teams.example.org/meet/{slugify(group.display_name)}-{day:%Y%m%d}"
            )
        meetings.append(meeting)
    return meetings


def _take_registers(held: list[Meeting], rng: random.Random) -> int:
    """A full register for every held meeting: one row per expected seat. Returns the rows."""
    rows = []
    for meeting in held:
        for seat in meeting.expected_memberships().order_by("pk"):
            status = rng.choice(REGISTER_STATUSES) if seat.person_id else Attendance.Status.ABSENT
            deputy = ""
            if status == Attendance.Status.DEPUTY:
                deputy = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            rows.append(
                Attendance(
                    meeting=meeting,
                    membership=seat,
                    person_id=seat.person_id,
                    status=status,
                    deputy_name=deputy,
                )
            )
    Attendance.objects.bulk_create(rows, batch_size=500)
    backdate(Attendance, rows, {"updated_at": lambda row: row.meeting.ends_at})
    return len(rows)


def _send_replies(meeting: Meeting, rng: random.Random, *, today: dt.date) -> int:
    """Two members' replies to the next meeting: one sends apologies, one names a deputy.

    The member persona's own seat is left for whoever tries the demo to reply for.
    """
    seats = [
        seat
        for seat in meeting.expected_memberships().order_by("pk")
        if seat.person_id and seat.role_title != MEMBER_SEAT
    ]
    if len(seats) < 2:
        return 0
    apologies, deputy = rng.sample(seats, 2)
    sent_at = at(today, dt.time(0, 0))
    MeetingReply.objects.bulk_create(
        [
            MeetingReply(
                meeting=meeting,
                membership=apologies,
                kind=MeetingReply.Kind.APOLOGIES,
                sent_by=apologies.person,
                sent_at=sent_at,
            ),
            MeetingReply(
                meeting=meeting,
                membership=deputy,
                kind=MeetingReply.Kind.DEPUTY,
                deputy_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                deputy_role="Communications Officer",
                sent_by=deputy.person,
                sent_at=sent_at,
            ),
        ]
    )
    return 2


def _record_key_updates(group: Group, held: list[Meeting], rng: random.Random) -> int:
    """One or two key updates or decisions per held meeting. Returns how many."""
    is_comms = group.name == tor.COMMS_WORKING_GROUP.name
    texts = COMMS_KEY_UPDATES if is_comms else GENERAL_KEY_UPDATES
    staff = staff_user()
    rows = []
    for meeting in held:
        for kind, text in rng.sample(texts, k=rng.randint(1, 2)):
            rows.append(
                KeyUpdate(
                    meeting=meeting,
                    kind=kind,
                    text=text.format(short=group.display_name),
                    # The board's own decisions are not raised to itself.
                    for_svrp=group.kind != Group.Kind.SVRP and rng.random() < 0.85,
                    created_by=staff,
                )
            )
    KeyUpdate.objects.bulk_create(rows)
    stamp = {
        "created_at": lambda row: row.meeting.ends_at + dt.timedelta(hours=2),
        "updated_at": lambda row: row.created_at,
    }
    backdate(KeyUpdate, rows, stamp)
    return len(rows)
