import docx
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.helpers import sign_in
from tests.tracker.fixtures import build_quarter_data

pytestmark = pytest.mark.django_db(transaction=True)


def preview_tables(page) -> list[list[list[str]]]:
    """Every table of the preview, as the reader sees it: rows of cell texts."""
    return page.locator("table.report-table").evaluate_all(
        """tables => tables.map(table => Array.from(table.rows).map(
            row => Array.from(row.cells).map(cell => cell.innerText.trim())))"""
    )


def test_the_chair_previews_a_quarter_and_downloads_the_word_file(page, chair_user, working_group):
    build_quarter_data(working_group)
    sign_in(page, "chair@example.org")

    page.get_by_role("link", name="Quarterly update").click()
    page.get_by_role("link", name="2024-25 Q1").click()

    expect(page.locator("h1")).to_have_text("Quarterly SVRP update: 2024-25 Q1")
    expect(page).to_have_title("Quarterly SVRP update: 2024-25 Q1 – VRP portal")
    measures = page.get_by_role("table", name="Performance Framework, 2024-25 Q1")
    expect(measures.get_by_role("row", name="4.1.1.a")).to_contain_text("1,250")
    # The print button is shown by tracker.js: the script ran under the CSP.
    expect(page.get_by_role("button", name="Print this update")).to_be_visible()
    previewed = preview_tables(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Word (.docx) file of the 2024-25 Q1 update").click()

    assert download.value.suggested_filename == "svrp-update-comms-working-group-2024-25-q1.docx"
    document = docx.Document(download.value.path())
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    # The Word file holds the preview's tables, figure for figure.
    assert tables == previewed
    rows = [row for table in tables for row in table]
    assert ["All agencies", "4", "2", "2", "3"] in rows
    assert ["4.1.1.a", "Views of the VRU website", "1,250", "900", "800", "1,000"] in [
        row[:6] for row in rows
    ]

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF (.pdf) file of the 2024-25 Q1 update").click()

    text = "\n".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    # On A4 portrait a narrow column wraps its words onto several lines, so each cell is
    # looked for whole, whitespace aside, rather than each row on one line.
    squeezed = "".join(text.split())
    for table in previewed:
        for row in table:
            for cell in row:
                assert "".join(cell.split()) in squeezed, (row, cell)
