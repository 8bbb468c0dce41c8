"""Version 2 of the quarterly update, as people receive it: each file opened with the
library a person's tool would use, and the HTML preview.

The update is the 2024-25 Q1 fixture data with the chair's part drafted: one rating
changed with a reason, and risks owned by people whose names Windows-1252 lacks.
"""

import csv
import io
import json
import re

import docx
import openpyxl
import pytest
from django.test import override_settings
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from PIL import Image
from pypdf import PdfReader

from tests.tracker.fixtures import NOW, QUARTER, TODAY
from tracker.chart_png import trend_png
from tracker.models import DraftRisk, QuarterlyDraft
from tracker.rag import Rag
from tracker.report import report_build
from tracker.report_layout import cell_text
from tracker.report_layout_v2 import report_differences, report_sections
from tracker.report_versions import render_file

pytestmark = pytest.mark.django_db

A4_POINTS = (595, 842)
MARKING = "OFFICIAL"
RED_MEANS = "Off track: needs the SVRP's attention or help"


@pytest.fixture
def report(quarter_data):
    draft = QuarterlyDraft.objects.create(
        group=quarter_data.group,
        year=QUARTER.year,
        quarter=QUARTER.number,
        summary="A good quarter for the brand.",
        achievements="Website live on 15 May.",
        asks="Approve the revised Terms of Reference.",
        actions_rag=Rag.AMBER,
        actions_reason="Łucja Wójcik closes both overdue actions in July.",
    )
    DraftRisk.objects.create(
        draft=draft, text="Complaints above target", rag=Rag.RED, owner="Łucja Wójcik", order=1
    )
    DraftRisk.objects.create(
        draft=draft, text="Hosting contract ends", rag=Rag.AMBER, owner="Zoë Ŵyn", order=2
    )
    return report_build(group=quarter_data.group, quarter=QUARTER, today=TODAY, now=NOW)


def ratings(report) -> list[tuple[str, dict]]:
    chair = report["chair"]
    return [("Overall status", chair["overall"]), *((a["name"], a) for a in chair["areas"])]


def layout_table(report, caption: str):
    return next(
        table
        for section in report_sections(report)
        for table in section.tables
        if table.caption == caption
    )


# The layout


def test_the_chairs_part_comes_first_and_the_figures_after_it(report):
    titles = [section.title for section in report_sections(report) if section.level == 1]

    assert titles == [
        "Document control",
        "Summary and status",
        "Achievements this quarter",
        "Planned for next quarter",
        "Risks and issues",
        "Decisions and asks for the SVRP",
        "Key updates and decisions from the quarter's meetings",
        "Theory of Change activities",
        "Crest readiness tracker",
        "Performance measures",
        "Actions",
        "Attendance by agency",
        "Terms of Reference",
        "Appendix: the quarter's figures",
    ]


def test_each_rating_says_its_meaning_why_and_the_chairs_reason_in_words(report):
    table = layout_table(report, "Status of each area")

    assert table.rows[0] == [
        "Overall status",
        "Amber",
        "At risk: in hand, but needs watching",
        "The worst area is Amber.",
        "As the figures suggest.",
    ]
    actions = next(row for row in table.rows if row[0] == "Actions")
    assert actions == [
        "Actions",
        "Amber",
        "At risk: in hand, but needs watching",
        "2 of 3 outstanding actions overdue.",
        "The figures suggest Red; the chair rates it Amber: "
        "Łucja Wójcik closes both overdue actions in July.",
    ]
    assert table.rags == [rating["rag"] for _, rating in ratings(report)]


def test_overdue_actions_come_before_the_actions_by_agency(report):
    actions = next(section for section in report_sections(report) if section.key == "actions")

    assert [table.caption for table in actions.tables] == [
        "Overdue actions as at 30 June 2024",
        "Actions by agency",
    ]


def test_each_measure_has_its_note_its_chart_and_the_same_figures_in_a_table(report):
    sections = {section.key: section for section in report_sections(report)}

    views = sections["measure-4-1-1-a"]
    assert views.level == 2
    assert views.paragraphs == ["Note for 2024-25 Q1: Brand launch"]
    [chart] = views.charts
    assert chart.values == [("2023-24 Q1", 800), ("2023-24 Q4", 900), ("2024-25 Q1", 1250)]
    assert views.tables[0].rows == [["Value (views)", None, None, None, 800, None, None, 900, 1250]]
    assert sections["measure-4-1-2"].paragraphs == ["No note was recorded for 2024-25 Q1."]


def test_a_measure_without_a_value_in_eight_quarters_has_no_chart(report):
    report["measures"][2]["trend"] = [
        {**point, "value": None} for point in report["measures"][2]["trend"]
    ]

    reach = next(s for s in report_sections(report) if s.key == "measure-4-1-3")

    assert reach.charts == []
    assert "No value was recorded in these quarters." in reach.paragraphs


def test_the_tor_gives_every_reason_it_is_due_for_revision(report):
    tor = next(section for section in report_sections(report) if section.key == "tor")

    assert tor.paragraphs == ["The Terms of Reference are due for revision:"]
    assert tor.bullets == report["tor"]["revision_reasons"]
    assert len(tor.bullets) == 2
    assert tor.tables[0].rows[0][-1] == "Yes"


def test_a_tor_not_due_for_revision_never_says_its_review_date_has_passed(report):
    report["tor"] |= {
        "review_date": "2025-03-31",
        "review_passed": False,
        "revision_due": False,
        "revision_reasons": [],
    }

    tor = next(section for section in report_sections(report) if section.key == "tor")

    assert tor.paragraphs == [
        "The Terms of Reference are not due for revision; they are next reviewed, "
        "at the latest on 31 March 2025."
    ]
    assert "passed" not in " ".join(tor.paragraphs + tor.bullets)
    assert tor.tables[0].rows[0][-1] == "No"


def test_a_rating_the_live_figures_now_give_otherwise_is_a_difference(report):
    live = json.loads(json.dumps(report))
    live["chair"]["areas"][0] |= {"rag": "green", "label": "Green"}

    differences = report_differences(report, live)

    assert [(d.item, d.field, d.sent, d.live) for d in differences] == [
        ("Theory of Change activities", "Rating", "Amber", "Green")
    ]


# Word


def word(report):
    return docx.Document(io.BytesIO(render_file(report, "docx")))


def test_word_is_a4_portrait_with_the_marking_and_page_x_of_y_on_every_page(report):
    document = word(report)

    for page in document.sections:
        assert page.orientation == WD_ORIENT.PORTRAIT
        assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)
        assert page.different_first_page_header_footer
        for header in (page.first_page_header, page.header):
            assert header.paragraphs[0].text == MARKING
            assert header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
        for footer in (page.first_page_footer, page.footer):
            assert [p.text for p in footer.paragraphs] == [MARKING, "Page 1 of 1"]
            assert footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
            fields = [code.text.strip() for code in footer._element.iter(qn("w:instrText"))]
            assert fields == ["PAGE", "NUMPAGES"]


def test_word_headings_are_words_own_so_its_navigation_pane_lists_them(report):
    document = word(report)

    headings = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]

    assert headings == [
        ("Title", "Quarterly SVRP update: 2024-25 Q1"),
        *((f"Heading {section.level}", section.title) for section in report_sections(report)),
    ]


def test_word_has_the_logo_at_the_head_of_its_first_page(report):
    header = word(report).sections[0].first_page_header

    [logo] = header._element.xpath(".//wp:docPr")
    assert logo.get("descr") == "Logo: Violence Reduction Partnership"


def test_word_has_each_measures_chart_as_a_described_picture(report):
    shapes = word(report).inline_shapes

    descriptions = [shape._inline.docPr.get("descr") for shape in shapes]
    assert [d.split(":")[0] for d in descriptions] == [
        "Trend of 4.1.1.a Views of the VRU website",
        "Trend of 4.1.2 Complaints about VRU communications",
        "Trend of 4.1.3 Partners reached",
    ]
    assert "a line chart of 3 values recorded over the 8 quarters" in descriptions[0]


def test_word_tables_repeat_their_heading_and_show_ratings_in_words_on_their_colour(report):
    document = word(report)
    risks = next(t for t in document.tables if t.rows[0].cells[0].text == "Risk or issue")

    assert all(t.rows[0]._tr.xpath("./w:trPr/w:tblHeader") for t in document.tables)
    rating = risks.rows[1].cells[1]
    assert rating.text == "Red"
    assert rating._tc.xpath("./w:tcPr/w:shd/@w:fill") == ["A3122B"]
    assert rating.paragraphs[0].runs[0].font.color.rgb == docx.shared.RGBColor(255, 255, 255)


# PDF


def pdf(report) -> PdfReader:
    return PdfReader(io.BytesIO(render_file(report, "pdf")))


def test_every_pdf_page_is_a4_portrait_with_the_marking_at_its_head_and_foot(report):
    reader = pdf(report)

    for number, page in enumerate(reader.pages, start=1):
        assert (round(page.mediabox.width), round(page.mediabox.height)) == A4_POINTS
        lines = page.extract_text().splitlines()
        assert lines[0] == MARKING
        assert MARKING in lines[-2]
        assert lines[-1].endswith(f"Page {number} of {len(reader.pages)}")


def test_the_pdf_shows_every_name_as_written_in_its_embedded_font(report):
    reader = pdf(report)
    text = "\n".join(page.extract_text() for page in reader.pages)

    assert "Łucja Wójcik" in text
    assert "Zoë Ŵyn" in text
    fonts = {
        font["/BaseFont"]: font["/DescendantFonts"][0]["/FontDescriptor"]
        for page in reader.pages
        for font in (ref.get_object() for ref in page["/Resources"]["/Font"].values())
    }
    assert set(fonts) == {"/MPDFAA+LiberationSans", "/MPDFAA+LiberationSansBold"}
    assert all("/FontFile2" in descriptor for descriptor in fonts.values())


def test_the_pdf_bookmarks_follow_the_sections_and_their_parts(report):
    outline = pdf(report).outline
    sections = report_sections(report)

    top = [item.title for item in outline if not isinstance(item, list)]
    parts = [item.title for nested in outline if isinstance(nested, list) for item in nested]
    assert top == [s.title for s in sections if s.level == 1]
    assert parts == [s.title for s in sections if s.level == 2]


def test_the_pdf_draws_the_logo_and_each_chart_as_an_image(report):
    reader = pdf(report)

    images = [image for page in reader.pages for image in page.images]

    assert len(images) == 1 + len(report["measures"])


@override_settings(PROTECTIVE_MARKING="OFFICIAL-SENSITIVE")
def test_the_marking_is_the_one_the_settings_give(quarter_data):
    report = report_build(group=quarter_data.group, quarter=QUARTER, today=TODAY, now=NOW)

    reader = pdf(report)

    assert all(page.extract_text().startswith("OFFICIAL-SENSITIVE\n") for page in reader.pages)
    assert word(report).sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"


# CSV, Excel and JSON


def csv_rows(report) -> list[list[str]]:
    text = render_file(report, "csv").decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(report) -> dict[str, list[list]]:
    workbook = openpyxl.load_workbook(io.BytesIO(render_file(report, "xlsx")))
    return {
        sheet.title: [[cell for cell in row if cell is not None] for row in sheet.values]
        for sheet in workbook.worksheets
    }


def test_csv_holds_the_overall_status_and_each_areas_rating_in_words(report):
    rows = csv_rows(report)

    assert rows[0] == [MARKING]
    for name, rating in ratings(report):
        # The status table's row, not the rule of the same name in the appendix.
        row = next(row for row in rows if row[:1] == [name] and len(row) == 5)
        assert row[1:4] == [rating["label"], rating["meaning"], rating["because"]]
    assert ["Complaints above target", "Red", RED_MEANS, "Łucja Wójcik"] in rows


def test_excel_holds_the_ratings_in_words_on_their_colour_and_prints_on_a4(report):
    workbook = openpyxl.load_workbook(io.BytesIO(render_file(report, "xlsx")))
    sheet = workbook["Summary and status"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]

    for name, rating in ratings(report):
        row = next(row for row in rows if row[0] == name)
        assert row[1:4] == [rating["label"], rating["meaning"], rating["because"]]
    overall = next(row for row in sheet.iter_rows() if row[0].value == "Overall status")
    assert overall[1].fill.fgColor.rgb == "FFFFBF47"
    risk = next(row for row in workbook["Risks and issues"].iter_rows() if row[1].value == "Red")
    assert risk[1].fill.fgColor.rgb == "FFA3122B"
    assert sheet.page_setup.paperSize == 9
    assert sheet.page_setup.orientation == "portrait"
    assert MARKING in sheet.oddHeader.center.text
    assert "Risks and issues" in workbook.sheetnames


def test_figures_read_the_same_in_every_format(report):
    """The measures' table of the layout, as each file gives it."""
    table = layout_table(report, "Performance Framework, 2024-25 Q1")
    as_text = [[cell_text(cell) for cell in row] for row in table.rows]

    csv_measures = [row for row in csv_rows(report) if row and row[0] in {"4.1.1.a", "4.1.2"}]
    assert csv_measures == [
        ["" if cell is None else str(cell) for cell in row] for row in table.rows[:2]
    ]
    excel = xlsx_rows(report)["Performance measures"]
    assert [row for row in excel if row and row[0] == "4.1.1.a"][0] == table.rows[0]
    word_rows = [[c.text for c in row.cells] for t in word(report).tables for row in t.rows]
    assert all(row in word_rows for row in as_text)
    # pypdf drops the space where a cell's text wraps: compare without spaces.
    pdf_text = re.sub(r"\s+", "", "".join(page.extract_text() for page in pdf(report).pages))
    for row in as_text:
        assert re.sub(r"\s+", "", "".join(row)) in pdf_text


def test_json_is_the_update_itself(report):
    assert json.loads(render_file(report, "json")) == report


# The chart's picture


def test_the_chart_picture_is_twice_the_size_of_the_pages_chart():
    picture = Image.open(io.BytesIO(trend_png([("2024-25 Q1", 3)], target=5)))

    assert picture.format == "PNG"
    assert picture.size == (1280, 560)


def test_no_chart_is_drawn_of_no_value():
    with pytest.raises(ValueError, match="at least one value"):
        trend_png([], target=None)


# The HTML preview


def test_the_preview_shows_each_rating_as_words_on_a_badge(member_client, report, quarter_data):
    response = member_client.get(f"/reports/quarterly/2024-25/q1/?group={quarter_data.group.pk}")

    content = response.content.decode()
    assert '<h2 id="section-summary">Summary and status</h2>' in content
    assert '<td data-label="Rating"><span class="rag-badge rag-red">Red</span></td>' in content
    assert '<h3 id="section-measure-4-1-1-a">4.1.1.a Views of the VRU website</h3>' in content
    assert 'aria-labelledby="measure-4-1-1-a-chart-title measure-4-1-1-a-chart-desc"' in content
    assert '<td data-label="Owner">Łucja Wójcik</td>' in content
    assert "style=" not in content
