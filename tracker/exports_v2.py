"""Version 2 of the quarterly SVRP update as files (``schema_version`` 2).

Each is drawn from `report_layout_v2.report_sections`, so the files say what the
HTML preview says, figure for figure. JSON is the update's dict itself, as in
version 1. CSV and Excel carry every section, the chair's part and each rating in
words. Word and PDF are documents a partnership accepts:

- A4 portrait, with a cover: the partnership's name and logo (static/img/logo.png,
  the PNG of static/img/logo.svg), the group, quarter, issue, Draft or Final,
  author, date and distribution (the "Document control" section);
- the protective marking (``report["marking"]``) centred in the header and the
  footer of every page, and "Page X of Y";
- real headings: Word's Title, Heading 1 and Heading 2 (its navigation pane);
  PDF bookmarks, one level under each section's;
- table headings repeated on each page; each rating's words on a badge of its
  colour, never colour alone;
- each measure's trend as a picture (tracker/chart_png.py) above the table of the
  same figures, its description the Word picture's alternative text.

The PDF embeds Liberation Sans (static/fonts/, SIL Open Font License), so every
name reads as written ("Łucja Wójcik", "Zoë Ŵyn"). fpdf2 tags no text, so the
PDF carries no structure tree rather than one of pictures only, which a screen
reader would take for the whole document; the Word file is the one to edit and
to read with a screen reader.

The SVRP pack (tracker/pack.py) draws its updates into one document with the same
functions: `new_docx`, `docx_cover`, `docx_sections` and `docx_bytes`; `new_pdf`,
`pdf_cover` and `pdf_sections`.

Keep it as it is once an update of version 2 is finalised: a finalised update
must download as it did (tests/tracker/snapshots/v2/); a new look is a new version.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import xlsxwriter
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from fpdf import FPDF
from fpdf.enums import TableCellFillMode
from fpdf.fonts import FontFace
from fpdf.prefs import ViewerPreferences

from core.exports import safe_cell
from tracker.chart_png import BOLD, REGULAR, logo_png, trend_png
from tracker.exports import _dated_zip, _generated, _raw, _repeat_as_header, _writable
from tracker.exports import render_json as render_json
from tracker.report_layout import cell_text, subtitle_of, title_of
from tracker.report_layout_v2 import Chart, Section, Table, report_sections, status_line

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

# Each rating's colours, as hex: (background, text). Each pair has a contrast of at
# least 4.5:1 (WCAG AA for normal text); the words always say the rating too.
RAG_COLOURS = {
    "red": ("A3122B", "FFFFFF"),
    "amber": ("FFBF47", "1F1F1F"),
    "green": ("1D6B38", "FFFFFF"),
}
HEADING_FILL = "E8E4EE"
LOGO_TEXT = "Logo: Violence Reduction Partnership"
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


def _utc(report: dict[str, Any]) -> dt.datetime:
    """When the figures were generated, in UTC without its offset: how Word and Excel take a
    document's dates (version 1 gave London time as if it were UTC)."""
    return _generated(report).astimezone(dt.UTC).replace(tzinfo=None)


def _rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16))


def _weights(table: Table) -> list[float]:
    """Each column's share of the width: figures narrow, words wide."""
    return [
        1.5 if col in table.numeric else 3 if heading in WIDE_COLUMNS else 2
        for col, heading in enumerate(table.headers)
    ]


def _cover_lines(report: dict[str, Any]) -> list[str]:
    """What the cover says under the title, before the document control table."""
    return [report["partnership"]["name"], subtitle_of(report), status_line(report)]


def render_csv(report: dict[str, Any]) -> bytes:
    """The marking, the title, then each section's words and tables, a blank line between."""
    report = _writable(report)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(report["marking"])])
    writer.writerow([safe_cell(title_of(report))])
    for text in _cover_lines(report):
        writer.writerow([safe_cell(text)])
    for section in report_sections(report):
        writer.writerow([])
        writer.writerow([safe_cell(section.title)])
        for text in section.paragraphs + section.bullets:
            writer.writerow([safe_cell(text)])
        for table in section.tables:
            writer.writerow([safe_cell(table.caption)])
            writer.writerow([safe_cell(heading) for heading in table.headers])
            if not table.rows:
                writer.writerow([safe_cell(table.empty)])
            for row in table.rows:
                writer.writerow([safe_cell(_raw(cell)) for cell in row])
    # A byte-order mark so that Excel reads the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheets(sections: list[Section]) -> Iterator[list[Section]]:
    """Each level-1 section with the parts that follow it: one worksheet each."""
    group: list[Section] = []
    for section in sections:
        if section.level == 1 and group:
            yield group
            group = []
        group.append(section)
    if group:
        yield group


def render_xlsx(report: dict[str, Any]) -> bytes:
    """One worksheet per section, its parts below it; figures are numbers, ratings words on
    their colour; each sheet prints on A4 with the marking in its header and footer."""
    report = _writable(report)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties(
        {
            "title": title_of(report),
            "subject": subtitle_of(report),
            "author": report["document"]["author"] or "VRP portal",
            "category": report["marking"],
            "status": report["document"]["status"],
            "created": _utc(report),
        }
    )
    formats = {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "part": workbook.add_format({"bold": True, "font_size": 12}),
        "caption": workbook.add_format({"bold": True}),
        "header": workbook.add_format(
            {"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"}
        ),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
    }
    for rag, (fill, ink) in RAG_COLOURS.items():
        formats[rag] = workbook.add_format(
            {"bold": True, "bg_color": f"#{fill}", "font_color": f"#{ink}", "valign": "top"}
        )
    marking = report["marking"].replace("&", "&&")
    for parts in _sheets(report_sections(report)):
        sheet = workbook.add_worksheet(parts[0].short_title)
        sheet.set_paper(9)  # A4
        sheet.set_portrait()
        sheet.fit_to_pages(1, 0)
        sheet.set_header(f"&C&B{marking}")
        sheet.set_footer(f"&C&B{marking}&B&RPage &P of &N")
        row = 0
        widths: dict[int, int] = {}
        for section in parts:
            if row:
                row += 1
            sheet.write_string(
                row, 0, section.title, formats["title" if section.level == 1 else "part"]
            )
            row += 1
            for text in section.paragraphs:
                sheet.write_string(row, 0, text)
                row += 1
            for text in section.bullets:
                sheet.write_string(row, 0, f"\u2022 {text}")
                row += 1
            for table in section.tables:
                row += 1
                sheet.write_string(row, 0, table.caption, formats["caption"])
                row += 1
                for col, heading in enumerate(table.headers):
                    sheet.write_string(row, col, heading, formats["header"])
                    widths[col] = max(widths.get(col, 0), len(heading))
                row += 1
                if not table.rows:
                    sheet.write_string(row, 0, table.empty)
                    row += 1
                for index, cells in enumerate(table.rows):
                    for col, value in enumerate(cells):
                        rag = table.rag_of(index, col)
                        if col in table.numeric and isinstance(value, int | float):
                            sheet.write_number(row, col, value)
                        else:
                            cell_format = formats[rag] if rag else formats["wrap"]
                            sheet.write_string(row, col, cell_text(value), cell_format)
                        widths[col] = max(widths.get(col, 0), len(cell_text(value)))
                    row += 1
        for col, width in widths.items():
            sheet.set_column(col, col, min(max(width, 8) + 2, 60))
    workbook.close()
    return buffer.getvalue()


def _shade(cell, fill: str) -> None:
    """Fill a Word table cell with a colour."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word works out as it lays the pages out."""

    def append(element) -> None:
        paragraph.add_run()._r.append(element)

    def character(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    append(character("begin"))
    append(code)
    append(character("separate"))
    paragraph.add_run("1")  # shown until Word works the field out
    append(character("end"))


def _marked(paragraph, marking: str) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(marking).bold = True


def _docx_footer(footer, marking: str) -> None:
    _marked(footer.paragraphs[0], marking)
    numbers = footer.add_paragraph()
    numbers.alignment = WD_ALIGN_PARAGRAPH.CENTER
    numbers.add_run("Page ")
    _field(numbers, "PAGE")
    numbers.add_run(" of ")
    _field(numbers, "NUMPAGES")


def _docx_page(document, marking: str) -> None:
    """A4 portrait, the marking centred at the head and foot of every page, page X of Y;
    the first page's head has the logo too, under the marking, as on headed paper."""
    page = document.sections[0]
    page.orientation = WD_ORIENT.PORTRAIT
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.left_margin = page.right_margin = Mm(20)
    page.top_margin = page.bottom_margin = Mm(22)
    page.different_first_page_header_footer = True
    for header in (page.header, page.first_page_header):
        _marked(header.paragraphs[0], marking)
    for footer in (page.footer, page.first_page_footer):
        _docx_footer(footer, marking)
    logo = (
        page.first_page_header.add_paragraph()
        .add_run()
        .add_picture(io.BytesIO(logo_png()), width=Mm(45))
    )
    logo._inline.docPr.set("descr", LOGO_TEXT)


def _docx_table(document, table: Table) -> None:
    document.add_paragraph(table.caption, style="Caption")
    if not table.rows:
        document.add_paragraph(table.empty)
        return
    grid = document.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    _repeat_as_header(grid.rows[0])
    weights = _weights(table)
    widths = [Mm(170 * weight / sum(weights)) for weight in weights]
    for cell, heading, width in zip(grid.rows[0].cells, table.headers, widths, strict=True):
        cell.width = width
        cell.paragraphs[0].add_run(heading).bold = True
        _shade(cell, HEADING_FILL)
    for index, cells in enumerate(table.rows):
        row = grid.add_row().cells
        for col, value in enumerate(cells):
            row[col].width = widths[col]
            rag = table.rag_of(index, col)
            if rag:
                fill, ink = RAG_COLOURS[rag]
                run = row[col].paragraphs[0].add_run(cell_text(value))
                run.bold = True
                run.font.color.rgb = RGBColor.from_string(ink)
                _shade(row[col], fill)
                continue
            row[col].text = cell_text(value)
            if col in table.numeric:
                row[col].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _docx_chart(document, chart: Chart) -> None:
    picture = document.add_picture(
        io.BytesIO(trend_png(chart.values, target=chart.target)), width=Mm(160)
    )
    # The picture's alternative text, read out by screen readers.
    picture._inline.docPr.set("descr", chart.description)
    picture._inline.docPr.set("title", chart.title)
    document.add_paragraph(chart.caption, style="Caption")


def new_docx(
    *,
    title: str,
    subject: str,
    author: str,
    marking: str,
    created: dt.datetime,
    status: str | None = None,
) -> WordDocument:
    """An empty Word document as version 2 draws one: its properties (`created` in UTC
    without its offset), Arial 10 pt, and A4 pages carrying `marking` (`_docx_page`)."""
    document = Document()
    properties = document.core_properties
    properties.title = title
    properties.subject = subject
    properties.author = author
    properties.category = marking
    if status is not None:
        properties.content_status = status
    properties.language = "en-GB"
    properties.created = properties.modified = created
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)
    _docx_page(document, marking)
    return document


def docx_cover(document, title: str, lines: list[str]) -> None:
    """The title, and each line under it as a subtitle."""
    document.add_heading(title, level=0)
    for text in lines:
        document.add_paragraph(text, style="Subtitle")


def docx_sections(document, sections: list[Section]) -> None:
    """Draw `sections` into `document`: a heading of each one's level, then its words,
    charts and tables."""
    for section in sections:
        document.add_heading(section.title, level=section.level)
        for text in section.paragraphs:
            document.add_paragraph(text)
        for text in section.bullets:
            document.add_paragraph(text, style="List Bullet")
        for chart in section.charts:
            _docx_chart(document, chart)
        for table in section.tables:
            _docx_table(document, table)


def docx_bytes(document, when: dt.datetime) -> bytes:
    """The document's file, its zip entries dated `when`: the same bytes every time."""
    buffer = io.BytesIO()
    document.save(buffer)
    return _dated_zip(buffer.getvalue(), when)


def render_docx(report: dict[str, Any]) -> bytes:
    """A Word document the chair can edit: A4, a cover, headings, lists, tables, charts."""
    report = _writable(report)
    document = new_docx(
        title=title_of(report),
        subject=subtitle_of(report),
        author=report["document"]["author"] or "VRP portal",
        marking=report["marking"],
        status=report["document"]["status"],
        created=_utc(report),
    )
    docx_cover(document, title_of(report), _cover_lines(report))
    docx_sections(document, report_sections(report))
    return docx_bytes(document, _generated(report))


FONT = "LiberationSans"
MARGIN = 20
# Room (mm) kept for a caption with its table's heading and first row, and for a
# section's title with the start of what follows: neither is left alone at a page's foot.
CAPTION_KEEP = 30
TITLE_KEEP = CAPTION_KEEP + 12
CHART_WIDTH = 160


class _UpdatePDF(FPDF):
    marking = ""
    footer_text = ""

    def header(self) -> None:
        self.set_y(8)
        self.set_font(FONT, "B", 10)
        self.cell(0, 5, self.marking, align="C")
        self.set_y(self.t_margin)

    def footer(self) -> None:
        self.set_y(-16)
        self.set_font(FONT, "B", 10)
        self.cell(0, 5, self.marking, align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, size=8)
        self.cell(0, 5, f"{self.footer_text} – Page {self.page_no()} of {{nb}}", align="C")


def _write(pdf: FPDF, height: float, text: str) -> None:
    """A paragraph, left-aligned: fpdf2 justifies text unless told."""
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT", align="L")


def _keep_with_next(pdf: FPDF, room: float) -> None:
    if pdf.will_page_break(room):
        pdf.add_page()


def _pdf_table(pdf: FPDF, table: Table) -> None:
    _keep_with_next(pdf, CAPTION_KEEP)
    pdf.set_font(FONT, "B", 10)
    _write(pdf, 6, table.caption)
    pdf.set_font(FONT, size=8.5)
    if not table.rows:
        _write(pdf, 5, table.empty)
        pdf.ln(3)
        return
    align = ["RIGHT" if col in table.numeric else "LEFT" for col in range(len(table.headers))]
    with pdf.table(
        col_widths=_weights(table),
        text_align=align,
        headings_style=FontFace(emphasis="BOLD", fill_color=_rgb(HEADING_FILL)),
        cell_fill_mode=TableCellFillMode.NONE,
        line_height=4.5,
        padding=1,
        repeat_headings=1,
    ) as grid:
        heading = grid.row()
        for text in table.headers:
            heading.cell(text)
        for index, cells in enumerate(table.rows):
            row = grid.row()
            for col, value in enumerate(cells):
                rag = table.rag_of(index, col)
                style = None
                if rag:
                    fill, ink = RAG_COLOURS[rag]
                    style = FontFace(emphasis="BOLD", color=_rgb(ink), fill_color=_rgb(fill))
                row.cell(cell_text(value), style=style)
    pdf.ln(4)


def _pdf_chart(pdf: FPDF, chart: Chart) -> None:
    picture = trend_png(chart.values, target=chart.target)
    height = CHART_WIDTH * 280 / 640
    _keep_with_next(pdf, height + 8)
    pdf.image(io.BytesIO(picture), x=MARGIN, w=CHART_WIDTH, h=height)
    pdf.set_font(FONT, size=8.5)
    _write(pdf, 5, chart.caption)
    pdf.ln(3)


def pdf_cover(pdf: FPDF, title: str, lines: list[str]) -> None:
    """The logo, the title, then `lines`: the first (the partnership) in bold."""
    pdf.image(io.BytesIO(logo_png()), x=MARGIN, w=60, h=16)
    pdf.ln(6)
    pdf.set_font(FONT, "B", 20)
    _write(pdf, 10, title)
    first, *rest = lines
    pdf.set_font(FONT, "B", 12)
    _write(pdf, 6, first)
    pdf.set_font(FONT, size=12)
    for text in rest:
        _write(pdf, 6, text)
    pdf.ln(2)


def new_pdf(
    *, title: str, subject: str, author: str, marking: str, footer: str, created: dt.datetime
) -> FPDF:
    """An empty PDF as version 2 draws one, in the embedded Liberation Sans, on A4 portrait
    pages carrying `marking` at their head and foot and `footer` with "Page X of Y"."""
    pdf = _UpdatePDF(orientation="portrait", format="A4")
    pdf.add_font(FONT, "", str(REGULAR))
    pdf.add_font(FONT, "B", str(BOLD))
    pdf.marking = marking
    pdf.footer_text = footer
    pdf.set_title(title)
    pdf.set_subject(subject)
    pdf.set_author(author)
    pdf.set_keywords(marking)
    pdf.set_creator("VRP portal")
    pdf.set_lang("en-GB")
    pdf.set_creation_date(created)
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.set_margins(MARGIN, 20, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=22)
    return pdf


def pdf_sections(pdf: FPDF, sections: list[Section]) -> None:
    """Draw `sections` into `pdf`: a heading and a bookmark of each one's level, then its
    words, charts and tables."""
    for section in sections:
        pdf.ln(2)
        _keep_with_next(pdf, TITLE_KEEP)
        pdf.start_section(section.title, level=section.level - 1)
        pdf.set_font(FONT, "B", 15 if section.level == 1 else 12)
        _write(pdf, 8 if section.level == 1 else 7, section.title)
        pdf.set_font(FONT, size=10)
        for text in section.paragraphs:
            _write(pdf, 5, text)
            pdf.ln(1)
        for text in section.bullets:
            _write(pdf, 5, f"\u2022 {text}")
            pdf.ln(1)
        for chart in section.charts:
            _pdf_chart(pdf, chart)
        for table in section.tables:
            _pdf_table(pdf, table)


def render_pdf(report: dict[str, Any]) -> bytes:
    """A PDF drawn by fpdf2 in the embedded Liberation Sans: a cover, headings with
    bookmarks, paragraphs, tables and charts, on A4 portrait pages."""
    report = _writable(report)
    pdf = new_pdf(
        title=title_of(report),
        subject=subtitle_of(report),
        author=report["document"]["author"] or "VRP portal",
        marking=report["marking"],
        footer=f"{title_of(report)}, {report['group']['short_name']}",
        created=_generated(report),
    )
    pdf.add_page()
    pdf_cover(pdf, title_of(report), _cover_lines(report))
    pdf_sections(pdf, report_sections(report))
    return bytes(pdf.output())
