"""The quarterly SVRP update as files: JSON, CSV, Excel, Word and PDF.

FORMATS lists the files every version of the update downloads as. The
renderers here draw version 1 (``schema_version`` 1) and are reached through
`tracker.report_versions`, which picks each update's own: they take the
report's dict (live, or the finalised snapshot) and draw it through
`report_layout.report_sections`, so the files say the same thing as the HTML
preview. Keep them as they are: a finalised version-1 update must download as
it did (tests/tracker/test_report_versions.py); a new version brings its own.
Each is built with a pip-installed library only: python-docx, XlsxWriter and
fpdf2 (with its built-in fonts, so no system fonts).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from django.conf import settings
from django.utils.text import slugify
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from fpdf import FPDF
from fpdf.fonts import FontFace

from core.documents import dated_zip, repeat_as_header
from core.exports import safe_cell
from core.text import clean_tree
from tracker.report_layout import (
    Cell,
    Table,
    cell_text,
    report_sections,
    subtitle_of,
    title_of,
)


def _writable(report: dict[str, Any]) -> dict[str, Any]:
    """The report with every string free of control characters, which Word, Excel and
    PDF readers refuse: a snapshot finalised before the forms refused them may hold one.
    JSON is the exception: it is the canonical record, and escapes them."""
    return clean_tree(report)


def _generated(report: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(report["generated_at"])


def filename(report: dict[str, Any], extension: str) -> str:
    """ "svrp-update-comms-working-group-2024-25-q1.docx"; a re-issue adds "-issue-2"."""
    quarter = report["quarter"]
    group = slugify(report["group"]["short_name"] or report["group"]["name"])
    issue = report.get("issue", {}).get("number", 1)
    suffix = f"-issue-{issue}" if issue > 1 else ""
    return f"svrp-update-{group}-{quarter['slug'].replace('/', '-')}{suffix}.{extension}"


def render_json(report: dict[str, Any]) -> bytes:
    # Sorted keys: the stored snapshot (PostgreSQL's jsonb) keeps no key order,
    # and the same report must always give the same bytes.
    return json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _raw(value: Cell) -> Cell:
    """Figures unformatted for machines; everything else as displayed."""
    if isinstance(value, bool):
        return cell_text(value)
    return value if isinstance(value, int | float) or value is None else str(value)


def render_csv(report: dict[str, Any]) -> bytes:
    """Each section's tables one after another, a blank line between sections."""
    report = _writable(report)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title_of(report)])
    for section in report_sections(report):
        writer.writerow([])
        writer.writerow([section.title])
        for text in section.paragraphs + section.bullets:
            writer.writerow([safe_cell(text)])
        for table in section.tables:
            writer.writerow([safe_cell(table.caption)])
            writer.writerow(table.headers)
            if not table.rows:
                writer.writerow([table.empty])
            for row in table.rows:
                writer.writerow([safe_cell(_raw(cell)) for cell in row])
    # A byte-order mark so that Excel reads the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render_xlsx(report: dict[str, Any]) -> bytes:
    """One worksheet per section; figures are numbers, not text."""
    report = _writable(report)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties(
        {
            "title": title_of(report),
            "subject": subtitle_of(report),
            "author": settings.PORTAL_NAME,
            "created": _generated(report).replace(tzinfo=None),
        }
    )
    title = workbook.add_format({"bold": True, "font_size": 14})
    caption = workbook.add_format({"bold": True})
    header = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for section in report_sections(report):
        sheet = workbook.add_worksheet(section.short_title)
        row = 0
        sheet.write(row, 0, section.title, title)
        row += 1
        for text in section.paragraphs + section.bullets:
            sheet.write_string(row, 0, text)
            row += 1
        widths: dict[int, int] = {}
        for table in section.tables:
            row += 1
            sheet.write_string(row, 0, table.caption, caption)
            row += 1
            for col, heading in enumerate(table.headers):
                sheet.write_string(row, col, heading, header)
                widths[col] = max(widths.get(col, 0), len(heading))
            row += 1
            if not table.rows:
                sheet.write_string(row, 0, table.empty)
                row += 1
            for cells in table.rows:
                for col, value in enumerate(cells):
                    if col in table.numeric and isinstance(value, int | float):
                        sheet.write_number(row, col, value)
                    else:
                        sheet.write_string(row, col, cell_text(value), wrap)
                    widths[col] = max(widths.get(col, 0), len(cell_text(value)))
                row += 1
        for col, width in widths.items():
            sheet.set_column(col, col, min(max(width, 8) + 2, 60))
    workbook.close()
    return buffer.getvalue()


def _docx_table(document, table: Table) -> None:
    document.add_paragraph(table.caption, style="Caption")
    if not table.rows:
        document.add_paragraph(table.empty)
        return
    grid = document.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    repeat_as_header(grid.rows[0])
    for cell, heading in zip(grid.rows[0].cells, table.headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(heading).bold = True
    for cells in table.rows:
        row = grid.add_row().cells
        for col, value in enumerate(cells):
            row[col].text = cell_text(value)
            if col in table.numeric:
                row[col].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def render_docx(report: dict[str, Any]) -> bytes:
    """A Word document the chair can edit: real headings, lists and tables."""
    report = _writable(report)
    document = Document()
    properties = document.core_properties
    properties.title = title_of(report)
    properties.subject = subtitle_of(report)
    properties.author = settings.PORTAL_NAME
    properties.language = "en-GB"
    properties.created = properties.modified = _generated(report).replace(tzinfo=None)
    page = document.sections[0]
    page.orientation = WD_ORIENT.LANDSCAPE
    page.page_width, page.page_height = page.page_height, page.page_width
    document.styles["Normal"].font.size = Pt(10)

    document.add_heading(title_of(report), level=0)
    for section in report_sections(report):
        document.add_heading(section.title, level=1)
        for text in section.paragraphs:
            document.add_paragraph(text)
        for text in section.bullets:
            document.add_paragraph(text, style="List Bullet")
        for table in section.tables:
            _docx_table(document, table)
    buffer = io.BytesIO()
    document.save(buffer)
    return dated_zip(buffer.getvalue(), _generated(report))


def pdf_text(text: str) -> str:
    """Text the PDF's built-in fonts can draw (Windows-1252): accents kept where possible."""
    try:
        text.encode("cp1252")
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for char in text:
        try:
            char.encode("cp1252")
            out.append(char)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", char).encode("cp1252", "ignore").decode("cp1252")
            out.append(plain or "?")
    return "".join(out)


class _ReportPDF(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 8, f"{self.footer_text} – page {self.page_no()} of {{nb}}", align="C")


WIDE_COLUMNS = {"Action", "Activity", "Recommendation", "Measure", "Evidence"}


# Room (mm) for a caption with its table's heading and first row, and for a section's
# title with the start of what follows: neither is left alone at the foot of a page.
CAPTION_KEEP = 30
TITLE_KEEP = CAPTION_KEEP + 12


def _keep_with_next(pdf: FPDF, room: float) -> None:
    if pdf.will_page_break(room):
        pdf.add_page()


def _pdf_table(pdf: FPDF, table: Table) -> None:
    _keep_with_next(pdf, CAPTION_KEEP)
    pdf.set_font("Helvetica", "B", 10)
    pdf.multi_cell(0, 6, pdf_text(table.caption), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    if not table.rows:
        pdf.multi_cell(0, 5, pdf_text(table.empty), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        return
    widths = [
        1 if col in table.numeric else 3 if heading in WIDE_COLUMNS else 2
        for col, heading in enumerate(table.headers)
    ]
    align = ["RIGHT" if col in table.numeric else "LEFT" for col in range(len(table.headers))]
    with pdf.table(
        col_widths=widths,
        text_align=align,
        headings_style=FontFace(emphasis="BOLD"),
        line_height=5,
        padding=1,
    ) as grid:
        for cells in [table.headers, *table.rows]:
            row = grid.row()
            for value in cells:
                row.cell(pdf_text(cell_text(value)))
    pdf.ln(4)


def render_pdf(report: dict[str, Any]) -> bytes:
    """A PDF drawn by fpdf2: headings (with bookmarks), paragraphs and tables."""
    report = _writable(report)
    pdf = _ReportPDF(orientation="landscape", format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.footer_text = pdf_text(f"{title_of(report)}, {report['group']['name']}")
    pdf.set_title(pdf_text(title_of(report)))
    pdf.set_subject(pdf_text(subtitle_of(report)))
    pdf.set_author(pdf_text(settings.PORTAL_NAME))
    pdf.set_lang("en-GB")
    pdf.set_creation_date(_generated(report))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 10, pdf_text(title_of(report)), new_x="LMARGIN", new_y="NEXT")
    for section in report_sections(report):
        pdf.ln(2)
        _keep_with_next(pdf, TITLE_KEEP)
        pdf.start_section(pdf_text(section.title))
        pdf.set_font("Helvetica", "B", 14)
        pdf.multi_cell(0, 8, pdf_text(section.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)
        for text in section.paragraphs:
            pdf.multi_cell(0, 5, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        for text in section.bullets:
            pdf.multi_cell(0, 5, pdf_text(f"\u2022 {text}"), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        for table in section.tables:
            _pdf_table(pdf, table)
    return bytes(pdf.output())


@dataclass(frozen=True)
class Format:
    """A file the update downloads as. What draws it depends on the update's version:
    `report_versions.render_file`."""

    content_type: str
    name: str


FORMATS: dict[str, Format] = {
    "json": Format("application/json; charset=utf-8", "JSON"),
    "csv": Format("text/csv; charset=utf-8", "CSV"),
    "xlsx": Format("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
    "docx": Format(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"
    ),
    "pdf": Format("application/pdf", "PDF"),
}
