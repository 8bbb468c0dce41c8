"""Each format of the update, opened with the library a person's tool would use.

The figures checked are those of test_report_build.py: every format says the same.
"""

import csv
import io
import json

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from core.exports import safe_cell
from tests.tracker.fixtures import FIRE
from tracker.exports import render_csv, render_docx, render_json, render_pdf, render_xlsx
from tracker.report_layout import report_sections

pytestmark = pytest.mark.django_db

POLICE_ACTIONS = ["Police", 1, 1, 1, 2]
ALL_ACTIONS = ["All agencies", 4, 2, 2, 3]
VIEWS = ["4.1.1.a", "Views of the VRU website", 1250, 900, 800, 1000]
VIEWS_WORDS = ["Up (improving)", "Above target (met)"]
COMPLAINTS_WORDS = ["Up (worsening)", "Above target (not met)"]


def as_text(row):
    return [f"{cell:,}" if isinstance(cell, int) else cell for cell in row]


def test_json_is_the_report_itself(report):
    assert json.loads(render_json(report)) == report


def test_json_always_gives_the_same_bytes(report):
    reordered = dict(reversed(list(report.items())))

    assert render_json(reordered) == render_json(report)


def word_tables(document) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def test_word_has_headings_and_tables_with_the_same_figures(report):
    document = docx.Document(io.BytesIO(render_docx(report)))

    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "Summary",
        "Meetings held",
        "Attendance by agency",
        "Key updates and decisions for the SVRP",
        "Actions",
        "Theory of Change activities",
        "Crest readiness tracker",
        "Performance measures",
        "Terms of Reference",
    ]
    assert document.paragraphs[0].text == "Quarterly SVRP update: 2024-25 Q1"
    rows = [row for table in word_tables(document) for row in table]
    assert as_text(POLICE_ACTIONS) in rows
    assert as_text(ALL_ACTIONS) in rows
    assert [*as_text(VIEWS), *VIEWS_WORDS] in rows
    assert [
        "4.1.2",
        "Complaints about VRU communications",
        "7",
        "3",
        "–",
        "5",
        *COMPLAINTS_WORDS,
    ] in rows
    assert [
        "4.1.3",
        "Partners reached",
        "12.5",
        "–",
        "–",
        "–",
        "No previous value",
        "No target",
    ] in rows
    assert [FIRE, "1", "0", "1", "0", "50"] in rows
    assert ["All agencies", "2", "1", "1", "1", "60"] in rows
    assert ["Comms Working Group", "1", "1", "0", "1", "1", "33.3"] in rows
    assert ["Brand T&F", "1", "1", "1", "0", "0", "100"] in rows
    assert ["All groups", "2", "2", "1", "1", "1", "60"] in rows
    assert ["1 April 2024", "Comms Working Group", "In person", "Police", "Held"] in rows
    assert ["V2", "1 November 2023", "31 March 2024", "Yes"] in rows
    paragraphs = [p.text for p in document.paragraphs]
    # The tracker keeps statuses as they are now; linked actions are counted at the quarter's end.
    assert (
        "Statuses as recorded on 15 July 2024; linked actions open and done as at 30 June 2024."
        in paragraphs
    )
    assert "Statuses as recorded on 15 July 2024." in paragraphs
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets == [
        "Decision (Comms Working Group, 1 April 2024): Adopt the VRP brand guidelines",
        "Key update (Brand T&F, 20 May 2024): The website went live on 15 May",
    ]


def test_words_table_headers_repeat_on_each_page(report):
    document = docx.Document(io.BytesIO(render_docx(report)))

    first_row = document.tables[0].rows[0]._tr
    assert first_row.xpath("./w:trPr/w:tblHeader")


def test_excel_has_a_sheet_per_section_with_figures_as_numbers(report):
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))

    assert workbook.sheetnames == [
        "Summary",
        "Meetings held",
        "Attendance by agency",
        "Key updates and decisions",
        "Actions",
        "ToC activities",
        "Crest readiness tracker",
        "Performance measures",
        "Terms of Reference",
    ]
    actions = [list(row) for row in workbook["Actions"].iter_rows(values_only=True)]
    assert POLICE_ACTIONS in actions
    assert ALL_ACTIONS in actions
    assert [
        "Brief partners on the brand",
        report["actions"]["overdue"][0]["owner"],
        "Police",
        "30 April 2024",
        61,
    ] in actions
    measures = [list(row) for row in workbook["Performance measures"].iter_rows(values_only=True)]
    assert [*VIEWS, *VIEWS_WORDS] in measures
    assert [
        "4.1.3",
        "Partners reached",
        12.5,
        "–",
        "–",
        "–",
        "No previous value",
        "No target",
    ] in measures
    attendance = [
        list(row[:-1] if row[-1] is None else row)
        for row in workbook["Attendance by agency"].iter_rows(values_only=True)
    ]
    assert ["All agencies", 2, 1, 1, 1, 60] in attendance
    assert ["Comms Working Group", 1, 1, 0, 1, 1, 33.3] in attendance


def test_the_pdf_text_holds_the_same_figures(report):
    reader = PdfReader(io.BytesIO(render_pdf(report)))
    text = "\n".join(page.extract_text() for page in reader.pages)

    assert "Quarterly SVRP update: 2024-25 Q1" in text
    assert "Communications Working Group, April–June 2024" in text
    assert "Police 1 1 1 2" in text
    assert "All agencies 4 2 2 3" in text
    assert "All agencies 2 1 1 1 60" in text
    assert "Comms Working Group 1 1 0 1 1 33.3" in text
    assert "All groups 2 2 1 1 1 60" in text
    assert (
        "4.1.1.a Views of the VRU website 1,250 900 800 1,000 Up (improving) Above target (met)"
        in text
    )
    assert "Brief partners on the brand" in text
    assert "Adopt the VRP brand guidelines" in text
    assert reader.metadata.title == "Quarterly SVRP update: 2024-25 Q1"


def test_no_pdf_page_ends_with_a_heading_or_a_caption_cut_from_its_table(report):
    """However long the key updates run, a heading or caption starts a page rather than end one."""
    sections = report_sections(report)
    never_last = {s.title for s in sections} | {t.caption for s in sections for t in s.tables}
    update = report["key_updates"][0]
    for count in range(0, 36, 3):
        report["key_updates"] = [{**update, "text": f"Update {n}"} for n in range(count)]

        pages = PdfReader(io.BytesIO(render_pdf(report))).pages

        for page in pages[:-1]:
            lines = [line for line in page.extract_text().splitlines() if "– page " not in line]
            assert lines[-1] not in never_last, (count, lines[-1])


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_holds_the_same_figures(report):
    rows = csv_rows(render_csv(report))

    assert rows[0] == ["Quarterly SVRP update: 2024-25 Q1"]
    assert [str(cell) for cell in POLICE_ACTIONS] in rows
    assert [str(cell) for cell in ALL_ACTIONS] in rows
    assert [
        "4.1.1.a",
        "Views of the VRU website",
        "1250",
        "900",
        "800",
        "1000",
        *VIEWS_WORDS,
    ] in rows
    assert [
        "4.1.3",
        "Partners reached",
        "12.5",
        "",
        "",
        "",
        "No previous value",
        "No target",
    ] in rows
    assert ["All agencies", "2", "1", "1", "1", "60.0"] in rows
    assert ["Brand T&F", "1", "1", "1", "0", "0", "100.0"] in rows


def test_csv_cells_cannot_run_as_formulas(report):
    report["actions"]["overdue"][0]["title"] = '=HYPERLINK("http://evil.example")'
    owner = report["actions"]["overdue"][0]["owner"]

    rows = csv_rows(render_csv(report))

    assert ['\'=HYPERLINK("http://evil.example")', owner, "Police", "30 April 2024", "61"] in rows


@pytest.mark.parametrize(
    ("value", "safe"),
    [("=1+1", "'=1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("-2", "'-2"), ("Police", "Police"), (-2, -2)],
)
def test_a_csv_cell_that_looks_like_a_formula_is_quoted(value, safe):
    assert safe_cell(value) == safe
