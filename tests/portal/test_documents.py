"""core/documents.py: the Word and PDF every document of the portal is drawn with."""

import datetime as dt
import io
from dataclasses import dataclass

from docx import Document
from pypdf import PdfReader

from core import documents
from core.documents import Section, Table

WHEN = dt.datetime(2024, 5, 14, 10, 0)


@dataclass
class BadgedTable(Table):
    """A table whose second column is drawn as a badge, as the update draws its ratings."""

    def badge_of(self, row: int, column: int) -> tuple[str, str] | None:
        return ("1D6B38", "FFFFFF") if column == 1 else None


def _sections() -> list[Section]:
    return [
        Section(
            key="people",
            title="People",
            paragraphs=["Who came."],
            tables=[
                BadgedTable(
                    caption="Seats",
                    headers=["Name", "Rating", "Count"],
                    rows=[["Łucja Wójcik", "Green", 1250]],
                    numeric=frozenset({2}),
                )
            ],
        ),
        Section(key="part", title="A part", level=2, bullets=["One point"]),
    ]


def _docx() -> bytes:
    document = documents.new_docx(
        title="A note", subject="Testing", author="VRP", marking="OFFICIAL", created=WHEN
    )
    documents.docx_cover(document, "A note", ["The partnership", "A subtitle"])
    documents.docx_sections(document, _sections())
    return documents.docx_bytes(document, WHEN)


def test_word_draws_headings_tables_badges_and_the_marking_the_same_every_time():
    data = _docx()
    document = Document(io.BytesIO(data))

    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name != "Normal"]
    assert ("Title", "A note") in headings
    assert ("Heading 1", "People") in headings
    assert ("Heading 2", "A part") in headings
    assert ("List Bullet", "One point") in headings
    cells = [cell.text for cell in document.tables[0].rows[1].cells]
    assert cells == ["Łucja Wójcik", "Green", "1,250"]
    badge = document.tables[0].rows[1].cells[1]._tc.xml
    assert 'w:fill="1D6B38"' in badge
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL"
    assert document.core_properties.category == "OFFICIAL"
    assert _docx() == data


def test_pdf_draws_names_as_written_with_bookmarks_and_the_marking():
    pdf = documents.new_pdf(
        title="A note",
        subject="Testing",
        author="VRP",
        marking="OFFICIAL-SENSITIVE",
        footer="A note",
        created=WHEN.replace(tzinfo=dt.UTC),
    )
    pdf.add_page()
    documents.pdf_cover(pdf, "A note", ["The partnership", "A subtitle"])
    documents.pdf_sections(pdf, _sections())
    reader = PdfReader(io.BytesIO(bytes(pdf.output())))

    text = reader.pages[0].extract_text()
    assert "Łucja Wójcik" in text
    assert "OFFICIAL-SENSITIVE" in text
    assert "Page 1 of 1" in text
    outline = reader.outline
    assert outline[0].title == "People"
    assert outline[1][0].title == "A part"
