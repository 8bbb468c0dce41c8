import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from actions.exports import COLUMNS
from tests.factories import ActionFactory, AgencyFactory, PersonFactory, ToCActivityFactory

pytestmark = pytest.mark.django_db

FILTERS = {"status": "outstanding", "q": "brand", "sort": "title"}


def _days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def log(working_group):
    toc = ToCActivityFactory(group=working_group, code="3.a")
    for n in range(30):
        ActionFactory(group=working_group, title=f"Brand task {n:02}", toc_activity=toc)
    ActionFactory(
        group=working_group, title="Brand task done", status="done", completed_on=_days(0)
    )
    ActionFactory(group=working_group, title="Website task")


def _csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def _listed_ids(client, query) -> list[int]:
    """Every action the log shows for `query`, page after page."""
    ids, page = [], 1
    while True:
        response = client.get(reverse("actions:list"), {**query, "page": page})
        ids += [action.pk for action in response.context["page_obj"]]
        if not response.context["page_obj"].has_next():
            return ids
        page += 1


def test_the_csv_holds_exactly_the_filtered_list(member_client, log):
    response = member_client.get(reverse("actions:export_csv"), FILTERS)

    rows = _csv_rows(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="action-log-')
    assert rows[0] == list(COLUMNS)
    assert [int(row[0]) for row in rows[1:]] == _listed_ids(member_client, FILTERS)
    assert len(rows) - 1 == 30
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Title"] == "Brand task 00"
    assert first["Status"] == "Open"
    assert first["ToC activity"] == "3.a"
    assert first["Link"].endswith(reverse("actions:detail", args=[rows[1][0]]))


def test_the_xlsx_holds_exactly_the_filtered_list(member_client, log):
    response = member_client.get(reverse("actions:export_xlsx"), FILTERS)

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert list(rows[0]) == list(COLUMNS)
    assert [row[0] for row in rows[1:]] == _listed_ids(member_client, FILTERS)
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Title"] == "Brand task 00"
    assert first["Due date"].date() == _days(30)


def test_the_export_of_all_actions_holds_the_whole_log(member_client, log):
    rows = _csv_rows(member_client.get(reverse("actions:export_csv"), {"status": "all"}))

    assert len(rows) - 1 == 32


def test_the_opening_views_export_holds_what_it_shows_the_outstanding_actions(member_client, log):
    """Decided: a download holds what the page shows, so the opening view's holds the
    outstanding actions only; "All actions" downloads the whole log."""
    rows = _csv_rows(member_client.get(reverse("actions:export_csv")))
    response = member_client.get(reverse("actions:export_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active

    assert [int(row[0]) for row in rows[1:]] == _listed_ids(member_client, {})
    assert len(rows) - 1 == 31
    assert "Brand task done" not in [row[COLUMNS.index("Title")] for row in rows]
    assert [row[0] for row in list(sheet.iter_rows(values_only=True))[1:]] == _listed_ids(
        member_client, {}
    )


FORMULAS = ['=HYPERLINK("http://example.com","Click")', "+1+1", "-2+3", "@SUM(A1)", "\tx"]


@pytest.mark.parametrize("title", FORMULAS)
def test_a_formula_looking_title_is_exported_as_text(member_client, working_group, title):
    owner = PersonFactory(full_name="=cmd|' /C calc'!A0", agency=AgencyFactory())
    ActionFactory(group=working_group, title=title, owner=owner, detail="=1+2")

    exported = _csv_rows(member_client.get(reverse("actions:export_csv")))
    csv_row = dict(zip(COLUMNS, exported[1], strict=True))
    response = member_client.get(reverse("actions:export_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active

    assert csv_row["Title"] == "'" + title
    assert csv_row["Owner"] == "'=cmd|' /C calc'!A0"
    assert csv_row["Detail"] == "'=1+2"
    title_cell = sheet.cell(row=2, column=COLUMNS.index("Title") + 1)
    assert title_cell.data_type == "s"
    assert title_cell.value == "'" + title
    assert sheet.cell(row=2, column=COLUMNS.index("Detail") + 1).value == "'=1+2"


def test_accented_names_survive_the_csv(member_client, working_group):
    owner = PersonFactory(full_name="Zoë Brontë", agency=AgencyFactory())
    ActionFactory(group=working_group, title="Café – launch", owner=owner)

    row = _csv_rows(member_client.get(reverse("actions:export_csv")))[1]

    assert "Zoë Brontë" in row
    assert "Café – launch" in row
