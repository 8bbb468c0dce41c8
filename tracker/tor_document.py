"""A group's Terms of Reference (ToR), in the structure of the partnership's own ToR.

The document is assembled as one dict (`tor_content`) from live data — the group's
current seats (the distribution list), its ToC activities, Crest recommendations,
performance measures and meeting rules — and from its text (`TorText`), which VRU
staff write. The HTML page, Word and PDF are all drawn from that dict, so that a
published version (`TorVersion.content`, the dict frozen at publication) reads and
downloads as it was published whatever changes later.

Keep the dict's shape: published versions carry ``schema_version`` 1 and the
renderers here read them.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import slugify

from core.documents import (
    FONT,
    Section,
    Table,
    docx_bytes,
    docx_cover,
    docx_sections,
    new_docx,
    new_pdf,
    pdf_cover,
    pdf_sections,
)
from core.text import clean_tree
from meetings.models import Meeting
from meetings.planning import ordinal
from members.models import Agency, Group, Membership
from tracker.models import (
    CrestRecommendation,
    PerformanceMeasure,
    ToCActivity,
    TorText,
    TorVersion,
)

SCHEMA_VERSION = 1
PARTNERSHIP = "Violence Reduction Partnership (VRP)"
DUTY_HEADING = "Specified or Relevant Authority"
NOTE_MARK = "\u00b9"  # superscript one: the note under the distribution list
NOT_YET_REQUIRED = "Attendance not yet required"
NOT_WRITTEN = "Not written yet."
BLANK = "\u00a0"
# How the ToR names each duty status: "N/A" where the duty does not apply.
DUTY_WORDS = {
    Agency.DutyStatus.SPECIFIED: "Specified Authority",
    Agency.DutyStatus.RELEVANT: "Relevant Authority",
    Agency.DutyStatus.NOT_APPLICABLE: "N/A",
}
FREQUENCY_WORDS = {
    Group.Frequency.MONTHLY: "monthly",
    Group.Frequency.BIMONTHLY: "every two months",
    Group.Frequency.QUARTERLY: "quarterly",
}
FORMAT_WORDS = {
    Meeting.Format.TEAMS: "via Teams",
    Meeting.Format.IN_PERSON: "in person",
    Meeting.Format.HYBRID: "as hybrid meetings, in person and on Teams",
}


# Building the content from live data


def blocks(text: str) -> list[dict[str, Any]]:
    """Staff's text as blocks: a paragraph to each line; "- " starts a bullet point and
    "-- " a bullet under it (level 0 is a paragraph)."""
    found = []
    for line in text.splitlines():
        line = line.strip()
        level = 0
        for marker, marker_level in (("-- ", 2), ("- ", 1), ("\u2022 ", 1), ("\u00b7 ", 1)):
            if line.startswith(marker):
                line, level = line[len(marker) :].strip(), marker_level
                break
        if line:
            found.append({"level": level, "text": line})
    return found


def _numbered(text: str, code: str) -> str:
    """ "Partners should invest … efforts." and "8.1" as the ToR writes them:
    "Partners should invest … efforts (8.1)." """
    text = text.strip()
    stop = "." if text.endswith(".") else ""
    return f"{text.removesuffix('.')} ({code}){stop}"


def _day(value: dt.date | None) -> str:
    return date_format(value, "j F Y") if value else ""


def name_and_role(seat: Membership) -> str:
    """A seat as the ToR's "Name & Role / Partner" column says it: "VRU Director and
    Chair"; "Attendance not yet required" for a seat not yet expected at meetings; the
    holder's name first when the seat is filled."""
    if seat.attendance_status == Membership.AttendanceStatus.NOT_YET_REQUIRED:
        role = NOT_YET_REQUIRED
    elif seat.position in (Membership.Position.CHAIR, Membership.Position.VICE_CHAIR):
        role = f"{seat.role_title} and {seat.get_position_display()}"
    else:
        role = seat.role_title
    if seat.person_id and seat.person.is_active:
        return f"{seat.person.full_name}, {role}"
    return role


def tor_seats(group: Group):
    """The group's current seats in the ToR's order: by agency, then seat."""
    return (
        Membership.objects.current()
        .filter(group=group)
        .select_related("agency", "person")
        .order_by("agency__order", "agency__name", "order", "pk")
    )


def _distribution(group: Group, note: str) -> dict[str, Any]:
    rows = []
    previous = None
    for seat in tor_seats(group):
        first = seat.agency_id != previous
        previous = seat.agency_id
        rows.append(
            [
                seat.agency.name if first else "",
                DUTY_WORDS.get(seat.agency.duty_status, "") if first else "",
                name_and_role(seat),
                _day(seat.tor_sent_on),
            ]
        )
    mark = NOTE_MARK if note else ""
    return {
        "headers": ["Agency", f"{DUTY_HEADING}{mark}", "Name & Role / Partner", "Date Sent"],
        "rows": rows,
        "note": f"{NOTE_MARK} {note}" if note else "",
    }


def _listed(intro: str, items: list[dict[str, Any]], empty: str, after: str = "") -> list[dict]:
    return [*blocks(intro), *(items or [{"level": 0, "text": empty}]), *blocks(after)]


def _activities(group: Group, text: TorText) -> list[dict[str, Any]]:
    activities = ToCActivity.objects.filter(group=group).order_by("code")
    items = [{"level": 1, "text": _numbered(a.title, a.code)} for a in activities]
    return _listed(text.aims, items, "No Theory of Change activity is linked to the group yet.")


def _recommendations(group: Group, text: TorText) -> list[dict[str, Any]]:
    items = []
    for rec in CrestRecommendation.objects.filter(group=group).order_by("code"):
        words = _numbered(rec.text, rec.code)
        if rec.is_achieved and rec.achieved_on:
            words += f" Achieved on {_day(rec.achieved_on)}."
        items.append({"level": 1, "text": words})
    return _listed(
        text.crest_introduction,
        items,
        "No Crest Advisory recommendation is linked to the group yet.",
        text.crest_follow_up,
    )


def _measures(group: Group, text: TorText) -> list[dict[str, Any]]:
    """Each outcome, its success measure and its elements, nested as the ToR lists them."""
    items: list[dict[str, Any]] = []
    outcome = success = None
    for measure in PerformanceMeasure.objects.filter(group=group).order_by("code"):
        if measure.outcome != outcome:
            outcome, success = measure.outcome, None
            items.append(
                {
                    "level": 1,
                    "text": f"{outcome.strip()} The success measure to achieve this will be:",
                }
            )
        if measure.success_measure != success:
            success = measure.success_measure
            items.append(
                {
                    "level": 2,
                    "text": f"{success.strip().removesuffix('.')}, measured by data source:",
                }
            )
        items.append({"level": 3, "text": _numbered(measure.title, measure.code)})
    return _listed(
        text.performance_introduction,
        items,
        "No element of the Performance Framework is linked to the group yet.",
    )


def meeting_rules(group: Group) -> list[str]:
    """The group's meeting frequency, review and format (its fields), in the ToR's words:
    "Meetings will be held quarterly and reviewed in March 2024." """
    frequency = FREQUENCY_WORDS.get(group.meeting_frequency, group.get_meeting_frequency_display())
    review = (
        f" and reviewed in {date_format(group.review_date, 'F Y')}" if group.review_date else ""
    )
    how = FORMAT_WORDS.get(group.default_format, "via Teams")
    every = group.in_person_every
    if group.default_format == Meeting.Format.IN_PERSON or not every:
        held = f"These will be held {how}."
    elif every == 1:
        held = "These will be held in person, each hosted by a different Specified Authority."
    else:
        held = (
            f"To foster positive relationships, these will be held {how} with every "
            f"{ordinal(every)} meeting being held in person and hosted by a different "
            "Specified Authority."
        )
    return [f"Meetings will be held {frequency}{review}.", held]


def _prose(text: str) -> list[dict[str, Any]]:
    return blocks(text) or [{"level": 0, "text": NOT_WRITTEN}]


def _sections(group: Group, text: TorText) -> list[dict[str, Any]]:
    vision = [line for line in (group.vision, group.mission) if line.strip()]
    rules = [{"level": 0, "text": line} for line in meeting_rules(group)]
    sections = [
        ("introduction", "Introduction", _prose(text.introduction)),
        ("vision", "Vision and mission", _prose("\n".join(vision))),
        (
            "aims",
            "Aims and activities linked to the Theory of Change (ToC)",
            _activities(group, text),
        ),
        ("crest", "Crest Advisory recommendations", _recommendations(group, text)),
        ("performance", "Outcomes based performance framework", _measures(group, text)),
        ("partners", "Partner responsibilities", _prose(text.partner_responsibilities)),
        ("reporting", "Reporting relationships", _prose(text.reporting_relationships)),
        ("meetings", "Meeting frequency and format", [*rules, *blocks(text.meeting_notes)]),
        ("administration", "Administration", _prose(text.administration)),
    ]
    if text.notes.strip():
        sections.append(("notes", "Notes", blocks(text.notes)))
    return [{"key": key, "title": title, "blocks": found} for key, title, found in sections]


def text_of(group: Group) -> TorText:
    """The group's ToR text; an empty one, unsaved, when nobody has written it yet."""
    try:
        return group.tor_text
    except TorText.DoesNotExist:
        return TorText(group=group)


def tor_content(
    group: Group,
    *,
    version: str | None = None,
    published: dt.date | None = None,
    generated: dt.datetime | None = None,
) -> dict[str, Any]:
    """The whole document from today's data: the group's published version and date
    unless told others (publishing a new version)."""
    text = text_of(group)
    version = group.tor_version if version is None else version
    published = group.tor_published if published is None else published
    generated = generated or timezone.now()
    return clean_tree(
        {
            "schema_version": SCHEMA_VERSION,
            "group": {"name": group.name, "short_name": group.display_name},
            "partnership": PARTNERSHIP,
            "version": version,
            "published": published.isoformat() if published else None,
            "generated": generated.isoformat(),
            "marking": settings.PROTECTIVE_MARKING,
            "distribution": _distribution(group, text.duty_status_note.strip()),
            "sections": _sections(group, text),
        }
    )


# Reading a content dict (live or frozen)


def blocks_html(found: list[dict[str, Any]]) -> SafeString:
    """Blocks as HTML: paragraphs, and each run of bullet points as a list, nested by level.
    Every text is escaped (format_html); only the fixed markup is not."""
    close, open_, sub = SafeString("</li></ul>"), SafeString("<ul>"), SafeString("<ul><li>")
    html = SafeString("")
    depth = 0
    for block in found:
        level = block["level"]
        while depth > level:
            html += close
            depth -= 1
        if level == 0:
            html += format_html("<p>{}</p>", block["text"])
            continue
        if depth == level:
            html += SafeString("</li>")
        while depth < level:
            html += open_ if depth == level - 1 else sub
            depth += 1
        html += format_html("<li>{}", block["text"])
    for _ in range(depth):
        html += close
    return html


def page_sections(content: dict[str, Any]) -> list[dict[str, Any]]:
    """Each section as the HTML page draws it: its key, title and blocks as HTML."""
    return [
        {"key": section["key"], "title": section["title"], "html": blocks_html(section["blocks"])}
        for section in content["sections"]
    ]


def title_of(content: dict[str, Any]) -> str:
    return f"{content['group']['name']} Terms of Reference (ToR)"


def published_words(content: dict[str, Any]) -> str:
    """ "November 2023", or that it is not published yet."""
    if not content["published"]:
        return "Not yet published"
    return date_format(dt.date.fromisoformat(content["published"]), "F Y")


def colophon(content: dict[str, Any]) -> list[str]:
    """The document's last lines, as the ToR ends: "VRP Communications Working Group
    Terms of Reference (ToR), V2" and "Published November 2023 by VRU"."""
    version = f", {content['version']}" if content["version"] else ""
    lines = [f"VRP {title_of(content)}{version}"]
    if content["published"]:
        lines.append(f"Published {published_words(content)} by VRU")
    else:
        lines.append("Not yet published")
    return lines


def cover_lines(content: dict[str, Any]) -> list[str]:
    version = content["version"] or "Draft"
    return [content["partnership"], f"{version}, {published_words(content)}"]


def filename(content: dict[str, Any], extension: str) -> str:
    version = slugify(content["version"] or "draft")
    return f"terms-of-reference-{slugify(content['group']['short_name'])}-{version}.{extension}"


def _distribution_section(content: dict[str, Any]) -> Section:
    distribution = content["distribution"]
    # The documents draw an empty cell as a dash ("missing"); the ToR leaves an agency's
    # further rows and an unsent date blank, so those are drawn as a no-break space.
    rows = [[cell or BLANK for cell in row] for row in distribution["rows"]]
    table = Table(
        caption="Each agency, its status under the Serious Violence Duty, and its seats",
        headers=distribution["headers"],
        rows=rows,
        empty="The group has no seats yet.",
        wide=frozenset({0, 2}),
    )
    return Section(key="distribution", title="Distribution list and membership", tables=[table])


def _generated(content: dict[str, Any]) -> dt.datetime:
    """When the content was assembled, in UTC without its offset (as Word reads dates)."""
    moment = dt.datetime.fromisoformat(content["generated"])
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


BULLET_STYLES = {1: "List Bullet", 2: "List Bullet 2", 3: "List Bullet 3"}


def _docx_blocks(document, found: list[dict[str, Any]]) -> None:
    for block in found:
        style = BULLET_STYLES.get(block["level"])
        document.add_paragraph(block["text"], style=style)


def render_docx(content: dict[str, Any]) -> bytes:
    """The ToR as a Word document staff can edit: the cover, the distribution list, then
    each section in the ToR's order."""
    title = title_of(content)
    document = new_docx(
        title=title,
        subject=f"{content['partnership']}: {content['group']['name']}",
        author="VRU",
        marking=content["marking"],
        created=_generated(content),
    )
    docx_cover(document, title, cover_lines(content))
    docx_sections(document, [_distribution_section(content)])
    if content["distribution"]["note"]:
        document.add_paragraph(content["distribution"]["note"], style="Caption")
    for section in content["sections"]:
        docx_sections(document, [Section(key=section["key"], title=section["title"])])
        _docx_blocks(document, section["blocks"])
    for line in colophon(content):
        document.add_paragraph(line, style="Caption")
    return docx_bytes(document, _generated(content))


def _pdf_blocks(pdf, found: list[dict[str, Any]]) -> None:
    pdf.set_font(FONT, size=10)
    for block in found:
        indent = 6 * block["level"]
        text = f"\u2022 {block['text']}" if block["level"] else block["text"]
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(1)


def render_pdf(content: dict[str, Any]) -> bytes:
    """The ToR as a PDF, in the same order as the Word document."""
    title = title_of(content)
    pdf = new_pdf(
        title=title,
        subject=f"{content['partnership']}: {content['group']['name']}",
        author="VRU",
        marking=content["marking"],
        footer=f"VRP {title}, {content['version'] or 'draft'}",
        created=dt.datetime.fromisoformat(content["generated"]),
    )
    pdf.add_page()
    pdf_cover(pdf, title, cover_lines(content))
    pdf_sections(pdf, [_distribution_section(content)])
    if content["distribution"]["note"]:
        _pdf_blocks(pdf, [{"level": 0, "text": content["distribution"]["note"]}])
    for section in content["sections"]:
        pdf_sections(pdf, [Section(key=section["key"], title=section["title"])])
        _pdf_blocks(pdf, section["blocks"])
    pdf.ln(4)
    _pdf_blocks(pdf, [{"level": 0, "text": line} for line in colophon(content)])
    return bytes(pdf.output())


RENDERERS = {"docx": render_docx, "pdf": render_pdf}


def render_file(content: dict[str, Any], extension: str) -> bytes:
    return RENDERERS[extension](content)


# Versions


VERSION_PATTERN = re.compile(r"^[Vv]?\s*(\d+(?:\.\d+)?)$")


def version_number(version: str) -> Decimal | None:
    """ "V2" as 2, "V2.1" as 2.1: versions compare by number; None for no number."""
    match = VERSION_PATTERN.match(version.strip())
    if not match:
        return None
    try:
        return Decimal(match.group(1))
    except InvalidOperation:
        return None


def version_label(version: str) -> str:
    """A version as the document writes it: "3" and "v3" as "V3"."""
    number = VERSION_PATTERN.match(version.strip())
    return f"V{number.group(1)}" if number else version.strip()


def highest_version(group: Group) -> Decimal | None:
    """The highest version the group's ToR has had: its published ones and its own."""
    numbers = [version_number(v) for v in group.tor_versions.values_list("version", flat=True)]
    numbers.append(version_number(group.tor_version or ""))
    numbers = [number for number in numbers if number is not None]
    return max(numbers, default=None)


class NotPublished(ValueError):
    """The version was refused, for the reason it gives in words a page can show."""


def tor_publish(*, group: Group, version: str, published: dt.date, by) -> TorVersion:
    """Publish a new version: freeze today's document as it, make it the group's current
    ToR and clear its "revision due". Earlier versions stay as they were.

    NotPublished when the version does not grow past every earlier one or the date
    goes back before the last publication (checked again under a lock, so two staff
    publishing at once cannot both win).
    """
    label = version_label(version)
    number = version_number(label)
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        highest = highest_version(group)
        if number is None:
            raise NotPublished('Enter the version as a number, such as "V3" or "3.1".')
        if highest is not None and number <= highest:
            raise NotPublished(
                f"The new version must be higher than V{highest}, the highest so far."
            )
        if group.tor_published and published < group.tor_published:
            raise NotPublished(
                f"The publication date cannot be before {_day(group.tor_published)}, when "
                "the current version was published."
            )
        frozen = TorVersion.objects.create(
            group=group,
            version=label,
            published=published,
            content=tor_content(group, version=label, published=published),
            published_by=by,
        )
        group.tor_version = label
        group.tor_published = published
        group.tor_revision_due = False
        group.save(update_fields=["tor_version", "tor_published", "tor_revision_due"])
    return frozen


def current_version(group: Group, *, by) -> TorVersion:
    """The group's current published version, to send. A version published before the
    portal kept them (the one `load_tor` records) is frozen from today's document the
    first time it is needed, so that every send names the version it sent.

    NotPublished when the group has no version yet: a draft is not sent.
    """
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        if not group.tor_version:
            raise NotPublished(
                f"The {group.name}'s ToR has no published version yet: publish one first."
            )
        frozen = group.tor_versions.filter(version=group.tor_version).first()
        if frozen is not None:
            return frozen
        published = group.tor_published or timezone.localdate()
        return TorVersion.objects.create(
            group=group,
            version=group.tor_version,
            published=published,
            content=tor_content(group, published=published),
            published_by=by,
        )
