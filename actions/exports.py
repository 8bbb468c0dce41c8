"""CSV and XLSX exports of the action log: exactly the rows the filters select.

Cells that a spreadsheet would read as a formula are written as text with a
leading apostrophe (OWASP's advice on CSV injection), in both formats.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

import xlsxwriter
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from core.exports import safe_cell

COLUMNS = (
    "ID",
    "Title",
    "Detail",
    "Owner",
    "Agency",
    "Group",
    "Raised at meeting",
    "Due date",
    "Status",
    "Overdue",
    "Completed on",
    "Cancelled reason",
    "ToC activity",
    "Crest recommendation",
    "Performance measure",
    "Task and Finish group",
    "Link",
)
XLSX_WIDTHS = (6, 40, 50, 24, 28, 28, 28, 12, 12, 9, 12, 30, 20, 20, 20, 24, 40)


def _code(item) -> str:
    return getattr(item, "code", "") if item else ""


def export_rows(actions: QuerySet[Action], today: dt.date | None = None) -> Iterator[list]:
    """One row per action: ints and dates stay typed; every string is made formula-safe."""
    today = today or timezone.localdate()
    for action in actions.iterator(chunk_size=500):
        row = [
            action.pk,
            action.title,
            action.detail,
            action.owner.full_name,
            action.agency.name,
            action.group.name,
            str(action.meeting) if action.meeting else "",
            action.due_date,
            action.get_status_display(),
            "Yes" if action.is_overdue(today) else "No",
            action.completed_on,
            action.cancelled_reason,
            _code(action.toc_activity),
            _code(action.crest_recommendation),
            _code(action.performance_measure),
            action.task_group.name if action.task_group else "",
            settings.SITE_URL + reverse("actions:detail", args=[action.pk]),
        ]
        yield [safe_cell(cell) for cell in row]


def _filename(extension: str) -> str:
    return f"action-log-{timezone.localdate():%Y-%m-%d}.{extension}"


def csv_response(actions: QuerySet[Action]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    # The byte-order mark makes Excel read the file as UTF-8 (names with accents, en dashes).
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(COLUMNS)
    for row in export_rows(actions):
        writer.writerow(
            [cell.isoformat() if isinstance(cell, dt.date) else cell or "" for cell in row]
        )
    return response


def xlsx_response(actions: QuerySet[Action]) -> HttpResponse:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Action log")
    bold = workbook.add_format({"bold": True})
    date = workbook.add_format({"num_format": "d mmmm yyyy"})
    for col, (heading, width) in enumerate(zip(COLUMNS, XLSX_WIDTHS, strict=True)):
        sheet.write_string(0, col, heading, bold)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    last_row = 0
    for last_row, row in enumerate(export_rows(actions), start=1):
        for col, cell in enumerate(row):
            # Typed writers only: worksheet.write() would turn "=..." into a live formula.
            if isinstance(cell, dt.date):
                sheet.write_datetime(last_row, col, dt.datetime.combine(cell, dt.time()), date)
            elif isinstance(cell, int):
                sheet.write_number(last_row, col, cell)
            elif cell:
                sheet.write_string(last_row, col, cell)
    sheet.autofilter(0, 0, last_row, len(COLUMNS) - 1)
    workbook.close()
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
