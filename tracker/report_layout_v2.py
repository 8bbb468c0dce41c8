"""How version 2 of the quarterly SVRP update reads (``schema_version`` 2).

Version 2 leads with what the SVRP reads first: the document's facts, then the
summary and status (the overall rating and each area's, in words with why), the
chair's achievements, plans, risks and asks, and only then the figures, ending
with an appendix. One layout feeds every format, as in version 1: the HTML
preview (``reports/partials/section_v2.html``), Word, PDF, Excel and CSV
(tracker/exports_v2.py).

It reuses version 1's building blocks and tables (tracker/report_layout.py) by
import and never changes them. What it adds is here: a section may be a part of
the one before it (``level`` 2: Word's Heading 2, a PDF bookmark under its
section, an ``<h3>``); a table may have a column of ratings, drawn as the
rating's words on a coloured badge (never colour alone); and each measure has
its trend chart, drawn from the same figures as the table beside it.

Reached through `tracker.report_versions`. Keep it as it is: a finalised
version-2 update must read as it was sent (tests/tracker/snapshots/v2/); a new
look is a new version.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from django.utils.safestring import SafeString
from django.utils.text import slugify

from tracker import report_layout
from tracker.chart import HEIGHT, WIDTH, trend_chart
from tracker.chart_png import trend_png
from tracker.report_layout import (
    MISSING,
    Cell,
    Difference,
    british_date,
    british_datetime,
    count,
    figure,
    yes_no,
)

# A rating's name, for the suggested rating of which the update keeps only the value.
# Written here, not read from tracker/rag.py: a finalised update reads as it was sent.
RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green"}
# Each rating's colours, as hex: (background, text). Each pair has a contrast of at
# least 4.5:1 (WCAG AA for normal text); the words always say the rating too.
RAG_COLOURS = {
    "red": ("A3122B", "FFFFFF"),
    "amber": ("FFBF47", "1F1F1F"),
    "green": ("1D6B38", "FFFFFF"),
}
# Columns of words, given more of the page's width in Word and PDF.
WIDE_COLUMNS = {
    "Action",
    "Activity",
    "Recommendation",
    "Measure",
    "Evidence",
    "Changes this quarter",
    "Risk or issue",
    "What the rating means",
    "Why",
    "Chair's reason",
    "Value",
    "Rule",
}
NOTHING_RECORDED = "Nothing was recorded."


@dataclass
class Table(report_layout.Table):
    """Version 1's table, with an optional column of ratings."""

    # The column holding each row's rating in words, and each row's rating ("red",
    # "amber", "green"; None for none): drawn as the words on a badge of that colour.
    rag_column: int | None = None
    rags: list[str | None] = field(default_factory=list)

    @classmethod
    def of(cls, table: report_layout.Table) -> Table:
        """A table of version 1's layout, as version 2 draws it."""
        if isinstance(table, cls):
            return table
        return cls(**{f.name: getattr(table, f.name) for f in fields(table)})

    def rag_of(self, row: int, column: int) -> str | None:
        """The rating drawn in one cell, or None for a cell that is no rating."""
        if column != self.rag_column or not self.rags:
            return None
        return self.rags[row]

    def badge_of(self, row: int, column: int) -> tuple[str, str] | None:
        """A rating is drawn as its words on a badge of its colour."""
        rag = self.rag_of(row, column)
        return RAG_COLOURS[rag] if rag else None

    def is_wide(self, column: int) -> bool:
        return super().is_wide(column) or self.headers[column] in WIDE_COLUMNS

    @property
    def drawn_rows(self) -> list[tuple[str | None, list[tuple[Cell, str | None]]]]:
        """Each row's link (see `linked_rows`) and its cells, each with its rating or None."""
        return [
            (link, [(value, self.rag_of(index, col)) for col, value in enumerate(row)])
            for index, (link, row) in enumerate(self.linked_rows)
        ]


@dataclass(frozen=True)
class Chart:
    """A measure's values over the last quarters, as a line chart beside the same figures."""

    key: str
    title: str
    # (quarter label, value or None), oldest first.
    points: list[tuple[str, int | float | None]]
    target: int | float | None
    # The picture's height over its width, as tracker/chart_png.py draws it.
    aspect: ClassVar[float] = HEIGHT / WIDTH

    def png(self) -> bytes:
        """The chart as Word and PDF draw it (core/documents.py)."""
        return trend_png(self.values, target=self.target)

    @property
    def values(self) -> list[tuple[str, int | float]]:
        """The quarters with a value: a quarter without one has no point."""
        return [(quarter, value) for quarter, value in self.points if value is not None]

    @property
    def description(self) -> str:
        """What the chart shows, in words: the alternative text of its picture."""
        first, last = self.points[0][0], self.points[-1][0]
        target = f", against a target of {figure(self.target)}" if self.target is not None else ""
        return (
            f"{self.title}: a line chart of {count(len(self.values), 'value')} recorded over the "
            f"{len(self.points)} quarters from {first} to {last}{target}. "
            "The same figures are in the table below it."
        )

    @property
    def caption(self) -> str:
        target = "; the dashed line is the target" if self.target is not None else ""
        return f"Quarterly values{target}. A quarter without a value has no point."

    @property
    def svg(self) -> SafeString:
        """The chart as the HTML preview draws it (tracker/chart.py)."""
        return trend_chart(self.values, target=self.target, title=self.title, chart_id=self.key)


@dataclass
class Section(report_layout.Section):
    """Version 1's section, its tables drawn as version 2 draws them; its `level` and
    `charts` (core/documents.py) are version 2's alone."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.tables = [Table.of(table) for table in self.tables]

    @classmethod
    def of(cls, section: report_layout.Section, **changes: Any) -> Section:
        """A section of version 1's layout, as version 2 draws it, with `changes`."""
        values = {f.name: getattr(section, f.name) for f in fields(section)}
        if "title" in changes and "short_title" not in changes:
            changes["short_title"] = ""
        return cls(**(values | changes))


def _lines(text: str) -> list[str]:
    """The chair's words, a paragraph (or a list item) to each line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _document_date(report: dict[str, Any]) -> str | None:
    """The date the document carries: the day it was finalised, or a draft's generation."""
    document, finalised = report["document"], report.get("finalised")
    if document.get("date"):
        return document["date"]
    return (finalised["at"] if finalised else report["generated_at"])[:10]


def status_line(report: dict[str, Any]) -> str:
    """ "Final, issue 1: finalised by … on …." or "Draft: live figures generated on …"."""
    finalised = report.get("finalised")
    if not finalised:
        return f"Draft: live figures generated on {british_datetime(report['generated_at'])}."
    issue = report["issue"]
    said = (
        f"{report['document']['status']}, issue {issue['number']}: "
        f"finalised by {finalised['by']} on {british_datetime(finalised['at'])}."
    )
    return f"{said} Re-issued: {issue['reason']}" if issue["reason"] else said


def report_sections(report: dict[str, Any]) -> list[Section]:
    """The update as the chair sends it, section by section: the chair's part first."""
    return [
        _document(report),
        _summary(report),
        _chairs_words(report, "achievements", "Achievements this quarter"),
        _chairs_words(report, "next_quarter", "Planned for next quarter", key="next-quarter"),
        _risks(report),
        _chairs_words(report, "asks", "Decisions and asks for the SVRP"),
        Section.of(
            report_layout._key_updates(report),
            title="Key updates and decisions from the quarter's meetings",
            short_title="Key updates and decisions",
        ),
        Section.of(report_layout._toc(report)),
        Section.of(report_layout._crest(report)),
        *_measures(report),
        _actions(report),
        _attendance(report),
        _tor(report),
        *_appendix(report),
    ]


def _document(report: dict[str, Any]) -> Section:
    document, issue = report["document"], report["issue"]
    finalised = report.get("finalised")
    rows: list[list[Cell]] = [
        ["Partnership", report["partnership"]["name"]],
        ["Group", report["group"]["name"]],
        ["Quarter", f"{report['quarter']['label']}, {report['quarter']['months']}"],
        ["Status", document["status"]],
        ["Issue", issue["number"]],
    ]
    if issue["reason"]:
        rows.append(["Why it was re-issued", issue["reason"]])
    rows += [
        ["Author", document["author"] or MISSING],
        ["Date", british_date(_document_date(report))],
        [
            "Finalised",
            f"By {finalised['by']} on {british_datetime(finalised['at'])}"
            if finalised
            else f"Not yet: live figures generated on {british_datetime(report['generated_at'])}",
        ],
        ["Distribution", "; ".join(document["distribution"]) or MISSING],
        ["Protective marking", report["marking"]],
    ]
    return Section(
        key="document",
        title="Document control",
        tables=[Table(caption="About this document", headers=["Detail", "Value"], rows=rows)],
    )


def _ratings(chair: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(name, rating) of the overall status and of each area, in the update's order."""
    return [("Overall status", chair["overall"]), *((a["name"], a) for a in chair["areas"])]


def _chairs_reason(rating: dict[str, Any]) -> str:
    if not rating["overridden"]:
        return "As the figures suggest."
    suggested = RAG_LABELS.get(rating["suggested"], rating["suggested"])
    return (
        f"The figures suggest {suggested}; the chair rates it {rating['label']}: {rating['reason']}"
    )


def _rated(label: str, meaning: str) -> str:
    return f"{label} ({meaning})" if meaning else label


def _summary(report: dict[str, Any]) -> Section:
    chair = report["chair"]
    overall = chair["overall"]
    ratings = _ratings(chair)
    figures = report_layout._summary(report).tables[0]
    return Section(
        key="summary",
        title="Summary and status",
        paragraphs=[
            f"Overall status: {_rated(overall['label'], overall['meaning'])}.",
            *_lines(chair["summary"]),
        ],
        tables=[
            Table(
                caption="Status of each area",
                headers=["Area", "Rating", "What the rating means", "Why", "Chair's reason"],
                rows=[
                    [name, r["label"], r["meaning"] or MISSING, r["because"], _chairs_reason(r)]
                    for name, r in ratings
                ],
                rag_column=1,
                rags=[r["rag"] for _, r in ratings],
            ),
            figures,
        ],
    )


def _chairs_words(report: dict[str, Any], part: str, title: str, key: str = "") -> Section:
    lines = _lines(report["chair"][part])
    return Section(
        key=key or part,
        title=title,
        paragraphs=[] if lines else [NOTHING_RECORDED],
        bullets=lines,
    )


def _risks(report: dict[str, Any]) -> Section:
    risks = report["chair"]["risks"]
    return Section(
        key="risks",
        title="Risks and issues",
        tables=[
            Table(
                caption="Risks and issues the chair reports",
                headers=["Risk or issue", "Rating", "What the rating means", "Owner"],
                rows=[
                    [risk["text"], risk["label"], risk["meaning"] or MISSING, risk["owner"]]
                    for risk in risks
                ],
                empty="No risk or issue was reported.",
                rag_column=1,
                rags=[risk["rag"] for risk in risks],
            )
        ],
    )


def _measures(report: dict[str, Any]) -> list[Section]:
    """The measures' table, then a part for each measure: its note, chart and trend."""
    sections = [
        Section.of(
            report_layout._measures(report),
            paragraphs=["Each measure's note and its values over the last eight quarters follow."]
            if report["measures"]
            else [],
        )
    ]
    for row in report["measures"]:
        # "4.1.1.a" as "4-1-1-a": slugify drops dots, and 4.1.1.a would read as 41.1.a.
        key = f"measure-{slugify(row['code'].replace('.', '-'))}"
        title = f"{row['code']} {row['title']}"
        points = [(point["quarter"], point["value"]) for point in row["trend"]]
        note = row["note"]
        label = report["quarter"]["label"]
        chart = Chart(f"{key}-chart", f"Trend of {title}", points, row["target"])
        sections.append(
            Section(
                key=key,
                title=title,
                level=2,
                paragraphs=[
                    f"Note for {label}: {note}" if note else f"No note was recorded for {label}.",
                    *([] if chart.values else ["No value was recorded in these quarters."]),
                ],
                charts=[chart] if chart.values else [],
                tables=[
                    Table(
                        caption=f"{row['code']}: values over {len(points)} quarters",
                        headers=["Figure", *(quarter for quarter, _ in points)],
                        rows=[
                            [
                                f"Value ({row['unit']})" if row["unit"] else "Value",
                                *(value for _, value in points),
                            ]
                        ],
                        numeric=frozenset(range(1, len(points) + 1)),
                    )
                ],
            )
        )
    return sections


def _actions(report: dict[str, Any]) -> Section:
    """Version 1's actions, the overdue ones first."""
    section = report_layout._actions(report)
    by_agency, overdue = section.tables
    return Section.of(section, tables=[overdue, by_agency])


def _attendance(report: dict[str, Any]) -> Section:
    """Version 1's attendance by agency; attendance by group is in the appendix."""
    section = report_layout._attendance(report)
    return Section.of(section, tables=section.tables[:1])


def _tor(report: dict[str, Any]) -> Section:
    """The ToR's dates, and whether it is due for revision with every reason why."""
    tor = report["tor"]
    if tor["revision_due"]:
        paragraphs = ["The Terms of Reference are due for revision:"]
        bullets = tor["revision_reasons"]
    else:
        review = f", at the latest on {british_date(tor['review_date'])}"
        paragraphs = [
            "The Terms of Reference are not due for revision; they are next reviewed"
            + (review if tor["review_date"] else " when the group sets a review date")
            + "."
        ]
        bullets = []
    return Section(
        key="tor",
        title="Terms of Reference",
        paragraphs=paragraphs,
        bullets=bullets,
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


def _appendix(report: dict[str, Any]) -> list[Section]:
    attendance = report_layout._attendance(report)
    chair = report["chair"]
    return [
        Section(
            key="appendix",
            title="Appendix: the quarter's figures",
            short_title="Appendix",
            paragraphs=[
                "The meetings and attendance behind the sections above, and the rules "
                "by which the portal suggests each rating."
            ],
        ),
        Section.of(report_layout._meetings(report), title="Meetings", level=2),
        Section.of(
            attendance,
            key="attendance-by-group",
            title="Attendance of each group",
            paragraphs=attendance.paragraphs[:1],
            tables=attendance.tables[1:],
            level=2,
        ),
        Section(
            key="rating-rules",
            title="How each rating is suggested",
            level=2,
            paragraphs=[
                "The portal suggests each rating from the figures by these rules; the chair "
                "may rate an area otherwise, and then gives the reason beside it."
            ],
            tables=[
                Table(
                    caption="Rules of the suggested ratings",
                    headers=["Area", "Rule"],
                    rows=[[name, rating["rule"]] for name, rating in _ratings(chair)],
                )
            ],
        ),
    ]


def report_differences(sent: dict[str, Any], live: dict[str, Any]) -> list[Difference]:
    """Every figure and entry of the finalised update that the live figures now tell
    otherwise, and every rating the live update now gives otherwise.

    The figures compare as version 1 compares them (version 2 keeps each of them
    under the same key), table by table; the ratings are version 2's own.
    """
    differences = report_layout.report_differences(sent, live)
    for (name, old), (_, new) in zip(_ratings(sent["chair"]), _ratings(live["chair"]), strict=True):
        if old["label"] != new["label"]:
            differences.append(
                Difference("Summary and status", name, "Rating", old["label"], new["label"])
            )
    return differences
