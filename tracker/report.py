"""The quarterly SVRP update, built once as a plain dict.

The Chair and Vice-Chair raise the working group's key updates and decisions to
the Strategic VRP every quarter, with the Performance Framework. `report_build`
gathers everything the update says into one JSON-ready dict, and every format
(the HTML preview, report.json, .docx, .pdf, .xlsx, .csv) is drawn from that
dict, so the formats agree by construction. `report_finalise` stores the dict
in `QuarterlyReport.content`; from then on `report_for` answers the stored copy
and every download of that quarter is what was sent, whatever changes later.

Versions
--------
An update carries the ``schema_version`` of the shape it was built in, and a
finalised one must render exactly as it was finalised whatever shape later
builds take. So every format is drawn by the code of the update's own version:
the HTML preview, the compare page and the downloads look it up in
`tracker.report_versions` (`report_version`, `render_file`), and an update of a
version it does not know is refused with `SchemaVersionError`, never drawn by
another version's layout.

Any change to what the dict holds, or to how an update reads in any format, is
a new version: raise SCHEMA_VERSION; write the new version's layout and
renderers beside version 1's, which stay untouched; add them to
`report_versions.VERSIONS`; and keep a finalised update of the new version,
with the files it gives, under tests/tracker/snapshots/. Whatever its version,
an update keeps the keys read outside its own renderers: ``schema_version``,
``group`` and ``quarter`` (the download's file name), ``generated_at`` and
``finalised`` (the list of quarters and the compare page).

The canonical structure (``schema_version`` 2)
-----------------------------------------------
Only JSON types. Dates are ISO 8601 strings ("2024-04-01"); datetimes carry
their UTC offset and are London time. Figures are JSON numbers; a figure that
does not exist (no value recorded, no target) is ``null``.

``schema_version``
    2: the shape described here. It chooses the code that draws the update.
    Version 1 had every key below but ``partnership``, ``marking``, ``issue``,
    ``document``, ``chair``, the measures' ``trend`` and the ToR's
    ``review_passed`` and ``revision_reasons``; its ``revision_due`` counted an
    achieved Crest recommendation only.
``partnership``
    ``{"name", "short_name"}``: the settings PARTNERSHIP_NAME and
    PARTNERSHIP_SHORT_NAME.
``marking``
    The protective marking every page carries at its head and foot: "OFFICIAL"
    or "OFFICIAL-SENSITIVE" (the setting PROTECTIVE_MARKING).
``issue``
    ``{"number", "reason"}``: 1 and "" for the first issue; a re-issue
    (`report_reissue`) has the next number and says why. Live figures carry the
    number finalising them would give.
``document``
    ``{"status", "author", "distribution"}``: "Draft" until finalised, then
    "Final"; the author is the person in the group's chair seat ("" when it is
    empty); ``distribution`` says in words whom the update goes to: the group's
    board (`_board_of`), then the group's own distribution list.
``chair``
    The chair's part, from the quarter's `QuarterlyDraft` (empty words and the
    suggested ratings without one): ``{"overall", "areas", "summary",
    "achievements", "next_quarter", "risks", "asks"}``.

    ``overall``, and each of the five ``areas`` in this order (``toc``,
    ``crest``, ``measures``, ``actions``, ``attendance``; each with ``{"key",
    "name"}`` besides), is a rating: ``{"rag", "label", "meaning", "suggested",
    "because", "rule", "overridden", "reason"}``. ``rag`` is "red", "amber" or
    "green"; ``label`` ("Red") and ``meaning`` ("Off track: …") say it in words,
    as every format shows it, never by colour alone. ``suggested`` is the
    rating the portal suggests from the figures by ``rule`` (tracker/rag.py),
    and ``because`` says why; ``overridden`` is true when the chair rated it
    otherwise, and ``reason`` then says why. The overall rating suggested is
    the worst area's.

    ``summary``, ``achievements``, ``next_quarter`` and ``asks`` are the chair's
    words, a paragraph or an item a line. ``risks``, in the chair's order, are
    ``{"text", "rag", "label", "meaning", "owner"}``.
``group``
    ``{"id", "name", "short_name"}`` — the working group reported on. The update
    covers the group and its Task and Finish groups.
``quarter``
    ``{"label": "2024-25 Q1", "slug": "2024-25/q1", "year": 2024, "number": 1,
    "start": "2024-04-01", "end": "2024-06-30", "months": "April–June 2024"}``;
    ``year`` is the year the financial year starts.
``generated_at``
    When the figures were computed.
``as_at``
    The date action figures are taken at: the quarter's last day, or the day the
    update was generated while the quarter is still running.
``finalised``
    ``null`` while the update is a draft; ``{"by", "at"}`` in a stored snapshot.
``meetings``
    Every meeting of the group (and its Task and Finish groups) that started in
    the quarter, London time, oldest first: ``{"id", "date", "starts_at",
    "group", "format", "format_label", "host", "status", "status_label"}``.
    ``host`` is the host agency's name or ``null``.
``meetings_held``
    How many of those meetings have the status "held".
``attendance_by_agency``
    One row per agency with a register entry at the quarter's meetings, in the
    ToR's order: ``{"agency", "present", "deputy", "apologies", "absent",
    "attended", "recorded", "rate"}``. A deputy counts as attended; ``rate`` is
    attended ÷ recorded as a percentage to one decimal place (``null`` with no
    rows). A cancelled meeting's register does not count, as on the attendance
    monitoring page.
``attendance_totals``
    The same figures summed over every agency (without ``agency``).
``attendance_by_group``
    The same figures for each group with a register in the quarter — what the
    attendance monitoring page shows for that group and quarter: ``{"id",
    "group", "meetings", "present", "deputy", "apologies", "absent",
    "attended", "recorded", "rate"}``; ``meetings`` counts the meetings with a
    register.
``key_updates``
    Key updates and decisions flagged for the SVRP at the quarter's meetings:
    ``{"date", "group", "kind", "kind_label", "text"}``.
``actions``
    ``{"as_at", "totals", "by_agency", "overdue"}``, over the actions of the
    group and its Task and Finish groups. ``totals`` and each ``by_agency`` row
    (which also has ``agency``) hold:

    - ``opened``: created in the quarter (the London date of ``created_at``);
    - ``completed``: done, with ``completed_on`` in the quarter;
    - ``outstanding``: as at ``as_at`` — created by then and not yet done by
      then (an action completed after ``as_at`` was still outstanding);
    - ``overdue``: outstanding as at ``as_at`` with a due date before it.

    Cancelled actions count as opened but never as outstanding. ``overdue``
    lists the overdue actions, most overdue first: ``{"id", "title", "owner",
    "agency", "due_date", "days_overdue"}``.
``toc_activities``
    ``{"code", "title", "status", "status_label", "actions_open",
    "actions_done", "changes"}``; the action counts are as at ``as_at``.
``crest_recommendations``
    ``{"code", "text", "status", "status_label", "evidence", "achieved_on",
    "achieved_this_quarter", "changes"}``.

    Statuses of ToC activities and Crest recommendations are as recorded when
    the update is generated — which is why the chair finalises it. ``changes``
    lists what changed in the quarter, from their history: ``{"date", "text"}``.
``measures``
    One row per performance measure: ``{"code", "title", "unit", "polarity",
    "polarity_label", "target", "this_quarter", "previous_quarter",
    "same_quarter_last_year", "note", "direction", "against_target",
    "target_met", "trend"}``. ``note`` is the one recorded with this quarter's
    value. ``direction`` is the change from the previous quarter in words read
    with the polarity ("Up (improving)"); ``against_target`` is the status
    against target in words ("Below target (not met)"). ``trend`` holds the last
    eight quarters up to this one, oldest first: ``{"quarter": "2024-25 Q1",
    "value"}``, ``null`` where no value was recorded.
``tor``
    ``{"version", "published", "review_date", "review_passed", "revision_due",
    "revision_reasons"}``: the ToR is due for revision when a Crest
    recommendation was achieved or its review date passed before ``as_at``;
    ``revision_reasons`` says each reason in words.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.dateformat import format as date_format

from actions.models import Action
from core.permissions import user_display_name
from core.quarters import Quarter
from meetings.attendance import STATUS_FIGURES, AttendanceFigures, status_counts
from meetings.models import Attendance, KeyUpdate, Meeting
from meetings.selectors import attendance_by_agency
from members.models import Group, Membership
from members.selectors import covered_groups
from tracker.models import (
    CrestRecommendation,
    MeasureValue,
    PerformanceMeasure,
    QuarterlyDraft,
    QuarterlyReport,
    ToCActivity,
)
from tracker.rag import AREAS, OVERALL_RULE, Rag, rag_words, worst
from tracker.selectors import tor_review

# The version report_build makes today; report_versions.VERSIONS draws every
# version ever finalised.
SCHEMA_VERSION = 2
TREND_QUARTERS = 8
ACTION_FIGURES = ("opened", "completed", "overdue", "outstanding")
ATTENDANCE_FIGURES = (*STATUS_FIGURES, "attended", "recorded")


class ReportAlreadyFinalised(Exception):
    """The quarter's update was finalised already: what was sent is never replaced."""


class QuarterNotStarted(Exception):
    """A quarter still to come has nothing to finalise."""


class QuarterNotEnded(Exception):
    """The running quarter can be previewed and drafted, but finalised only once it ends."""


class NotFinalised(Exception):
    """Only a finalised update can be re-issued."""


def number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: whole numbers as int, others to two places."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(round(value, 2))


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day`, London time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _figures_of(*, group: Group, quarter: Quarter, today: dt.date, now: dt.datetime) -> dict:
    """Everything the update counts: meetings, attendance, key updates, actions, the
    tracker and the measures (the whole of version 1)."""
    as_at = min(quarter.end, today)
    groups = covered_groups(group)
    group_ids = [g.pk for g in groups]

    meetings = (
        Meeting.objects.filter(group_id__in=group_ids)
        .between(quarter.start, quarter.end)
        .select_related("group", "host_agency")
        .order_by("starts_at", "pk")
    )
    meeting_rows = [_meeting_row(meeting) for meeting in meetings]
    # A cancelled meeting's register does not count, as on the attendance monitoring page.
    registers = meetings.not_cancelled()
    by_agency = attendance_by_agency(registers)

    return {
        "schema_version": SCHEMA_VERSION,
        "group": {"id": group.pk, "name": group.name, "short_name": group.display_name},
        "quarter": {
            "label": quarter.label,
            "slug": quarter.slug,
            "year": quarter.year,
            "number": quarter.number,
            "start": quarter.start.isoformat(),
            "end": quarter.end.isoformat(),
            "months": quarter.months,
        },
        "generated_at": timezone.localtime(now).isoformat(timespec="seconds"),
        "as_at": as_at.isoformat(),
        "finalised": None,
        "meetings": meeting_rows,
        "meetings_held": sum(1 for row in meeting_rows if row["status"] == Meeting.Status.HELD),
        "attendance_by_agency": [_attendance_row(figures) for figures in by_agency],
        "attendance_totals": _attendance_totals(by_agency),
        "attendance_by_group": _attendance_by_group(registers, groups),
        "key_updates": _key_updates(meetings),
        "actions": _actions(group_ids, quarter, as_at),
        "toc_activities": _toc_activities(group_ids, quarter, as_at),
        "crest_recommendations": _crest_recommendations(group_ids, quarter),
        "measures": _measures(group_ids, quarter),
        "tor": tor_review(group, as_at),
    }


class _Unread:
    """Not read yet: `report_build` reads it itself."""

    def __repr__(self) -> str:
        return "UNREAD"


# What `report_build` is given for the chair's draft when the caller has not read it:
# None already means the quarter has no draft.
UNREAD: Any = _Unread()


def quarterly_draft(*, group: Group, quarter: Quarter) -> QuarterlyDraft | None:
    """The chair's draft of the quarter's update, with who last saved it; None if none."""
    return (
        QuarterlyDraft.objects.filter(group=group, year=quarter.year, quarter=quarter.number)
        .select_related("updated_by__person")
        .first()
    )


def report_build(
    *,
    group: Group,
    quarter: Quarter,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    draft: QuarterlyDraft | None = UNREAD,
    issue: int | None = None,
) -> dict[str, Any]:
    """The quarterly SVRP update of `group` for `quarter`, as the canonical dict: the
    figures (`_figures_of`) and, around them, the chair's part and the document's facts.

    A caller that has read them already passes the quarter's `draft` (`quarterly_draft`,
    None when there is none) and the `issue` number finalising would give, so that they
    are not read again.
    """
    now = now or timezone.now()
    today = today or timezone.localdate()
    report = _figures_of(group=group, quarter=quarter, today=today, now=now)
    if draft is UNREAD:
        draft = quarterly_draft(group=group, quarter=quarter)
    if issue is None:
        latest = report_snapshot(group=group, quarter=quarter)
        issue = latest.issue + 1 if latest else 1
    report.update(
        {
            "schema_version": SCHEMA_VERSION,
            "partnership": {
                "name": settings.PARTNERSHIP_NAME,
                "short_name": settings.PARTNERSHIP_SHORT_NAME,
            },
            "marking": settings.PROTECTIVE_MARKING,
            "issue": {"number": issue, "reason": ""},
            "document": {
                "status": "Draft",
                "author": _chair_of(group),
                "distribution": [
                    _board_of(group),
                    f"{group.name}: its distribution list",
                ],
            },
            "chair": chair_part(report, draft),
        }
    )
    return report


# Whom an update goes to when its group sits under no board: the words every update
# carried before the board was named from the data.
NO_BOARD = "Strategic Violence Reduction Partnership (SVRP)"


def _board_of(group: Group) -> str:
    """The board the update goes to, in words: the nearest group of kind SVRP at or above
    `group` (the board's own update goes to the board), "Name (SHORT)", or its name
    alone without a short name.

    The Communications Working Group's board (portal/tor_files) is named "Strategic
    Violence Reduction Partnership", short name "SVRP": its updates read as they always
    have, and finalised ones keep the words they were finalised with.
    """
    seen: set[int] = set()
    current: Group | None = group
    while current is not None and current.pk not in seen:
        if current.kind == Group.Kind.SVRP:
            if current.short_name:
                return f"{current.name} ({current.short_name})"
            return current.name
        seen.add(current.pk)
        current = current.parent
    return NO_BOARD


def _chair_of(group: Group) -> str:
    seat = (
        Membership.objects.current()
        .filter(group=group, position=Membership.Position.CHAIR, person__isnull=False)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    return seat.person.full_name if seat else ""


def chair_part(report: dict[str, Any], draft: QuarterlyDraft | None) -> dict[str, Any]:
    """The chair's status, RAG and words: each area's rating is the portal's suggestion
    from the figures (tracker/rag.py) unless the chair chose another, with a reason."""

    def rated(key: str, suggested: Rag, because: str, rule: str) -> dict[str, Any]:
        chosen = getattr(draft, f"{key}_rag", "") if draft else ""
        overridden = bool(chosen) and chosen != suggested
        return {
            **rag_words(chosen or suggested),
            "suggested": suggested.value,
            "because": because,
            "rule": rule,
            "overridden": overridden,
            "reason": getattr(draft, f"{key}_reason", "") if overridden else "",
        }

    areas = []
    for area in AREAS:
        suggestion = area.suggest(report)
        areas.append(
            {"key": area.key, "name": area.name}
            | rated(area.key, suggestion.rag, suggestion.because, area.rule)
        )
    overall = worst(row["rag"] for row in areas)
    risks = draft.listed_risks() if draft else []
    return {
        "overall": rated("overall", overall, f"The worst area is {overall.label}.", OVERALL_RULE),
        "areas": areas,
        "summary": draft.summary if draft else "",
        "achievements": draft.achievements if draft else "",
        "next_quarter": draft.next_quarter if draft else "",
        "risks": [
            {"text": risk.text, **rag_words(risk.rag), "owner": risk.owner} for risk in risks
        ],
        "asks": draft.asks if draft else "",
    }


def _meeting_row(meeting: Meeting) -> dict[str, Any]:
    starts = timezone.localtime(meeting.starts_at)
    return {
        "id": meeting.pk,
        "date": starts.date().isoformat(),
        "starts_at": starts.isoformat(timespec="minutes"),
        "group": meeting.group.display_name,
        "format": meeting.format,
        "format_label": meeting.get_format_display(),
        "host": meeting.host_agency.name if meeting.host_agency_id else None,
        "status": meeting.status,
        "status_label": meeting.get_status_display(),
    }


def _figures(figures: AttendanceFigures) -> dict[str, Any]:
    """The counts and the rate, worked out as every attendance page works them out."""
    return {**{name: getattr(figures, name) for name in ATTENDANCE_FIGURES}, "rate": figures.rate}


def _attendance_row(figures: AttendanceFigures) -> dict[str, Any]:
    return {"agency": figures.name, **_figures(figures)}


def _attendance_totals(by_agency: list[AttendanceFigures]) -> dict[str, Any]:
    return _figures(AttendanceFigures.total(by_agency))


def _attendance_by_group(registers, groups: list[Group]) -> list[dict[str, Any]]:
    """Each group's attendance over its meetings in the quarter, in one query."""
    counts = {
        row["meeting__group"]: row
        for row in Attendance.objects.filter(meeting__in=registers.order_by())
        .values("meeting__group")
        .annotate(meetings=Count("meeting", distinct=True), **status_counts())
        .order_by()
    }
    rows = []
    for group in groups:
        row = counts.get(group.pk)
        if row is None:
            continue
        figures = AttendanceFigures.from_row(row, group.display_name)
        rows.append(
            {"id": group.pk, "group": group.display_name, "meetings": row["meetings"]}
            | _figures(figures)
        )
    return rows


def _key_updates(meetings) -> list[dict[str, Any]]:
    updates = (
        KeyUpdate.objects.filter(meeting__in=meetings.order_by(), for_svrp=True)
        .select_related("meeting__group")
        .order_by("meeting__starts_at", "created_at", "pk")
    )
    return [
        {
            "date": _local_date(update.meeting.starts_at).isoformat(),
            "group": update.meeting.group.display_name,
            "kind": update.kind,
            "kind_label": update.get_kind_display(),
            "text": update.text,
        }
        for update in updates
    ]


def _outstanding_at(action: Action, as_at: dt.date) -> bool:
    """Whether the action was in the log and not yet done on `as_at`."""
    if _local_date(action.created_at) > as_at:
        return False
    if action.status in Action.OUTSTANDING:
        return True
    return action.status == Action.Status.DONE and action.completed_on > as_at


def _actions(group_ids: list[int], quarter: Quarter, as_at: dt.date) -> dict[str, Any]:
    in_log_by_then = Q(created_at__lt=_start_of(as_at + dt.timedelta(days=1)))
    not_done_by_then = Q(status__in=Action.OUTSTANDING) | Q(
        status=Action.Status.DONE, completed_on__gt=as_at
    )
    actions = (
        Action.objects.filter(group_id__in=group_ids)
        .filter(
            Q(
                created_at__gte=_start_of(quarter.start),
                created_at__lt=_start_of(quarter.next().start),
            )
            | Q(completed_on__gte=quarter.start, completed_on__lte=quarter.end)
            | (in_log_by_then & not_done_by_then)
        )
        .select_related("owner", "agency")
        .order_by("due_date", "pk")
    )
    by_agency: dict[tuple[int, str], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(ACTION_FIGURES, 0)
    )
    overdue = []
    for action in actions:
        figures = {
            "opened": _local_date(action.created_at) in quarter,
            "completed": action.status == Action.Status.DONE and action.completed_on in quarter,
        }
        outstanding = _outstanding_at(action, as_at)
        figures["outstanding"] = outstanding
        figures["overdue"] = outstanding and action.due_date < as_at
        if not any(figures.values()):
            continue
        row = by_agency[(action.agency.order, action.agency.name)]
        for name, counts in figures.items():
            row[name] += int(counts)
        if figures["overdue"]:
            overdue.append(
                {
                    "id": action.pk,
                    "title": action.title,
                    "owner": action.owner.full_name,
                    "agency": action.agency.name,
                    "due_date": action.due_date.isoformat(),
                    "days_overdue": (as_at - action.due_date).days,
                }
            )
    rows = [{"agency": name, **figures} for (_, name), figures in sorted(by_agency.items())]
    return {
        "as_at": as_at.isoformat(),
        "totals": {name: sum(row[name] for row in rows) for name in ACTION_FIGURES},
        "by_agency": rows,
        "overdue": sorted(overdue, key=lambda row: (-row["days_overdue"], row["id"])),
    }


def _changes(history, quarter: Quarter, describe) -> dict[int, list[dict[str, str]]]:
    """What changed in the quarter, per object, from its django-simple-history records.

    `history` is the historical queryset up to the quarter's end; `describe(record,
    previous)` says in words what a record changed, or "" when nothing worth saying.
    """
    changes: dict[int, list[dict[str, str]]] = defaultdict(list)
    previous: dict[int, Any] = {}
    for record in history.order_by("id", "history_date", "history_id"):
        day = _local_date(record.history_date)
        if day in quarter:
            text = describe(record, previous.get(record.id))
            if text:
                changes[record.id].append({"date": day.isoformat(), "text": text})
        previous[record.id] = record
    return changes


def _status_change(labels) -> Callable[[Any, Any], str]:
    def describe(record, previous) -> str:
        if previous is None:
            return f"Added to the tracker ({labels(record.status).label})"
        if record.status != previous.status:
            before, after = labels(previous.status).label, labels(record.status).label
            return f"Status changed from {before} to {after}"
        return ""

    return describe


def _toc_activities(group_ids: list[int], quarter: Quarter, as_at: dt.date) -> list[dict]:
    activities = list(ToCActivity.objects.filter(group_id__in=group_ids).order_by("code"))
    linked = Action.objects.filter(toc_activity__in=[a.pk for a in activities]).filter(
        created_at__lt=_start_of(as_at + dt.timedelta(days=1))
    )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"open": 0, "done": 0})
    for action in linked.only("toc_activity", "status", "completed_on", "created_at"):
        if _outstanding_at(action, as_at):
            counts[action.toc_activity_id]["open"] += 1
        elif action.status == Action.Status.DONE and action.completed_on <= as_at:
            counts[action.toc_activity_id]["done"] += 1
    history = ToCActivity.history.filter(
        id__in=[a.pk for a in activities], history_date__lt=_start_of(quarter.next().start)
    )
    changes = _changes(history, quarter, _status_change(ToCActivity.Status))
    return [
        {
            "code": activity.code,
            "title": activity.title,
            "status": activity.status,
            "status_label": activity.get_status_display(),
            "actions_open": counts[activity.pk]["open"],
            "actions_done": counts[activity.pk]["done"],
            "changes": changes.get(activity.pk, []),
        }
        for activity in activities
    ]


def _describe_crest_change(record, previous) -> str:
    text = _status_change(CrestRecommendation.Status)(record, previous)
    if previous is not None and record.evidence != previous.evidence:
        text = f"{text}; evidence updated" if text else "Evidence updated"
    return text


def _crest_recommendations(group_ids: list[int], quarter: Quarter) -> list[dict]:
    recommendations = list(
        CrestRecommendation.objects.filter(group_id__in=group_ids).order_by("code")
    )
    history = CrestRecommendation.history.filter(
        id__in=[r.pk for r in recommendations], history_date__lt=_start_of(quarter.next().start)
    )
    changes = _changes(history, quarter, _describe_crest_change)
    return [
        {
            "code": rec.code,
            "text": rec.text,
            "status": rec.status,
            "status_label": rec.get_status_display(),
            "evidence": rec.evidence,
            "achieved_on": rec.achieved_on.isoformat() if rec.achieved_on else None,
            "achieved_this_quarter": bool(rec.achieved_on and rec.achieved_on in quarter),
            "changes": changes.get(rec.pk, []),
        }
        for rec in recommendations
    ]


def _measures(group_ids: list[int], quarter: Quarter) -> list[dict]:
    measures = list(PerformanceMeasure.objects.filter(group_id__in=group_ids).order_by("code"))
    wanted = (quarter, quarter.previous(), quarter.same_quarter_last_year())
    trend = [quarter]
    while len(trend) < TREND_QUARTERS:
        trend.insert(0, trend[0].previous())
    values = {
        (value.measure_id, value.period): value
        for value in MeasureValue.objects.filter(measure__in=measures).in_quarters(
            {*wanted, *trend}
        )
    }
    rows = []
    for measure in measures:
        this, previous, last_year = (values.get((measure.pk, q)) for q in wanted)
        value = this.value if this else None
        before = previous.value if previous else None
        rows.append(
            {
                "id": measure.pk,
                "code": measure.code,
                "title": measure.title,
                "unit": measure.unit,
                "polarity": measure.polarity,
                "polarity_label": measure.get_polarity_display(),
                "target": number(measure.target),
                "this_quarter": number(value),
                "previous_quarter": number(before),
                "same_quarter_last_year": number(last_year.value if last_year else None),
                "note": this.note if this else "",
                "direction": measure.direction(value, before),
                "against_target": measure.against_target(value),
                "target_met": measure.target_met(value),
                "trend": [
                    {
                        "quarter": q.label,
                        "value": number(getattr(values.get((measure.pk, q)), "value", None)),
                    }
                    for q in trend
                ],
            }
        )
    return rows


def report_snapshot(*, group: Group, quarter: Quarter) -> QuarterlyReport | None:
    """The current issue of the quarter's finalised update: the latest."""
    return (
        QuarterlyReport.objects.filter(group=group, year=quarter.year, quarter=quarter.number)
        .select_related("finalised_by")
        .order_by("-issue")
        .first()
    )


def report_for(
    *,
    group: Group,
    quarter: Quarter,
    issues: list[QuarterlyReport] | None = None,
    draft: QuarterlyDraft | None = UNREAD,
) -> tuple[dict[str, Any], QuarterlyReport | None]:
    """The update every format renders: the stored snapshot once finalised, else live figures.

    A caller that has read them already passes every issue of the quarter
    (`report_issues`) and the chair's `draft`, so that they are not read again.
    A snapshot may be of an older version than today's builds: draw it through
    `tracker.report_versions`, never with today's layout directly.
    """
    if issues is None:
        snapshot = report_snapshot(group=group, quarter=quarter)
    else:
        snapshot = issues[0] if issues else None
    if snapshot is not None:
        return snapshot.content, snapshot
    return report_build(group=group, quarter=quarter, draft=draft, issue=1), None


def report_issues(*, group: Group, quarter: Quarter) -> list[QuarterlyReport]:
    """Every issue of the quarter's update, the current (latest) first."""
    return list(
        QuarterlyReport.objects.filter(group=group, year=quarter.year, quarter=quarter.number)
        .select_related("finalised_by")
        .order_by("-issue")
    )


def report_finalise(*, group: Group, quarter: Quarter, by) -> QuarterlyReport:
    """Freeze the quarter's update as it stands now: who finalised it, and when.

    Raises QuarterNotStarted for a quarter still to come, QuarterNotEnded for the
    running one, and ReportAlreadyFinalised if it was finalised already (a correction
    is `report_reissue`).
    """
    if quarter.start > timezone.localdate():
        raise QuarterNotStarted(f"{quarter.label} has not started yet.")
    if quarter.end >= timezone.localdate():
        raise QuarterNotEnded(f"{quarter.label} ends on {date_format(quarter.end, 'j F Y')}.")
    return _freeze(group=group, quarter=quarter, by=by, issue=1, reason="")


def report_reissue(*, group: Group, quarter: Quarter, by, reason: str) -> QuarterlyReport:
    """Finalise the update again, as its next issue, with the reason: every earlier issue
    is kept as it was sent, and the new one is current. NotFinalised if there is none."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A re-issue needs its reason.")
    latest = report_snapshot(group=group, quarter=quarter)
    if latest is None:
        raise NotFinalised(f"{quarter.label} has not been finalised yet.")
    return _freeze(group=group, quarter=quarter, by=by, issue=latest.issue + 1, reason=reason)


def _freeze(*, group: Group, quarter: Quarter, by, issue: int, reason: str) -> QuarterlyReport:
    now = timezone.now()
    content = report_build(group=group, quarter=quarter, now=now, issue=issue)
    content["finalised"] = {
        "by": user_display_name(by),
        "at": timezone.localtime(now).isoformat(timespec="seconds"),
    }
    content["issue"] = {"number": issue, "reason": reason}
    content["document"]["status"] = "Final"
    try:
        with transaction.atomic():
            return QuarterlyReport.objects.create(
                group=group,
                year=quarter.year,
                quarter=quarter.number,
                issue=issue,
                reason=reason,
                content=content,
                finalised_by=by,
                finalised_at=now,
            )
    except IntegrityError as error:
        raise ReportAlreadyFinalised(f"{quarter.label} was finalised already.") from error


def quarters_with_data(group: Group) -> list[Quarter]:
    """Quarters in which the group has meetings, actions or measure values, newest first.

    Finalised quarters count too. A fixed number of queries, whatever the data size.
    """
    group_ids = [g.pk for g in covered_groups(group)]
    months: set[dt.date] = set()
    for queryset, field in (
        (Meeting.objects.filter(group_id__in=group_ids), "starts_at"),
        (Action.objects.filter(group_id__in=group_ids), "created_at"),
    ):
        months.update(
            _local_date(month) if isinstance(month, dt.datetime) else month
            for month in queryset.annotate(month=TruncMonth(field))
            .order_by()
            .values_list("month", flat=True)
            .distinct()
        )
    months.update(
        Action.objects.filter(group_id__in=group_ids, completed_on__isnull=False)
        .annotate(month=TruncMonth("completed_on"))
        .order_by()
        .values_list("month", flat=True)
        .distinct()
    )
    quarters = {Quarter.from_date(month) for month in months if month}
    for year, number_ in (
        MeasureValue.objects.filter(measure__group_id__in=group_ids)
        .order_by()
        .values_list("year", "quarter")
        .distinct()
    ):
        quarters.add(Quarter(year, number_))
    for year, number_ in QuarterlyReport.objects.filter(group=group).values_list("year", "quarter"):
        quarters.add(Quarter(year, number_))
    return sorted(quarters, reverse=True)


def report_issue(*, group: Group, quarter: Quarter, number: int) -> QuarterlyReport | None:
    """One issue of the quarter's finalised update, current or replaced; None if there is
    no such issue."""
    return (
        QuarterlyReport.objects.filter(
            group=group, year=quarter.year, quarter=quarter.number, issue=number
        )
        .select_related("finalised_by")
        .first()
    )
