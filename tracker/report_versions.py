"""What draws each version of the quarterly SVRP update.

A finalised update is the dict `report_build` made on the day
(`QuarterlyReport.content`), and it must render exactly as it was sent however
the update changes shape afterwards. So nothing draws an update directly: the
HTML preview, the compare page and every download look up the update's
``schema_version`` here and draw it with that version's code. An update of a
version missing from VERSIONS is refused with `SchemaVersionError`, never drawn
by another version's layout.

Version 1 is drawn by `tracker.report_layout` (its sections, title, subtitle,
status line and differences), `tracker.exports` (its files) and the partial
``reports/partials/section.html``. That code draws version 1 only, and stays as
it is: tests/tracker/test_report_versions.py keeps a finalised version-1 update
with every file it gave, and fails if any of them changes.

Version 2 puts the chair's part first (the document's facts, the summary and
status with each area's rating in words, achievements, plans, risks and asks) and
draws A4 documents with the protective marking on every page: `tracker.report_layout_v2`,
`tracker.exports_v2` (with `tracker.chart_png`) and ``reports/partials/section_v2.html``,
pinned the same way by tests/tracker/snapshots/v2/. Its title and subtitle are
version 1's; its differences compare the figures as version 1 does, and the
ratings too.

A new version (3, say) changes `report_build` and ``SCHEMA_VERSION`` in
tracker/report.py, brings its own modules for what it draws differently (e.g.
``report_layout_v3.py``, ``exports_v3.py``, a new section partial; they may
reuse earlier versions' functions but never change them), adds its entry to VERSIONS,
and adds its own snapshot to tests/tracker/snapshots/.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from tracker import exports, exports_v2, report_layout, report_layout_v2
from tracker.report_layout import Difference, Section

Report = dict[str, Any]


class SchemaVersionError(Exception):
    """An update no entry of VERSIONS draws, or two updates of different versions compared."""


@dataclass(frozen=True)
class ReportVersion:
    """The code that draws one schema version of the update, in every format."""

    number: int
    title: Callable[[Report], str]
    subtitle: Callable[[Report], str]
    status_line: Callable[[Report], str]
    sections: Callable[[Report], list[Section]]
    # What a finalised update says that live figures of the same version tell otherwise.
    differences: Callable[[Report, Report], list[Difference]]
    # One renderer for each format of `exports.FORMATS`, by extension.
    files: Mapping[str, Callable[[Report], bytes]]
    # The partial the HTML preview draws each of `sections` with.
    section_template: str
    # Versions whose live figures this version's `differences` can read: its own, and
    # any later version that keeps every key it compares.
    compares_with: frozenset[int] = frozenset()


VERSIONS: dict[int, ReportVersion] = {
    1: ReportVersion(
        number=1,
        title=report_layout.title_of,
        subtitle=report_layout.subtitle_of,
        status_line=report_layout.status_line,
        sections=report_layout.report_sections,
        differences=report_layout.report_differences,
        files={
            "json": exports.render_json,
            "csv": exports.render_csv,
            "xlsx": exports.render_xlsx,
            "docx": exports.render_docx,
            "pdf": exports.render_pdf,
        },
        section_template="reports/partials/section.html",
        # Version 2 keeps every figure of version 1 under the same keys.
        compares_with=frozenset({2}),
    ),
    2: ReportVersion(
        number=2,
        title=report_layout.title_of,
        subtitle=report_layout.subtitle_of,
        status_line=report_layout_v2.status_line,
        sections=report_layout_v2.report_sections,
        differences=report_layout_v2.report_differences,
        files={
            "json": exports_v2.render_json,
            "csv": exports_v2.render_csv,
            "xlsx": exports_v2.render_xlsx,
            "docx": exports_v2.render_docx,
            "pdf": exports_v2.render_pdf,
        },
        section_template="reports/partials/section_v2.html",
    ),
}


def report_version(report: Report) -> ReportVersion:
    """What draws `report`, by its ``schema_version``; SchemaVersionError if nothing does."""
    number = report.get("schema_version")
    # A bool is an int to Python, and True would pass for version 1.
    version = VERSIONS.get(number) if type(number) is int else None
    if version is None:
        found = f"schema_version {number!r}" if "schema_version" in report else "no schema_version"
        known = ", ".join(str(n) for n in VERSIONS)
        raise SchemaVersionError(
            f"Cannot draw a quarterly update with {found}: the versions drawn are {known}."
        )
    return version


def render_file(report: Report, extension: str) -> bytes:
    """The update as a file of one of `exports.FORMATS`, drawn by its own version."""
    return report_version(report).files[extension](report)


def report_differences(sent: Report, live: Report) -> list[Difference]:
    """What the finalised update `sent` says that the `live` figures now tell otherwise.

    Only updates of one version compare, row by row: a snapshot of an older
    version is refused until a version says how it compares with its own.
    """
    version = report_version(sent)
    if live.get("schema_version") not in {version.number, *version.compares_with}:
        raise SchemaVersionError(
            f"Cannot compare a version {version.number} update with live figures "
            f"of version {live.get('schema_version')!r}."
        )
    return version.differences(sent, live)
