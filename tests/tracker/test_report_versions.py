"""Every version of the quarterly update still draws its finalised updates as they were sent.

For each version in `report_versions.VERSIONS`, tests/tracker/snapshots/v<N>/ holds:

- ``report.json``: an update finalised in that version, exactly as its JSON download
  gave it. Every test here starts from it, and it never changes: what was sent stays.
- ``report.csv``, ``report.xlsx``: its downloads, compared byte for byte;
- ``report.docx.txt``, ``report.pdf.txt``: its Word and PDF downloads read back as a
  person's tool reads them: their properties, then their text with its styles (Word)
  or fonts and places (PDF). Their bytes also hold the libraries' own details;
- ``preview.html``: its sections as the HTML preview draws them.

A change to how a finalised update reads fails here; a new look is a new version
(see tracker/report_versions.py). Regenerate only on purpose, and read the diff:

    VRP_REGENERATE_SNAPSHOTS=1 .venv/bin/pytest tests/tracker/test_report_versions.py

rewrites every expected file from its version's report.json, and writes report.json
only for today's version when it has none yet (the fixture data of 2024-25 Q1,
finalised on 15 July 2024). Each file it writes fails its test, so that a run with
the variable set never passes: run again without it.
"""

import io
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import docx
import pytest
import time_machine
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.table import Table
from pypdf import PdfReader

from meetings.models import KeyUpdate, Meeting
from members.models import Membership, Person
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    PersonFactory,
    QuarterlyReportFactory,
    UserFactory,
    london,
)
from tests.tracker.fixtures import NOW, QUARTER, build_quarter_data
from tracker.exports import FORMATS
from tracker.models import DraftRisk, QuarterlyDraft, QuarterlyReport
from tracker.rag import Rag
from tracker.report import SCHEMA_VERSION, report_finalise
from tracker.report_versions import (
    VERSIONS,
    SchemaVersionError,
    render_file,
    report_differences,
    report_version,
)

SNAPSHOTS = Path(__file__).parent / "snapshots"
REGENERATE = os.environ.get("VRP_REGENERATE_SNAPSHOTS") == "1"


def folder(version: int) -> Path:
    return SNAPSHOTS / f"v{version}"


def finalised(version: int) -> dict:
    """The finalised update of `version`, as its report.json holds it."""
    return json.loads((folder(version) / "report.json").read_text(encoding="utf-8"))


def word_text(data: bytes) -> str:
    """A Word file as read back: its properties and page, then each paragraph (with its
    style) and each table row (``**bold**``, ``>`` right-aligned), in order."""
    document = docx.Document(io.BytesIO(data))
    properties = document.core_properties
    page = document.sections[0]
    lines = [
        f"Title: {properties.title}",
        f"Subject: {properties.subject}",
        f"Author: {properties.author}",
        f"Language: {properties.language}",
        f"Created: {properties.created.isoformat()}",
        f"Modified: {properties.modified.isoformat()}",
        f"Page: {page.orientation.name}, {page.page_width.mm:.0f} × {page.page_height.mm:.0f} mm",
        f"Text: {document.styles['Normal'].font.size.pt:g} pt",
    ]
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            repeated = bool(block.rows[0]._tr.xpath("./w:trPr/w:tblHeader"))
            lines.append(f"Table ({block.style.name}; heading repeated on each page: {repeated})")
            lines.extend(" | ".join(map(word_cell, row.cells)) for row in block.rows)
        else:
            lines.append(f"[{block.style.name}] {block.text}")
    return "\n".join(lines) + "\n"


def word_cell(cell) -> str:
    paragraph = cell.paragraphs[0]
    text = "".join(f"**{run.text}**" if run.bold else run.text for run in paragraph.runs)
    return f">{text}" if paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT else text


def pdf_text(data: bytes) -> str:
    """A PDF as read back: its properties and bookmarks, then each piece of text of each
    page with its font, size and place (points from the page's bottom left)."""
    reader = PdfReader(io.BytesIO(data))
    metadata = reader.metadata
    lines = [
        f"Title: {metadata.title}",
        f"Subject: {metadata.subject}",
        f"Author: {metadata.author}",
        f"Created: {metadata['/CreationDate']}",
        *bookmarks(reader.outline),
    ]

    def read(text, cm, tm, font, size) -> None:
        if text.strip():
            font_name = font["/BaseFont"].lstrip("/")
            lines.append(f"{font_name} {size:g} ({tm[4]:.0f}, {tm[5]:.0f}) {text.strip()}")

    for number, page in enumerate(reader.pages, start=1):
        width, height = page.mediabox.width, page.mediabox.height
        lines.append(f"--- page {number} of {len(reader.pages)}, {width:.0f} × {height:.0f} ---")
        page.extract_text(visitor_text=read)
    return "\n".join(lines) + "\n"


def bookmarks(outline: list, depth: int = 0) -> Iterator[str]:
    """Each bookmark of a PDF's outline, in order, indented under the one it belongs to."""
    for item in outline:
        if isinstance(item, list):
            yield from bookmarks(item, depth + 1)
        else:
            yield f"Bookmark: {'  ' * depth}{item.title}"


# Each expected file of a version: the format it comes from, and how it is compared.
EXPECTED: dict[str, tuple[str, Callable[[bytes], str | bytes]]] = {
    "report.json": ("json", lambda data: data.decode("utf-8")),
    "report.csv": ("csv", lambda data: data.decode("utf-8")),
    "report.xlsx": ("xlsx", lambda data: data),
    "report.docx.txt": ("docx", word_text),
    "report.pdf.txt": ("pdf", pdf_text),
}
CASES = [(version, name) for version in VERSIONS for name in EXPECTED]


def regenerate(path: Path, value: str | bytes) -> None:
    """Write an expected file on purpose, then fail: a regenerating run never passes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(value.encode("utf-8") if isinstance(value, str) else value)
    pytest.fail(f"Wrote {path}: read the diff, then run again without VRP_REGENERATE_SNAPSHOTS.")


def stored(path: Path, like: str | bytes) -> str | bytes:
    """The expected file, as text (line endings untouched) if `like` is text."""
    data = path.read_bytes()
    return data.decode("utf-8") if isinstance(like, str) else data


def assert_as_stored(path: Path, value: str | bytes) -> None:
    if REGENERATE:
        regenerate(path, value)
    # The message: pytest would otherwise print every byte of two workbooks.
    assert value == stored(path, value), f"{path} is not what the update draws now"


@pytest.mark.parametrize(("version", "name"), CASES)
def test_a_finalised_update_downloads_as_it_did(version, name):
    extension, read_back = EXPECTED[name]

    data = render_file(finalised(version), extension)

    assert_as_stored(folder(version) / name, read_back(data))


def test_a_finalised_update_downloads_the_same_whatever_the_day():
    report = finalised(SCHEMA_VERSION)

    def files_drawn_at(moment) -> dict[str, bytes]:
        with time_machine.travel(moment, tick=False):
            return {extension: render_file(report, extension) for extension in FORMATS}

    assert files_drawn_at(london(2025, 1, 6, 8)) == files_drawn_at(london(2031, 2, 3, 23, 59))


def store(version: int, group, **fields) -> QuarterlyReport:
    """A QuarterlyReport row holding the finalised update of `version`."""
    content = finalised(version) | fields
    return QuarterlyReportFactory(
        group=group,
        year=content["quarter"]["year"],
        quarter=content["quarter"]["number"],
        content=content,
        finalised_at=content["finalised"]["at"],
    )


def url(version: int, group, page: str = "") -> str:
    slug = finalised(version)["quarter"]["slug"]
    return f"/reports/quarterly/{slug}/{page}?group={group.pk}"


def drawn_sections(content: str) -> str:
    return "\n".join(re.findall(r'<section aria-labelledby="section-.*?</section>', content, re.S))


@pytest.mark.django_db
@pytest.mark.parametrize("version", VERSIONS)
def test_the_preview_of_a_finalised_update_reads_as_it_did(member_client, working_group, version):
    store(version, working_group)

    content = member_client.get(url(version, working_group)).content.decode()

    assert_as_stored(folder(version) / "preview.html", drawn_sections(content) + "\n")


@pytest.mark.django_db
@pytest.mark.parametrize(("version", "name"), CASES)
def test_the_download_of_a_stored_update_is_the_one_it_gave(
    staff_client, working_group, version, name
):
    """Through the database (jsonb keeps no key order) and the download view."""
    store(version, working_group)
    extension, read_back = EXPECTED[name]

    response = staff_client.get(url(version, working_group, f"report.{extension}"))

    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[extension].content_type
    drawn = read_back(response.content)
    assert drawn == stored(folder(version) / name, drawn), f"{name} is not what it gave"


@pytest.mark.django_db
def test_the_preview_of_a_version_1_update_draws_its_figures(member_client, working_group):
    store(1, working_group)

    content = member_client.get(url(1, working_group)).content.decode()

    assert "<h1>Quarterly SVRP update: 2024-25 Q1</h1>" in content
    assert '<p class="lead">Communications Working Group, April–June 2024</p>' in content
    assert (
        "<strong>Finalised by Chloé Ferreira-Nyström on Monday 15 July 2024, 09:30.</strong>"
        in content
    )
    assert "Every download of this quarter gives the update exactly as finalised." in content
    assert '<td class="text-end">1,250</td>' in content
    assert "<td >Siân Ó Briain</td>" in content
    assert "<td >Zoë Łukasiewicz</td>" in content
    assert "Café outreach in Ryde – 40 young people reached" in content
    assert "Hampshire &amp; Isle of Wight Fire and Rescue Service" in content
    assert "Achieved this quarter: 8.1. The ToR is due for revision." in content


@pytest.mark.django_db
def test_each_stored_update_is_drawn_by_its_own_version(
    member_client, staff_client, working_group, monkeypatch
):
    """A new version is an entry in VERSIONS; the updates of version 1 still read as before."""
    two = replace(
        VERSIONS[1],
        number=2,
        title=lambda report: "The update, version 2",
        files=dict.fromkeys(FORMATS, lambda report: b"Drawn by version 2"),
    )
    monkeypatch.setitem(VERSIONS, 2, two)
    other_group = GroupFactory()
    store(1, working_group)
    store(1, other_group, schema_version=2)

    first = member_client.get(url(1, working_group)).content.decode()
    second = member_client.get(url(1, other_group)).content.decode()

    assert "<h1>Quarterly SVRP update: 2024-25 Q1</h1>" in first
    assert "<h1>The update, version 2</h1>" in second
    csv = staff_client.get(url(1, working_group, "report.csv")).content
    assert csv == (folder(1) / "report.csv").read_bytes()
    assert staff_client.get(url(1, other_group, "report.csv")).content == b"Drawn by version 2"


def test_todays_updates_are_drawn_by_a_registered_version():
    assert SCHEMA_VERSION in VERSIONS
    for number, version in VERSIONS.items():
        assert version.number == number
        assert set(version.files) == set(FORMATS)


def test_every_version_drawn_keeps_a_finalised_update_and_no_other_does():
    kept = {int(path.parent.name[1:]) for path in SNAPSHOTS.glob("v*/report.json")}

    assert kept == set(VERSIONS)


@pytest.mark.parametrize(
    ("report", "said"),
    [
        ({"schema_version": 99}, "schema_version 99"),
        ({"schema_version": "1"}, "schema_version '1'"),
        ({"schema_version": True}, "schema_version True"),
        ({"schema_version": None}, "schema_version None"),
        ({}, "no schema_version"),
    ],
)
def test_an_update_of_an_unknown_version_is_refused(report, said):
    with pytest.raises(SchemaVersionError, match=f"Cannot draw a quarterly update with {said}:"):
        report_version(report)


@pytest.mark.parametrize("extension", FORMATS)
def test_no_file_is_drawn_for_an_unknown_version(extension):
    report = finalised(SCHEMA_VERSION) | {"schema_version": 99}

    with pytest.raises(SchemaVersionError, match="schema_version 99"):
        render_file(report, extension)


@pytest.mark.django_db
def test_a_stored_update_of_an_unknown_version_is_never_previewed(member_client, working_group):
    store(SCHEMA_VERSION, working_group, schema_version=99)

    with pytest.raises(SchemaVersionError, match="schema_version 99"):
        member_client.get(url(SCHEMA_VERSION, working_group))


@pytest.mark.django_db
def test_a_stored_update_without_a_version_is_never_downloaded(staff_client, working_group):
    snapshot = store(SCHEMA_VERSION, working_group)
    del snapshot.content["schema_version"]
    snapshot.save()

    with pytest.raises(SchemaVersionError, match="no schema_version"):
        staff_client.get(url(SCHEMA_VERSION, working_group, "report.pdf"))


def test_updates_of_two_versions_are_never_compared():
    sent = finalised(1)

    assert report_differences(sent, sent) == []
    mixed = "a version 1 update with live figures of version 99"
    with pytest.raises(SchemaVersionError, match=mixed):
        report_differences(sent, sent | {"schema_version": 99})


def _finalise_fixture_update(group) -> dict:
    """An update of today's version finalised on 15 July 2024 on the fixture data of
    2024-25 Q1, its people named as people are: the first report.json of a version."""
    data = build_quarter_data(group)
    names = {data.police: "Siân Ó Briain", data.fire: "Dévi Ñúñez", data.health: "Zoë Łukasiewicz"}
    for agency, name in names.items():
        Person.objects.filter(agency=agency).update(full_name=name)
    may = Meeting.objects.get(group=data.task_group, starts_at=london(2024, 5, 20, 14))
    KeyUpdate.objects.create(
        meeting=may, text="Café outreach in Ryde – 40 young people reached", for_svrp=True
    )
    chair = UserFactory(email="chair@example.org")
    person = PersonFactory(full_name="Chloé Ferreira-Nyström", email=chair.email, user=chair)
    MembershipFactory(
        group=data.group, agency=person.agency, person=person, position=Membership.Position.CHAIR
    )
    _draft_chairs_part(data.group)
    with time_machine.travel(NOW, tick=False):
        return report_finalise(group=data.group, quarter=QUARTER, by=chair).content


def _draft_chairs_part(group) -> None:
    """The chair's part of the fixture update (version 2 on): words, two ratings the chair
    changed with a reason, and risks owned by people whose names Windows-1252 lacks."""
    draft = QuarterlyDraft.objects.create(
        group=group,
        year=QUARTER.year,
        quarter=QUARTER.number,
        summary=(
            "The brand and website launched on time, and the community map is published.\n"
            "Complaints rose after the launch: the ask below is about them."
        ),
        achievements="Website live on 15 May.\nCommunity map published: Crest 8.1 achieved.",
        next_quarter="Revise the Terms of Reference.\nCafé outreach in Cowes and Ryde.",
        asks="Decision: approve the revised Terms of Reference at the next SVRP meeting.",
        overall_rag=Rag.AMBER,
        overall_reason="Attendance is the only area off track, and it has a plan.",
        actions_rag=Rag.AMBER,
        actions_reason="Both overdue actions close in July; Łucja Wójcik has confirmed.",
        attendance_rag=Rag.RED,
        attendance_reason="Health sent no one to either meeting of the quarter.",
    )
    DraftRisk.objects.create(
        draft=draft,
        text="Complaints about VRU communications above target",
        rag=Rag.RED,
        owner="Łucja Wójcik",
        order=1,
    )
    DraftRisk.objects.create(
        draft=draft,
        text="Website hosting contract ends in March",
        rag=Rag.AMBER,
        owner="Zoë Ŵyn",
        order=2,
    )


@pytest.mark.django_db
def test_todays_version_keeps_a_finalised_update(working_group):
    path = folder(SCHEMA_VERSION) / "report.json"
    if path.exists():
        return
    if REGENERATE:
        content = _finalise_fixture_update(working_group)
        regenerate(path, render_file(content, "json").decode("utf-8"))
    pytest.fail(f"No {path}: run with VRP_REGENERATE_SNAPSHOTS=1 to finalise one.")
