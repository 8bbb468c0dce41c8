"""The SVRP pack: every working group's finalised update of a quarter, in one document.

The Strategic VRP reads the working groups' quarterly updates together at its
meeting. `pack_for(quarter)` gathers the current issue of each working group's
finalised update (`Pack`), and names the active working groups that have not
finalised the quarter yet; `render_pack_docx` and `render_pack_pdf` draw it, A4
portrait as version 2 of the update is drawn:

- a cover: the partnership's name and logo, "SVRP pack", the quarter, the day the
  pack was put together, and the protective marking, the strictest of the updates'
  (OFFICIAL-SENSITIVE beats OFFICIAL), which every page carries at its head and foot;
- the contents: each working group, what of it the pack holds or "Not finalised
  yet", and its overall status in words;
- a page for each group that finalised: its overall status and each area's rating
  in words with what it means (never colour alone), and its decisions and asks;
- each full update, its sections drawn by its own version's layout.

The pack draws no update with another version's layout: its sections come from
`report_versions.report_version(update).sections`, and they are drawn into the
pack's one document by core/documents.py, as version 2 of the update is.

Version 1 updates (finalised before version 2) are in the pack too, drawn from
version 1's own sections (tracker/report_layout.py) through a small adapter
(`_under_heading`: each section as version 2's `Section.of` sees it, with no chart
or rating). Their words and figures are version 1's, as finalised; only the
page they are printed on is the pack's. Attaching them separately was the other
choice: it would send the SVRP a second document in another look (landscape, with
no marking), and leave the pack's contents pointing outside it. A version-1
update has no chair's part, so its group's page says so and lists the key updates
and decisions its meetings raised for the SVRP instead. A version-1 update carries
no marking of its own: it counts as the portal's (the setting PROTECTIVE_MARKING).

A new version of the update brings its group page to STATUS_PAGES (and, if its
sections are not version 2's `Section`, its adapter to `_under_heading`):
tests/tracker/test_svrp_pack.py fails until every version has one.

The same data on the same day gives the same bytes: the pack's date is the day
(`made_on`), and nothing else in it reads the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from core import documents
from core.quarters import Quarter
from core.text import clean_text
from members.models import Group
from tracker import report_layout, report_layout_v2
from tracker.exports import _writable
from tracker.models import QuarterlyReport
from tracker.report_layout import MISSING, british_date, british_datetime, count
from tracker.report_layout_v2 import Section, Table
from tracker.report_versions import SchemaVersionError, report_version

Report = dict[str, Any]
TITLE = "SVRP pack"
NOT_FINALISED = "Not finalised yet"


@dataclass(frozen=True)
class Pack:
    """What the SVRP pack of one quarter holds, on the day it is put together."""

    quarter: Quarter
    made_on: dt.date
    partnership: str
    # The current issue of each working group's finalised update, by group name.
    updates: list[QuarterlyReport]
    # Active working groups that have not finalised the quarter, by name.
    missing: list[Group]
    # The portal's marking: a version-1 update's, which carries none, and an empty pack's.
    portal_marking: str

    @property
    def marking(self) -> str:
        """The strictest marking of the updates it holds."""
        markings = [update.content.get("marking") or self.portal_marking for update in self.updates]
        return max(markings or [self.portal_marking], key=_strictness)

    @property
    def signature(self) -> str:
        """Which issues the pack holds, as a string: a send names the pack its sender read,
        and is refused if an update was finalised or re-issued since."""
        return ",".join(str(pk) for pk in sorted(update.pk for update in self.updates))


def _strictness(marking: str) -> int:
    """A marking's place in settings.PROTECTIVE_MARKINGS, least strict first; a marking
    the portal does not know counts as the strictest, never as the least."""
    known = settings.PROTECTIVE_MARKINGS
    return known.index(marking) if marking in known else len(known)


def finalised_updates():
    """The current (latest) issue of every working group's finalised update, in one query."""
    latest = (
        QuarterlyReport.objects.filter(
            group=OuterRef("group"), year=OuterRef("year"), quarter=OuterRef("quarter")
        )
        .order_by("-issue")
        .values("issue")[:1]
    )
    return QuarterlyReport.objects.filter(
        group__kind=Group.Kind.WORKING, issue=Subquery(latest)
    ).select_related("group", "finalised_by")


def pack_quarters():
    """Each quarter with a working group's finalised update, newest first, as dicts of
    ``year``, ``quarter`` and ``updates`` (how many groups finalised it): one query."""
    return (
        QuarterlyReport.objects.filter(group__kind=Group.Kind.WORKING)
        .values("year", "quarter")
        .annotate(updates=Count("group", distinct=True))
        .order_by("-year", "-quarter")
    )


def pack_for(quarter: Quarter, *, today: dt.date | None = None) -> Pack:
    """The quarter's SVRP pack as it stands `today` (the local date by default)."""
    updates = sorted(
        finalised_updates().filter(year=quarter.year, quarter=quarter.number),
        key=lambda update: (update.content["group"]["name"], update.group_id),
    )
    missing = Group.objects.working_groups().exclude(pk__in=[u.group_id for u in updates])
    return Pack(
        quarter=quarter,
        made_on=today or timezone.localdate(),
        partnership=settings.PARTNERSHIP_NAME,
        updates=updates,
        missing=list(missing),
        portal_marking=settings.PROTECTIVE_MARKING,
    )


def pack_filename(pack: Pack, extension: str) -> str:
    """ "svrp-pack-2026-27-q2.pdf"."""
    return f"svrp-pack-{pack.quarter.slug.replace('/', '-')}.{extension}"


def _finalised_line(update: QuarterlyReport, content: Report) -> str:
    """ "Issue 1, finalised by … on …." with a re-issue's reason."""
    finalised = content["finalised"]
    verb = "finalised" if update.issue == 1 else "re-issued"
    said = (
        f"Issue {update.issue}, {verb} by {finalised['by']} on {british_datetime(finalised['at'])}."
    )
    return f"{said} Why: {clean_text(update.reason)}" if update.reason else said


def _name(content: Report) -> str:
    return content["group"]["name"]


# Each version's page of a group's status and asks, by schema version.


def _status_v1(update: QuarterlyReport, content: Report) -> list[Section]:
    """A version-1 update has no chair's part: say so, and give its key updates instead."""
    return [
        Section(
            key=f"status-{update.group_id}",
            title=f"{_name(content)}: status and asks",
            paragraphs=[
                _finalised_line(update, content),
                "This update was finalised before the chair's overall status, the rating "
                "of each area and the asks for the SVRP were part of the update: it has "
                "none of them. The key updates and decisions its meetings raised for the "
                "SVRP follow; the full update is later in this pack.",
            ],
        ),
        Section.of(report_layout._key_updates(content), level=2),
    ]


def _status_v2(update: QuarterlyReport, content: Report) -> list[Section]:
    """The overall status and each area's rating, in words with what it means, then the
    chair's decisions and asks for the SVRP."""
    chair = content["chair"]
    overall = chair["overall"]
    ratings = report_layout_v2._ratings(chair)
    return [
        Section(
            key=f"status-{update.group_id}",
            title=f"{_name(content)}: status and asks",
            paragraphs=[
                _finalised_line(update, content),
                f"Overall status: {report_layout_v2._rated(overall['label'], overall['meaning'])}.",
            ],
            tables=[
                Table(
                    caption="Status of each area",
                    headers=["Area", "Rating", "What the rating means"],
                    rows=[[name, r["label"], r["meaning"] or MISSING] for name, r in ratings],
                    rag_column=1,
                    rags=[r["rag"] for _, r in ratings],
                )
            ],
        ),
        Section.of(
            report_layout_v2._chairs_words(content, "asks", "Decisions and asks for the SVRP"),
            key=f"asks-{update.group_id}",
            level=2,
        ),
    ]


STATUS_PAGES: dict[int, Callable[[QuarterlyReport, Report], list[Section]]] = {
    1: _status_v1,
    2: _status_v2,
}


def _overall(content: Report) -> tuple[str, str | None]:
    """The overall status in words, and its rating (None for none): version 2 on."""
    chair = content.get("chair")
    if chair is None:
        return "Not rated: finalised before updates carried a rating", None
    return chair["overall"]["label"], chair["overall"]["rag"]


def _contents(pack: Pack, contents: list[Report]) -> Section:
    rows: list[tuple[str, str, str, str | None]] = [
        (_name(content), _finalised_line(update, content), *_overall(content))
        for update, content in zip(pack.updates, contents, strict=True)
    ]
    rows += [(group.name, NOT_FINALISED, MISSING, None) for group in pack.missing]
    rows.sort(key=lambda row: row[0])
    groups = len(pack.updates) + len(pack.missing)
    return Section(
        key="contents",
        title="Contents",
        paragraphs=[
            f"The working groups' quarterly updates to the Strategic VRP for "
            f"{pack.quarter.label} ({pack.quarter.months}), as each group's chair finalised "
            f"them: {count(groups, 'working group')}, {len(pack.updates)} finalised.",
            "First a page for each working group that has finalised: its overall status, "
            "the rating of each area and its decisions and asks for the SVRP. Then each "
            "full update, as it was finalised.",
        ],
        tables=[
            Table(
                caption="What the pack holds",
                headers=["Working group", "Update", "Overall status"],
                rows=[[name, state, overall] for name, state, overall, _ in rows],
                rag_column=2,
                rags=[rag for *_, rag in rows],
            )
        ],
    )


def _status_page(update: QuarterlyReport, content: Report) -> list[Section]:
    number = report_version(content).number
    if number not in STATUS_PAGES:
        raise SchemaVersionError(f"The SVRP pack draws no page for a version {number} update.")
    return STATUS_PAGES[number](update, content)


def _under_heading(section: report_layout.Section) -> Section:
    """A section of the update's own layout, a level below the group's heading. Version 1's
    comes through version 2's `Section.of` (the adapter of the module docstring)."""
    level = section.level if isinstance(section, Section) else 1
    return Section.of(section, level=level + 1)


def _full_update(update: QuarterlyReport, content: Report) -> list[Section]:
    """The group's heading with the update's title and status line, then the update's
    sections under it."""
    version = report_version(content)
    heading = Section(
        key=f"update-{update.group_id}",
        title=f"{_name(content)}: full update",
        paragraphs=[version.title(content), version.status_line(content)],
    )
    return [heading, *(_under_heading(section) for section in version.sections(content))]


def _pages(pack: Pack) -> list[list[Section]]:
    """The pack after its cover, each item starting a new page: the contents, each
    group's status and asks, then each full update."""
    contents = [_writable(update.content) for update in pack.updates]
    updates = list(zip(pack.updates, contents, strict=True))
    return [
        [_contents(pack, contents)],
        *(_status_page(update, content) for update, content in updates),
        *(_full_update(update, content) for update, content in updates),
    ]


def _cover_lines(pack: Pack) -> list[str]:
    return [
        pack.partnership,
        f"{pack.quarter.label}, {pack.quarter.months}",
        f"Put together on {british_date(pack.made_on.isoformat())}",
        f"Protective marking: {pack.marking}",
    ]


def _made_at(pack: Pack) -> dt.datetime:
    """Midnight at the start of the day the pack was put together, London time."""
    return timezone.make_aware(dt.datetime.combine(pack.made_on, dt.time.min))


def _title(pack: Pack) -> str:
    return f"{TITLE}: {pack.quarter.label}"


def _subject(pack: Pack) -> str:
    return f"The working groups' quarterly updates to the SVRP, {pack.quarter.months}"


def render_pack_docx(pack: Pack) -> bytes:
    """The pack as a Word document: A4, the marking at the head and foot of every page,
    page X of Y, and a heading for each part (Word's navigation pane)."""
    made_at = _made_at(pack)
    document = documents.new_docx(
        title=_title(pack),
        subject=_subject(pack),
        author=pack.partnership,
        marking=pack.marking,
        created=made_at.astimezone(dt.UTC).replace(tzinfo=None),
    )
    documents.docx_cover(document, _title(pack), _cover_lines(pack))
    for sections in _pages(pack):
        document.add_page_break()
        documents.docx_sections(document, sections)
    return documents.docx_bytes(document, made_at)


def render_pack_pdf(pack: Pack) -> bytes:
    """The pack as a PDF in the embedded Liberation Sans: A4, the marking at the head and
    foot of every page, page X of Y, and a bookmark for each part and section."""
    pdf = documents.new_pdf(
        title=_title(pack),
        subject=_subject(pack),
        author=pack.partnership,
        marking=pack.marking,
        footer=_title(pack),
        created=_made_at(pack),
    )
    pdf.add_page()
    documents.pdf_cover(pdf, _title(pack), _cover_lines(pack))
    for sections in _pages(pack):
        pdf.add_page()
        documents.pdf_sections(pdf, sections)
    return bytes(pdf.output())
