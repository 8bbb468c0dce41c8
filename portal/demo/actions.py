"""A demo group's actions, raised at its held meetings, with the notes that led to each status.

How far an action got depends on how long ago it fell due; the member persona is
always left some outstanding work.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.db.models import Model

from actions.models import Action, ActionUpdate
from actions.services import author_name
from meetings.models import Meeting
from members.models import Group, Membership
from portal import tor
from portal.demo.accounts import MEMBER_SEAT, staff_user
from portal.demo.content import (
    CANCEL_REASONS,
    COMMS_ACTIONS,
    DONE_NOTES,
    GENERAL_ACTIONS,
    OPEN_NOTES,
    PROGRESS_NOTES,
)
from portal.demo.dates import at, backdate, london_date, weekday_or_friday_before, working_time
from tracker.models import CrestRecommendation, PerformanceMeasure, ToCActivity

ACTIONS_PER_MEETING = (6, 10)

# An action and the progress notes written on it, both still unsaved.
Planned = tuple[Action, list[ActionUpdate]]


def add_actions(
    group: Group,
    meetings: list[Meeting],
    dates: list[dt.date],
    rng: random.Random,
    *,
    today: dt.date,
    created: Counter,
) -> None:
    """6–10 actions per held meeting, each due at the group's next meeting.

    Counts the actions and their notes in `created`.
    """
    staff = staff_user()
    seats = list(
        group.memberships.exclude(person=None)
        .select_related("person__user", "agency")
        .order_by("agency__order", "order", "pk")
    )
    if not seats:
        return
    is_comms = group.name == tor.COMMS_WORKING_GROUP.name
    links = _tracker_links() if is_comms else {}
    # The member persona's seat comes up more often, so they have plenty to do.
    weights = [2 if seat.role_title == MEMBER_SEAT else 1 for seat in seats]

    planned: list[Planned] = []
    for index, meeting in enumerate(meetings):
        if meeting.status != Meeting.Status.HELD:
            continue
        due = dates[index + 1]
        count = rng.randint(*ACTIONS_PER_MEETING)
        if is_comms:
            templates = [(t, d, code) for t, d, code in rng.sample(COMMS_ACTIONS, k=count)]
        else:
            templates = [(t, d, "") for t, d in rng.sample(GENERAL_ACTIONS, k=count)]
        for title, detail, code in templates:
            seat = rng.choices(seats, weights=weights)[0]
            action = Action(
                group=group,
                meeting=meeting,
                title=title.format(short=group.display_name, agency=seat.agency.display_name),
                detail=detail,
                owner=seat.person,
                agency=seat.agency,
                due_date=due,
                created_by=staff,
            )
            if code in links:
                setattr(action, *links[code])
            notes = _progress(action, meeting, seat, staff, rng, today=today)
            planned.append((action, notes))

    if is_comms:
        planned += _member_persona_actions(group, meetings, seats, staff, today=today)

    actions = [action for action, _ in planned]
    Action.objects.bulk_create(actions, batch_size=500)
    updates = []
    for action, notes in planned:
        for note in notes:
            note.action = action
            updates.append(note)
    ActionUpdate.objects.bulk_create(updates, batch_size=500)
    last_update = {}
    for note in updates:
        last_update[note.action_id] = note.created_at
    backdate(
        Action,
        actions,
        {
            "created_at": lambda a: a.meeting.starts_at,
            "updated_at": lambda a: last_update.get(a.pk, a.created_at),
        },
    )
    created["actions"] += len(actions)
    created["action_updates"] += len(updates)


def _tracker_links() -> dict[str, tuple[str, Model]]:
    """Tracker rows by code, each with the Action field that links to it."""
    links = {a.code: ("toc_activity", a) for a in ToCActivity.objects.all()}
    links |= {c.code: ("crest_recommendation", c) for c in CrestRecommendation.objects.all()}
    links |= {m.code: ("performance_measure", m) for m in PerformanceMeasure.objects.all()}
    return links


def _progress(
    action: Action,
    meeting: Meeting,
    seat: Membership,
    staff,
    rng: random.Random,
    *,
    today: dt.date,
) -> list[ActionUpdate]:
    """Decide the action's status and write the progress notes that led to it."""
    S = Action.Status
    raised = london_date(meeting.starts_at)
    yesterday = weekday_or_friday_before(today - dt.timedelta(days=1))
    age = (today - action.due_date).days
    if age <= 0:
        choices = [S.OPEN] * 5 + [S.IN_PROGRESS] * 5
    elif age <= 120:
        choices = [S.DONE] * 14 + [S.OPEN] * 1 + [S.IN_PROGRESS] * 3 + [S.CANCELLED] * 2
    else:
        choices = [S.DONE] * 92 + [S.OPEN] * 2 + [S.IN_PROGRESS] * 2 + [S.CANCELLED] * 4
    action.status = rng.choice(choices)

    end = yesterday
    if action.status == S.DONE:
        completed = action.due_date + dt.timedelta(days=rng.randint(-25, 7))
        action.completed_on = max(
            raised + dt.timedelta(days=1), min(weekday_or_friday_before(completed), yesterday)
        )
        end = action.completed_on
    elif action.status == S.CANCELLED:
        called_off = action.due_date + dt.timedelta(days=rng.randint(-20, 30))
        end = min(weekday_or_friday_before(called_off), yesterday)
        end = max(end, raised + dt.timedelta(days=1))

    # Steps: (text, old status, new status); blank statuses for a plain note.
    if action.status == S.OPEN:
        steps = [(rng.choice(OPEN_NOTES), "", "")] if rng.random() < 0.4 else []
    elif action.status == S.IN_PROGRESS:
        steps = [(rng.choice(PROGRESS_NOTES), S.OPEN, S.IN_PROGRESS)]
        if rng.random() < 0.5:
            steps.append((rng.choice(PROGRESS_NOTES), "", ""))
    elif action.status == S.DONE:
        steps = [(rng.choice(DONE_NOTES), S.OPEN, S.DONE)]
        if rng.random() < 0.6:
            steps = [
                (rng.choice(PROGRESS_NOTES), S.OPEN, S.IN_PROGRESS),
                *([(rng.choice(PROGRESS_NOTES), "", "")] if rng.random() < 0.4 else []),
                (rng.choice(DONE_NOTES), S.IN_PROGRESS, S.DONE),
            ]
    else:
        action.cancelled_reason = rng.choice(CANCEL_REASONS)
        steps = [(f"Cancelled: {action.cancelled_reason}", S.OPEN, S.CANCELLED)]
        if rng.random() < 0.4:
            steps = [
                (rng.choice(PROGRESS_NOTES), S.OPEN, S.IN_PROGRESS),
                (f"Cancelled: {action.cancelled_reason}", S.IN_PROGRESS, S.CANCELLED),
            ]

    # Notes fall between the day after the meeting and the last day; a done or
    # cancelled action's final note is on the day it closed.
    first = raised + dt.timedelta(days=1)
    if not steps or end < first:
        return []
    closes = action.status in (S.DONE, S.CANCELLED)
    span = (end - first).days
    days = sorted(
        max(first, weekday_or_friday_before(first + dt.timedelta(days=rng.randint(0, span))))
        for _ in range(len(steps) - closes)
    )
    days += [end] * closes
    notes = []
    for (text, old, new), day in zip(steps, days, strict=True):
        # Staff record a cancellation; the owner writes every other note.
        if new == S.CANCELLED and staff is not None:
            author, name = staff, author_name(staff)
        else:
            author, name = seat.person.user, seat.person.full_name
        notes.append(
            ActionUpdate(
                author=author,
                author_name=name,
                text=text,
                old_status=old,
                new_status=new,
                created_at=working_time(rng, day),
            )
        )
    # Several notes on one day must still read in order.
    notes.sort(key=lambda note: note.created_at)
    return notes


def _member_persona_actions(
    group: Group, meetings: list[Meeting], seats: list[Membership], staff, *, today: dt.date
) -> list[Planned]:
    """Make sure member@example.org has outstanding work: one overdue, one due soon."""
    seat = next((s for s in seats if s.role_title == MEMBER_SEAT), None)
    held = [m for m in meetings if m.status == Meeting.Status.HELD]
    if seat is None or len(held) < 2:
        return []
    latest, previous = held[-1], held[-2]
    soon = today + dt.timedelta(days=10)
    upcoming = [m for m in meetings if m.status == Meeting.Status.SCHEDULED]
    next_date = london_date(upcoming[0].starts_at) if upcoming else soon
    planned = [
        (
            previous,
            "Send Police campaign dates for the partner communications calendar",
            london_date(latest.starts_at),
            Action.Status.OPEN,
        ),
        (
            latest,
            "Share the Police serious violence lines to take with the VRU",
            soon,
            Action.Status.IN_PROGRESS,
        ),
        (
            latest,
            "Arrange a Police spokesperson for the counter-narrative campaign",
            next_date,
            Action.Status.OPEN,
        ),
    ]
    result = []
    for meeting, title, due, status in planned:
        action = Action(
            group=group,
            meeting=meeting,
            title=title,
            owner=seat.person,
            agency=seat.agency,
            due_date=due,
            status=status,
            created_by=staff,
        )
        notes = []
        if status == Action.Status.IN_PROGRESS:
            written = min(
                london_date(meeting.starts_at) + dt.timedelta(days=3),
                today - dt.timedelta(days=1),
            )
            notes.append(
                ActionUpdate(
                    author=seat.person.user,
                    author_name=seat.person.full_name,
                    text="Draft lines with the Police press office for approval.",
                    old_status=Action.Status.OPEN,
                    new_status=Action.Status.IN_PROGRESS,
                    created_at=at(written, dt.time(14, 0)),
                )
            )
        result.append((action, notes))
    return result
