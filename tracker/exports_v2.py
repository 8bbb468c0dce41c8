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

Word and PDF are drawn by core/documents.py (`new_docx`, `docx_cover`,
`docx_sections` and `docx_bytes`; `new_pdf`, `pdf_cover` and `pdf_sections`), which
the SVRP pack (tracker/pack.py) and the action note draw with too; what is the
update's own (the ratings' colours, the wide columns, the charts) comes with its
sections and tables from tracker/report_layout_v2.py.

Keep it as it is once an update of version 2 is finalised: a finalised update
must download as it did (tests/tracker/snapshots/v2/); a new look is a new version.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import xlsxwriter
from django.conf import settings

from core.documents import (
    docx_bytes,
    docx_cover,
    docx_sections,
    new_docx,
    new_pdf,
    pdf_cover,
    pdf_sections,
)
from core.exports import safe_cell
from tracker.exports import _generated, _raw, _writable
from tracker.exports import render_json as render_json
from tracker.report_layout import cell_text, subtitle_of, title_of
from tracker.report_layout_v2 import RAG_COLOURS, Section, report_sections, status_line


def _utc(report: dict[str, Any]) -> dt.datetime:
    """When the figures were generated, in UTC without its offset: how Word and Excel take a
    document's dates (version 1 gave London time as if it were UTC)."""
    return _generated(report).astimezone(dt.UTC).replace(tzinfo=None)


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
            "author": report["document"]["author"] or settings.PORTAL_NAME,
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


def render_docx(report: dict[str, Any]) -> bytes:
    """A Word document the chair can edit: A4, a cover, headings, lists, tables, charts."""
    report = _writable(report)
    document = new_docx(
        title=title_of(report),
        subject=subtitle_of(report),
        author=report["document"]["author"] or settings.PORTAL_NAME,
        marking=report["marking"],
        status=report["document"]["status"],
        created=_utc(report),
    )
    docx_cover(document, title_of(report), _cover_lines(report))
    docx_sections(document, report_sections(report))
    return docx_bytes(document, _generated(report))


def render_pdf(report: dict[str, Any]) -> bytes:
    """A PDF drawn by fpdf2 in the embedded Liberation Sans: a cover, headings with
    bookmarks, paragraphs, tables and charts, on A4 portrait pages."""
    report = _writable(report)
    pdf = new_pdf(
        title=title_of(report),
        subject=subtitle_of(report),
        author=report["document"]["author"] or settings.PORTAL_NAME,
        marking=report["marking"],
        footer=f"{title_of(report)}, {report['group']['short_name']}",
        created=_generated(report),
    )
    pdf.add_page()
    pdf_cover(pdf, title_of(report), _cover_lines(report))
    pdf_sections(pdf, report_sections(report))
    return bytes(pdf.output())
