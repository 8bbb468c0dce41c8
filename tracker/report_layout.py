"""How the quarterly SVRP update reads: its sections, paragraphs and tables.

One layout, drawn from the report's dict, feeds every format — the HTML
preview, Word, PDF, Excel and CSV — so a figure reads the same in each. Cells
keep numbers as numbers (Excel gets real numbers); `cell_text` writes them for
the formats that are text.

The building blocks serve every version of the update and the tracker's pages:
Section, Table and `figure` come from core/documents.py (which draws them into
Word and PDF for every document the portal sends), the dates are here.
`title_of`, `subtitle_of`, `status_line`, `report_sections` and
`report_differences` are version 1's layout (``schema_version`` 1), reached
through `tracker.report_versions`, which picks each update's own. Keep them as
they are: a finalised version-1 update must read as it was sent
(tests/tracker/test_report_versions.py); a new version brings its own layout.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.http import urlencode

from core.documents import MISSING, Cell, Section, Table, cell_text
from core.documents import figure as figure


def british_date(iso: str | None) -> str:
    """ "2024-04-01" as "1 April 2024"."""
    if not iso:
        return MISSING
    return date_format(dt.date.fromisoformat(iso), "j F Y")


def british_datetime(iso: str | None) -> str:
    """An ISO datetime as "Tuesday 5 March 2024, 10:00" (it is already London time)."""
    if not iso:
        return MISSING
    return date_format(dt.datetime.fromisoformat(iso), "l j F Y, H:i")


def count(n: int, noun: str) -> str:
    """ "1 meeting", "3 meetings"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _url(name: str, pk: int | None) -> str | None:
    """The portal page of one object, or None when the row has no id (an older snapshot)."""
    return reverse(name, args=[pk]) if pk is not None else None


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def title_of(report: dict[str, Any]) -> str:
    return f"Quarterly SVRP update: {report['quarter']['label']}"


def subtitle_of(report: dict[str, Any]) -> str:
    return f"{report['group']['name']}, {report['quarter']['months']}"


def status_line(report: dict[str, Any]) -> str:
    finalised = report.get("finalised")
    if finalised:
        return f"Finalised by {finalised['by']} on {british_datetime(finalised['at'])}."
    return f"Draft: live figures generated on {british_datetime(report['generated_at'])}."


def report_sections(report: dict[str, Any]) -> list[Section]:
    """The update as the chair sends it, section by section."""
    return [
        _summary(report),
        _meetings(report),
        _attendance(report),
        _key_updates(report),
        _actions(report),
        _toc(report),
        _crest(report),
        _measures(report),
        _tor(report),
    ]


def _summary(report: dict[str, Any]) -> Section:
    actions = report["actions"]["totals"]
    attendance = report["attendance_totals"]
    rate = attendance["rate"]
    return Section(
        key="summary",
        title="Summary",
        paragraphs=[subtitle_of(report), status_line(report)],
        tables=[
            Table(
                caption="The quarter in figures",
                headers=["Figure", "Value"],
                rows=[
                    ["Meetings in the quarter", len(report["meetings"])],
                    ["Meetings held", report["meetings_held"]],
                    ["Attendance rate (%)", rate],
                    ["Key updates and decisions for the SVRP", len(report["key_updates"])],
                    ["Actions opened", actions["opened"]],
                    ["Actions completed", actions["completed"]],
                    [f"Actions overdue at {british_date(report['as_at'])}", actions["overdue"]],
                    [
                        f"Actions outstanding at {british_date(report['as_at'])}",
                        actions["outstanding"],
                    ],
                    ["ToR revision due", yes_no(report["tor"]["revision_due"])],
                ],
                numeric=frozenset({1}),
            )
        ],
    )


def _meetings(report: dict[str, Any]) -> Section:
    return Section(
        key="meetings",
        title="Meetings held",
        paragraphs=[
            f"{count(len(report['meetings']), 'meeting')} in the quarter, "
            f"{report['meetings_held']} held."
        ],
        tables=[
            Table(
                caption="Meetings in the quarter",
                headers=["Date", "Group", "Format", "Host", "Status"],
                rows=[
                    [
                        british_date(m["date"]),
                        m["group"],
                        m["format_label"],
                        m["host"] or MISSING,
                        m["status_label"],
                    ]
                    for m in report["meetings"]
                ],
                empty="No meeting in the quarter.",
                links=[_url("meetings:detail", m.get("id")) for m in report["meetings"]],
            )
        ],
    )


ATTENDANCE_HEADERS = ["Present", "Deputy", "Apologies", "Absent", "Attendance rate (%)"]


def _attendance_cells(row: dict[str, Any]) -> list[Cell]:
    return [row["present"], row["deputy"], row["apologies"], row["absent"], row["rate"]]


def _monitoring_url(group_id: int, quarter: dict[str, Any]) -> str:
    """The attendance monitoring page for one group over the quarter: the same figures."""
    label = quarter["label"]
    query = urlencode({"group": group_id, "start": label, "end": label})
    return f"{reverse('meetings:monitoring')}?{query}"


def _attendance(report: dict[str, Any]) -> Section:
    rows = [[row["agency"], *_attendance_cells(row)] for row in report["attendance_by_agency"]]
    if rows:
        rows.append(["All agencies", *_attendance_cells(report["attendance_totals"])])
    # Snapshots finalised before the update counted attendance by group have no such rows.
    by_group = report.get("attendance_by_group", [])
    group_rows = [[row["group"], row["meetings"], *_attendance_cells(row)] for row in by_group]
    group_links = [_monitoring_url(row["id"], report["quarter"]) for row in by_group]
    if len(group_rows) > 1:
        group_rows.append(
            [
                "All groups",
                sum(row["meetings"] for row in by_group),
                *_attendance_cells(report["attendance_totals"]),
            ]
        )
        group_links.append(None)
    return Section(
        key="attendance",
        title="Attendance by agency",
        paragraphs=[
            "A deputy attending counts as the seat attending. "
            "A cancelled meeting's register does not count."
        ],
        tables=[
            Table(
                caption="Attendance by agency over the quarter's meetings",
                headers=["Agency", *ATTENDANCE_HEADERS],
                rows=rows,
                empty="No attendance was recorded in the quarter.",
                numeric=frozenset(range(1, 6)),
            ),
            Table(
                caption="Attendance by group",
                headers=["Group", "Meetings with a register", *ATTENDANCE_HEADERS],
                rows=group_rows,
                empty="No attendance was recorded in the quarter.",
                numeric=frozenset(range(1, 7)),
                links=group_links,
            ),
        ],
    )


def _key_updates(report: dict[str, Any]) -> Section:
    updates = report["key_updates"]
    return Section(
        key="key-updates",
        title="Key updates and decisions for the SVRP",
        short_title="Key updates and decisions",
        paragraphs=[] if updates else ["No key update or decision was flagged for the SVRP."],
        bullets=[
            f"{u['kind_label']} ({u['group']}, {british_date(u['date'])}): {u['text']}"
            for u in updates
        ],
    )


ACTION_HEADERS = ["Opened", "Completed", "Overdue", "Outstanding"]


def _actions(report: dict[str, Any]) -> Section:
    actions = report["actions"]
    as_at = british_date(actions["as_at"])
    totals = actions["totals"]
    return Section(
        key="actions",
        title="Actions",
        paragraphs=[f"Opened and completed in the quarter; overdue and outstanding as at {as_at}."],
        tables=[
            Table(
                caption="Actions by agency",
                headers=["Agency", *ACTION_HEADERS],
                rows=[
                    [
                        row["agency"],
                        *(row[name] for name in ("opened", "completed", "overdue", "outstanding")),
                    ]
                    for row in actions["by_agency"]
                ]
                + (
                    [
                        [
                            "All agencies",
                            totals["opened"],
                            totals["completed"],
                            totals["overdue"],
                            totals["outstanding"],
                        ]
                    ]
                    if actions["by_agency"]
                    else []
                ),
                empty="No action was opened, completed or outstanding in the quarter.",
                numeric=frozenset(range(1, 5)),
            ),
            Table(
                caption=f"Overdue actions as at {as_at}",
                headers=["Action", "Owner", "Agency", "Due", "Days overdue"],
                rows=[
                    [
                        row["title"],
                        row["owner"],
                        row["agency"],
                        british_date(row["due_date"]),
                        row["days_overdue"],
                    ]
                    for row in actions["overdue"]
                ],
                empty="No action was overdue.",
                numeric=frozenset({4}),
                links=[_url("actions:detail", row["id"]) for row in actions["overdue"]],
            ),
        ],
    )


def _changes_text(changes: list[dict[str, str]]) -> str:
    return "; ".join(f"{british_date(c['date'])}: {c['text']}" for c in changes) or MISSING


def _recorded_on(report: dict[str, Any]) -> str:
    """ "Statuses as recorded on …": the tracker holds statuses as they are now, not by quarter."""
    return f"Statuses as recorded on {british_date(report['generated_at'][:10])}"


def _toc(report: dict[str, Any]) -> Section:
    as_at = british_date(report["as_at"])
    return Section(
        key="toc",
        title="Theory of Change activities",
        short_title="ToC activities",
        paragraphs=[f"{_recorded_on(report)}; linked actions open and done as at {as_at}."],
        tables=[
            Table(
                caption="Progress of the Theory of Change activities",
                headers=[
                    "Code",
                    "Activity",
                    "Status",
                    "Open actions",
                    "Done actions",
                    "Changes this quarter",
                ],
                rows=[
                    [
                        row["code"],
                        row["title"],
                        row["status_label"],
                        row["actions_open"],
                        row["actions_done"],
                        _changes_text(row["changes"]),
                    ]
                    for row in report["toc_activities"]
                ],
                empty="No Theory of Change activity is tracked.",
                numeric=frozenset({3, 4}),
            )
        ],
    )


def _crest(report: dict[str, Any]) -> Section:
    recommendations = report["crest_recommendations"]
    achieved = [r["code"] for r in recommendations if r["achieved_this_quarter"]]
    paragraphs = [f"{_recorded_on(report)}."]
    if achieved:
        paragraphs.append(
            f"Achieved this quarter: {', '.join(achieved)}. The ToR is due for revision."
        )
    return Section(
        key="crest",
        title="Crest readiness tracker",
        paragraphs=paragraphs,
        tables=[
            Table(
                caption="Crest Advisory recommendations",
                headers=[
                    "Code",
                    "Recommendation",
                    "Status",
                    "Evidence",
                    "Achieved on",
                    "Changes this quarter",
                ],
                rows=[
                    [
                        row["code"],
                        row["text"],
                        row["status_label"],
                        row["evidence"] or MISSING,
                        british_date(row["achieved_on"]),
                        _changes_text(row["changes"]),
                    ]
                    for row in recommendations
                ],
                empty="No Crest recommendation is tracked.",
            )
        ],
    )


def _measures(report: dict[str, Any]) -> Section:
    quarter = report["quarter"]
    return Section(
        key="measures",
        title="Performance measures",
        tables=[
            Table(
                caption=f"Performance Framework, {quarter['label']}",
                headers=[
                    "Code",
                    "Measure",
                    "This quarter",
                    "Previous quarter",
                    "Same quarter last year",
                    "Target",
                    "Direction",
                    "Against target",
                ],
                rows=[
                    [
                        row["code"],
                        row["title"],
                        row["this_quarter"],
                        row["previous_quarter"],
                        row["same_quarter_last_year"],
                        row["target"],
                        row["direction"],
                        row["against_target"],
                    ]
                    for row in report["measures"]
                ],
                empty="No performance measure is tracked.",
                numeric=frozenset({2, 3, 4, 5}),
                links=[_url("tracker:measure", row.get("id")) for row in report["measures"]],
            )
        ],
    )


def _tor(report: dict[str, Any]) -> Section:
    tor = report["tor"]
    paragraphs = []
    if tor["review_date"] and tor["review_date"] < report["as_at"]:
        paragraphs.append(f"The review date, {british_date(tor['review_date'])}, has passed.")
    if tor["revision_due"]:
        paragraphs.append(
            "A Crest recommendation has been achieved, so the Terms of Reference must be revised."
        )
    return Section(
        key="tor",
        title="Terms of Reference",
        paragraphs=paragraphs,
        tables=[
            Table(
                caption="Terms of Reference review",
                headers=["Version", "Published", "Review date", "Revision due"],
                rows=[
                    [
                        tor["version"] or MISSING,
                        british_date(tor["published"]),
                        british_date(tor["review_date"]),
                        yes_no(tor["revision_due"]),
                    ]
                ],
            )
        ],
    )


@dataclass(frozen=True)
class Difference:
    section: str
    item: str
    field: str
    sent: str
    live: str


NOT_IN_SENT = "(not in the update as sent)"
NOT_IN_LIVE = "(not in the live figures)"


def _rows_by_key(table: Table) -> dict[str, list[Cell]]:
    """Rows keyed by their first cell; repeats (two meetings on one day) get a number."""
    rows: dict[str, list[Cell]] = {}
    for row in table.rows:
        key, n = cell_text(row[0]), 1
        while key in rows:
            n += 1
            key = f"{cell_text(row[0])} ({n})"
        rows[key] = row
    return rows


def report_differences(sent: dict[str, Any], live: dict[str, Any]) -> list[Difference]:
    """Every figure and entry of the finalised update that the live figures now tell otherwise.

    Compared as the update reads: table by table, row by row (matched on the
    first column), cell by cell; key updates entry by entry.
    """
    differences: list[Difference] = []
    for old, new in zip(report_sections(sent), report_sections(live), strict=True):
        for text in old.bullets:
            if text not in new.bullets:
                differences.append(Difference(old.title, text, "Entry", "Listed", NOT_IN_LIVE))
        for text in new.bullets:
            if text not in old.bullets:
                differences.append(Difference(old.title, text, "Entry", NOT_IN_SENT, "Listed"))
        for old_table, new_table in zip(old.tables, new.tables, strict=True):
            old_rows, new_rows = _rows_by_key(old_table), _rows_by_key(new_table)
            for key, row in old_rows.items():
                if key not in new_rows:
                    differences.append(Difference(old.title, key, "Row", "Listed", NOT_IN_LIVE))
                    continue
                for heading, before, after in zip(
                    old_table.headers[1:], row[1:], new_rows[key][1:], strict=True
                ):
                    if cell_text(before) != cell_text(after):
                        differences.append(
                            Difference(old.title, key, heading, cell_text(before), cell_text(after))
                        )
            for key in (key for key in new_rows if key not in old_rows):
                differences.append(Difference(old.title, key, "Row", NOT_IN_SENT, "Listed"))
    return differences
