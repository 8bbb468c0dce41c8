"""Steps that write several rows at once, each in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import formats, timezone

from core.versioning import EditConflict, save_form
from meetings import planning
from meetings.models import Attendance, Meeting
from members.models import Agency, Group, Membership


@dataclass(frozen=True)
class AttendanceRow:
    """One seat's line of the register, as staff entered it."""

    membership: Membership
    status: str
    deputy_name: str = ""


@transaction.atomic
def attendance_record(
    *, meeting: Meeting, rows: Sequence[AttendanceRow], by, version: int | None = None
) -> int:
    """Save a meeting's register in one go: every row, or none. Returns the rows changed.

    The register is one unit with its own version (`Meeting.register_version`), given
    as `version` by a page that was opened on it. Saves of one meeting's register queue
    on a lock of the meeting's row, so two first saves never both insert a seat's row;
    a save that started from an older register is refused with EditConflict, unless it
    changes nothing (the same register sent twice). Only rows that differ are written,
    so the history shows who changed what. A meeting that has started and is still
    "scheduled" is marked as held.
    """
    # Taken before reading the rows: the save before this one has committed by then.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError("A cancelled meeting has no register.")
    in_advance = not meeting.day_has_come
    existing = {row.membership_id: row for row in meeting.attendances.all()}
    changes: list[Attendance] = []
    for row in rows:
        if row.membership.group_id != meeting.group_id:
            raise ValidationError(f"{row.membership} is not a seat on {meeting.group}.")
        if row.status not in Attendance.Status.values:
            raise ValidationError(f"{row.status!r} is not an attendance status.")
        if in_advance and row.status != Attendance.Status.APOLOGIES:
            raise ValidationError(
                f"{meeting} has not happened yet: only apologies can be recorded "
                f"for {row.membership.role_title}."
            )
        deputy_name = row.deputy_name.strip() if row.status == Attendance.Status.DEPUTY else ""
        if row.status == Attendance.Status.DEPUTY and not deputy_name:
            raise ValidationError(f"Name the deputy for {row.membership.role_title}.")
        attendance = existing.get(row.membership.pk)
        if attendance is None:
            # The seat's holder on the day: seats change hands, the register must not.
            attendance = Attendance(
                meeting=meeting, membership=row.membership, person_id=row.membership.person_id
            )
        elif (attendance.status, attendance.deputy_name) == (row.status, deputy_name):
            continue
        attendance.status = row.status
        attendance.deputy_name = deputy_name
        changes.append(attendance)
    if changes and version is not None and version != meeting.register_version:
        raise EditConflict(meeting)
    for attendance in changes:
        attendance._history_user = by
        attendance.save()
    if changes:
        # Not a change to the meeting itself: an open edit of the meeting stays current.
        Meeting.objects.filter(pk=meeting.pk).update(register_version=F("register_version") + 1)
    if meeting.status == Meeting.Status.SCHEDULED and meeting.has_started:
        before = meeting.calendar_state()
        meeting.status = Meeting.Status.HELD
        meeting.note_calendar_change(before)
        meeting._history_user = by
        meeting.save(update_fields=["status", "sequence", "updated_at"])
    return len(changes)


# The in-person rule ------------------------------------------------------------------


def rotation_hosts(group: Group) -> list[Agency]:
    """The Specified Authorities holding a current seat on `group`, in the ToR's order."""
    seats = Membership.objects.current().attendance_required().filter(group=group)
    return list(
        Agency.objects.filter(duty_status=Agency.DutyStatus.SPECIFIED, memberships__in=seats)
        .distinct()
        .order_by("order", "name")
    )


def _slot(meeting: Meeting) -> planning.Slot:
    return planning.Slot(in_person=meeting.is_in_person, host=meeting.host_agency)


def _history(group: Group, *, before: dt.datetime | None = None, exclude: int | None = None):
    meetings = (
        Meeting.objects.for_group(group, with_children=False)
        .not_cancelled()
        .select_related("host_agency")
        .order_by("starts_at")
    )
    if before is not None:
        meetings = meetings.filter(starts_at__lt=before)
    if exclude is not None:
        meetings = meetings.exclude(pk=exclude)
    return list(meetings)


def hosting_rota(group: Group) -> list[tuple[Agency, dt.datetime | None]]:
    """The group's Specified Authorities in the order the rule picks the next host (whoever
    hosted least recently, never first), each with its latest in-person meeting, planned ones
    included, or None."""
    history = _history(group)
    latest = {
        meeting.host_agency: meeting.starts_at
        for meeting in history
        if meeting.is_in_person and meeting.host_agency
    }
    order = planning.hosting_order(history=[_slot(m) for m in history], hosts=rotation_hosts(group))
    return [(agency, latest.get(agency)) for agency in order]


def plan_proposal(group: Group, *, count: int | None = None) -> list[Meeting]:
    """The group's next meetings (unsaved) keeping the rule, for staff to adjust.

    A year's worth unless `count` says otherwise: four for a quarterly group.
    """
    months_between = planning.MONTHS_BETWEEN.get(group.meeting_frequency, 3)
    count = count or 12 // months_between
    history = _history(group)
    hosts = rotation_hosts(group)
    slots = planning.propose(
        history=[_slot(m) for m in history],
        hosts=hosts,
        count=count,
        every=group.in_person_every,
    )
    last = history[-1] if history else None
    dates = planning.propose_dates(
        last_start=last.starts_at if last else None,
        last_end=last.ends_at if last else None,
        count=count,
        months_between=months_between,
        after=timezone.now(),
    )
    default_format = (
        group.default_format
        if group.default_format in Meeting.Format.values
        else Meeting.Format.TEAMS
    )
    return [
        Meeting(
            group=group,
            starts_at=starts_at,
            ends_at=ends_at,
            format=Meeting.Format.IN_PERSON if slot.in_person else default_format,
            host_agency=slot.host,
            online_link="" if slot.in_person else (last.online_link if last else ""),
        )
        for slot, (starts_at, ends_at) in zip(slots, dates, strict=True)
    ]


def _when(meeting: Meeting) -> str:
    return formats.date_format(timezone.localtime(meeting.starts_at), "l j F Y")


def day_taken(group: Group, starts_at: dt.datetime, *, exclude: int | None = None) -> str:
    """Why `group` cannot meet on the (London) day of `starts_at`, or "" when it can.

    A group meets at most once a day, so a plan sent twice, or a meeting entered twice,
    is refused rather than scheduled twice. A cancelled meeting leaves its day free.
    """
    day = timezone.localtime(starts_at).date()
    meetings = Meeting.objects.for_group(group, with_children=False).not_cancelled()
    if exclude is not None:
        meetings = meetings.exclude(pk=exclude)
    if meetings.between(day, day).exists():
        return f"The {group.name} already has a meeting on {formats.date_format(day, 'l j F Y')}."
    return ""


def rule_warnings(group: Group, meetings: Sequence[Meeting]) -> list[str]:
    """How `meetings` (new or edited, not cancelled) break the in-person rule, in words.

    They are checked in date order after the group's other meetings before the first of them.
    """
    planned = sorted((m for m in meetings if not m.is_cancelled), key=lambda m: m.starts_at)
    if not planned or not group.in_person_every:
        return []
    history = _history(group, before=planned[0].starts_at, exclude=planned[0].pk)
    found = planning.breaches(
        history=[_slot(m) for m in history],
        planned=[_slot(m) for m in planned],
        hosts=rotation_hosts(group),
        every=group.in_person_every,
    )
    return [f"The meeting on {_when(planned[b.position])} {b.message}" for b in found]


# The rule, explained while a meeting is entered ------------------------------------


@dataclass(frozen=True)
class RuleHint:
    """What the in-person rule asks of one meeting, in words, shown while staff enter it so
    that a breach is seen before saving rather than after."""

    rule: str
    expectation: str = ""
    verdict: str = ""
    warnings: tuple[str, ...] = ()


def rule_text(group: Group) -> str:
    """The group's in-person rule (Group.in_person_every), as a sentence."""
    every = group.in_person_every
    if not every:
        return f"The {group.name} has no in-person rule: any of its meetings may be online."
    which = "every meeting" if every == 1 else f"every {planning.ordinal(every)} meeting"
    return (
        f"The {group.name} holds {which} in person, hosted by a different Specified "
        "Authority each time."
    )


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _hosts_words(slots: Sequence[planning.Slot], hosts: Sequence[Agency]) -> str:
    """Whose turn it is to host, by the rota (services.hosting_rota): never the last host."""
    if not hosts:
        return "but the group has no Specified Authority with a seat to host it: add one first"
    order = [str(host) for host in planning.hosting_order(history=slots, hosts=hosts)]
    last = next((slot.host for slot in reversed(slots) if slot.in_person), None)
    words = f"and it is {order[0]}'s turn to host"
    others = [name for name in order[1:] if last is None or name != str(last)]
    if others:
        words += f" ({_and(others)} may host instead"
        words += f"; {last} hosted the last one)" if last else ")"
    return words


def rule_hint(meeting: Meeting) -> RuleHint:
    """What the rule expects of `meeting` (unsaved, or an edit with its pk) given its group
    and start, and whether it keeps the rule as entered (format and host).

    Without a start yet, the meeting is taken to come after all the group's others.
    """
    group = meeting.group
    every = group.in_person_every
    rule = rule_text(group)
    if not every:
        return RuleHint(rule)
    history = _history(group, before=meeting.starts_at, exclude=meeting.pk)
    slots = [_slot(m) for m in history]
    this = f"The meeting on {_when(meeting)}" if meeting.starts_at else "The group's next meeting"
    coming = planning.propose(history=slots, hosts=[], count=every, every=every)
    if coming[0].in_person:
        expectation = f"{this} should be in person, {_hosts_words(slots, rotation_hosts(group))}."
    else:
        wait = next(i for i, slot in enumerate(coming) if slot.in_person)
        after = "the one after it" if wait == 1 else f"the {planning.ordinal(wait)} after it"
        expectation = f"{this} may be online: the next in-person meeting is {after}."
    if meeting.starts_at is None or meeting.is_cancelled or not meeting.format:
        return RuleHint(rule, expectation)
    warnings = tuple(rule_warnings(group, [meeting]))
    verdict = "As entered, it breaks the rule:" if warnings else "As entered, it keeps the rule."
    return RuleHint(rule, expectation, verdict, warnings)


@transaction.atomic
def meetings_plan(*, group: Group, meetings: Sequence[Meeting], by) -> list[Meeting]:
    """Save a planned run of meetings for `group`: all of them, or none."""
    for meeting in meetings:
        meeting.group = group
        meeting.status = Meeting.Status.SCHEDULED
        meeting._history_user = by
        meeting.full_clean()
        meeting.save()
    return list(meetings)


# A group's chair and vice-chair ---------------------------------------------------


def group_save(
    form: forms.ModelForm, *, chair: Membership | None, vice_chair: Membership | None, by
) -> Group:
    """Save an edit of a working group or the SVRP (`save_form`: EditConflict when
    stale) and, in the same transaction, make `chair` its one chair and `vice_chair` its
    one vice-chair (None: nobody).

    The chair and vice-chair are seats: both must be current seats of the group, and
    not the same one. Any other seat not yet ended that chaired (or vice-chaired)
    becomes a Member seat, so a group never has two chairs at once. Only seats whose
    position changes are written, so the history shows who moved the chair.
    """
    if chair is not None and chair == vice_chair:
        raise ValidationError("One seat cannot be both the chair and the vice-chair.")
    with transaction.atomic():
        group = save_form(form)
        today = timezone.localdate()
        current = set(group.memberships.current().values_list("pk", flat=True))
        for seat in (chair, vice_chair):
            if seat is not None and seat.pk not in current:
                raise ValidationError(f"{seat} is not a current seat on {group}.")
        wanted = {
            seat.pk: position
            for seat, position in (
                (chair, Membership.Position.CHAIR),
                (vice_chair, Membership.Position.VICE_CHAIR),
            )
            if seat is not None
        }
        chairing = (Membership.Position.CHAIR, Membership.Position.VICE_CHAIR)
        seats = (
            group.memberships.select_for_update()
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .filter(Q(pk__in=wanted) | Q(position__in=chairing))
            .order_by("pk")
        )
        for seat in seats:
            position = wanted.get(seat.pk, Membership.Position.MEMBER)
            if seat.position != position:
                seat.position = position
                seat._history_user = by
                seat.save(update_fields=["position"])
    return group
