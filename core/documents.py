"""Word and PDF documents the partnership sends: one layout, drawn into either format.

A document is a list of `Section`s, each a heading with its paragraphs, bullets,
pictures (`charts`) and `Table`s. The same sections draw an HTML page too, so a
page and its files say the same thing. The quarterly SVRP update (tracker/), its
SVRP pack and a meeting's action note (actions/action_note.py) are all drawn here.

The data:

- ``Table(caption, headers, rows, empty="None.", numeric=frozenset(), links=[],
  wide=frozenset())``: ``rows`` are lists of `Cell`s (text, a number or None);
  ``numeric`` are the column indexes of figures (right-aligned), ``wide`` those of
  words (drawn wider); ``empty`` is said instead of a table with no row. A subclass
  may override `Table.is_wide` and `Table.badge_of` (a cell drawn bold on a
  coloured fill, as the update's ratings are).
- ``Section(key, title, paragraphs=[], bullets=[], tables=[], level=1, charts=[])``:
  ``level`` 1 is Word's Heading 1 and a top PDF bookmark, 2 a part of the level-1
  section before it; ``charts`` are `Picture`s (anything with ``title``,
  ``description`` (the alternative text), ``caption``, ``aspect`` (height / width)
  and ``png()``), drawn before the tables.
- `figure` / `cell_text`: a cell as people write it ("1,250"; a missing one "–").

Word (python-docx):

    document = new_docx(title=..., subject=..., author=..., marking=..., created=...)
    docx_cover(document, title, ["The partnership", "a line", ...])
    docx_sections(document, sections)
    data = docx_bytes(document, when)   # the same bytes for the same `when`

PDF (fpdf2, in the embedded Liberation Sans of static/fonts/, so every name reads
as written, "Łucja Wójcik"):

    pdf = new_pdf(title=..., subject=..., author=..., marking=..., footer=..., created=...)
    pdf.add_page()
    pdf_cover(pdf, title, ["The partnership", ...])
    pdf_sections(pdf, sections)
    data = bytes(pdf.output())

Both are A4 portrait with the protective marking (``marking``, e.g. "OFFICIAL")
centred at the head and foot of every page, "Page X of Y", the partnership's logo
(static/img/logo.png) on the first page, real headings (Word's Title and Heading
1/2, PDF bookmarks) and table headings repeated on each page. `new_docx` wants
``created`` in UTC without its offset (how Word reads a document's dates).

Changing how any of this draws changes the quarterly update's finalised files,
which must download byte for byte as they were sent (tests/tracker/snapshots/):
add an option rather than change a default.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
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

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

Cell = str | int | float | None
MISSING = "–"

FONTS = Path(settings.BASE_DIR) / "static" / "fonts"
REGULAR = FONTS / "LiberationSans-Regular.ttf"
BOLD = FONTS / "LiberationSans-Bold.ttf"
LOGO = Path(settings.BASE_DIR) / "static" / "img" / "logo.png"
LOGO_TEXT = "Logo: Violence Reduction Partnership"
HEADING_FILL = "E8E4EE"
# What each document a page downloads or an email attaches is, by its extension.
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def figure(value: Cell | Decimal) -> str:
    """A figure as people write it: "1,250", "12.5"; a missing one as a dash."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


cell_text = figure


def logo_png() -> bytes:
    """The portal's wordmark (static/img/logo.svg) as the PNG the documents print."""
    return LOGO.read_bytes()


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[Cell]]
    empty: str = "None."
    # Columns holding figures: right-aligned, and real numbers in Excel.
    numeric: frozenset[int] = frozenset()
    # The portal page behind each row's first cell, where its figures can be checked;
    # only the HTML preview draws them. Empty, or one per row (None for no page).
    links: list[str | None] = field(default_factory=list)
    # Columns of words (a title, a description): given more of the page's width.
    wide: frozenset[int] = frozenset()

    @property
    def linked_rows(self) -> list[tuple[str | None, list[Cell]]]:
        return list(zip(self.links or [None] * len(self.rows), self.rows, strict=True))

    def is_wide(self, column: int) -> bool:
        return column in self.wide

    def badge_of(self, row: int, column: int) -> tuple[str, str] | None:
        """(fill, ink) as hex when a cell is drawn bold on a coloured fill; None for a plain
        cell. The words must say what the colour does: colour alone says nothing."""
        return None

    def weights(self) -> list[float]:
        """Each column's share of the width: figures narrow, words wide."""
        return [
            1.5 if col in self.numeric else 3 if self.is_wide(col) else 2
            for col in range(len(self.headers))
        ]


class Picture(Protocol):
    """A picture drawn before a section's tables, a chart for instance."""

    title: str
    description: str
    caption: str
    # Its height over its width.
    aspect: float

    def png(self) -> bytes: ...


@dataclass
class Section:
    key: str
    title: str
    # A worksheet's name: Excel allows 31 characters.
    short_title: str = ""
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    # 1 for a section of the document; 2 for a part of the level-1 section before it.
    level: int = 1
    charts: list[Picture] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.short_title = self.short_title or self.title[:31]


def dated_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same zip with every entry dated `when` rather than the moment it was written.

    A Word file is a zip, and python-docx dates its entries now: without this a
    finalised document would download as different bytes each time.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            dated = zipfile.ZipInfo(entry.filename, date_time=when.timetuple()[:6])
            dated.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(dated, source.read(entry))
    return buffer.getvalue()


def repeat_as_header(row) -> None:
    """Mark a Word table row as its header: repeated on each page, read out by screen readers."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16))


# Word


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
    repeat_as_header(grid.rows[0])
    weights = table.weights()
    widths = [Mm(170 * weight / sum(weights)) for weight in weights]
    for cell, heading, width in zip(grid.rows[0].cells, table.headers, widths, strict=True):
        cell.width = width
        cell.paragraphs[0].add_run(heading).bold = True
        _shade(cell, HEADING_FILL)
    for index, cells in enumerate(table.rows):
        row = grid.add_row().cells
        for col, value in enumerate(cells):
            row[col].width = widths[col]
            badge = table.badge_of(index, col)
            if badge:
                fill, ink = badge
                run = row[col].paragraphs[0].add_run(cell_text(value))
                run.bold = True
                run.font.color.rgb = RGBColor.from_string(ink)
                _shade(row[col], fill)
                continue
            row[col].text = cell_text(value)
            if col in table.numeric:
                row[col].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _docx_picture(document, picture: Picture) -> None:
    drawn = document.add_picture(io.BytesIO(picture.png()), width=Mm(PICTURE_WIDTH))
    # The picture's alternative text, read out by screen readers.
    drawn._inline.docPr.set("descr", picture.description)
    drawn._inline.docPr.set("title", picture.title)
    document.add_paragraph(picture.caption, style="Caption")


def new_docx(
    *,
    title: str,
    subject: str,
    author: str,
    marking: str,
    created: dt.datetime,
    status: str | None = None,
) -> WordDocument:
    """An empty Word document: its properties (`created` in UTC without its offset),
    Arial 10 pt, and A4 pages carrying `marking` (`_docx_page`)."""
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
    pictures and tables."""
    for section in sections:
        document.add_heading(section.title, level=section.level)
        for text in section.paragraphs:
            document.add_paragraph(text)
        for text in section.bullets:
            document.add_paragraph(text, style="List Bullet")
        for picture in section.charts:
            _docx_picture(document, picture)
        for table in section.tables:
            _docx_table(document, table)


def docx_bytes(document, when: dt.datetime) -> bytes:
    """The document's file, its zip entries dated `when`: the same bytes every time."""
    buffer = io.BytesIO()
    document.save(buffer)
    return dated_zip(buffer.getvalue(), when)


# PDF

FONT = "LiberationSans"
MARGIN = 20
# Room (mm) kept for a caption with its table's heading and first row, and for a
# section's title with the start of what follows: neither is left alone at a page's foot.
CAPTION_KEEP = 30
TITLE_KEEP = CAPTION_KEEP + 12
PICTURE_WIDTH = 160


class _DocumentPDF(FPDF):
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
        col_widths=table.weights(),
        text_align=align,
        headings_style=FontFace(emphasis="BOLD", fill_color=rgb(HEADING_FILL)),
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
                badge = table.badge_of(index, col)
                style = None
                if badge:
                    fill, ink = badge
                    style = FontFace(emphasis="BOLD", color=rgb(ink), fill_color=rgb(fill))
                row.cell(cell_text(value), style=style)
    pdf.ln(4)


def _pdf_picture(pdf: FPDF, picture: Picture) -> None:
    height = PICTURE_WIDTH * picture.aspect
    _keep_with_next(pdf, height + 8)
    pdf.image(io.BytesIO(picture.png()), x=MARGIN, w=PICTURE_WIDTH, h=height)
    pdf.set_font(FONT, size=8.5)
    _write(pdf, 5, picture.caption)
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
    """An empty PDF in the embedded Liberation Sans, on A4 portrait pages carrying
    `marking` at their head and foot and `footer` with "Page X of Y"."""
    pdf = _DocumentPDF(orientation="portrait", format="A4")
    pdf.add_font(FONT, "", str(REGULAR))
    pdf.add_font(FONT, "B", str(BOLD))
    pdf.marking = marking
    pdf.footer_text = footer
    pdf.set_title(title)
    pdf.set_subject(subject)
    pdf.set_author(author)
    pdf.set_keywords(marking)
    pdf.set_creator(settings.PORTAL_NAME)
    pdf.set_lang("en-GB")
    pdf.set_creation_date(created)
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.set_margins(MARGIN, 20, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=22)
    return pdf


def pdf_sections(pdf: FPDF, sections: list[Section]) -> None:
    """Draw `sections` into `pdf`: a heading and a bookmark of each one's level, then its
    words, pictures and tables."""
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
        for picture in section.charts:
            _pdf_picture(pdf, picture)
        for table in section.tables:
            _pdf_table(pdf, table)
