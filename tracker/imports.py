"""Reading a measure's quarterly values from a CSV file, all or nothing.

Every row is checked before anything is saved; the caller saves the rows only
when the whole file is good, and otherwise lists every error by line number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from vrp_portal.quarters import Quarter

COLUMNS = ("quarter", "value", "note")
REQUIRED = ("quarter", "value")
MAX_ROWS = 1000
NOTE_MAX_LENGTH = 2000
HEADINGS_ERROR = (
    "Line 1: the first line must be the headings quarter, value, note (note is optional)."
)


@dataclass(frozen=True)
class ImportedValue:
    line: int
    quarter: Quarter
    value: Decimal
    note: str


class ImportFailed(Exception):
    """The file cannot be imported; `errors` says why, line by line."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def value_field() -> forms.DecimalField:
    """The rules for a measure's value, shared by the form and the import."""
    return forms.DecimalField(label="Value", max_digits=14, decimal_places=2)


def note_field() -> forms.CharField:
    """The rules for a value's note, shared by the form and the import."""
    return forms.CharField(
        label="Note",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Where the figure comes from; required when you correct a value.",
    )


def open_quarter(label: str, today: dt.date) -> Quarter:
    """The quarter named by `label`, if a value may be recorded for it (it has started)."""
    if not (label or "").strip():
        raise ValidationError("Enter a quarter such as 2024-25 Q1.")
    try:
        quarter = Quarter.parse(label)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    if quarter.start > today:
        raise ValidationError(f"{quarter.label} has not started yet.")
    return quarter


def read_measure_values(data: bytes, *, today: dt.date) -> list[ImportedValue]:
    """The rows of a CSV file with the headings quarter, value and (optionally) note.

    Raises ImportFailed with every problem found, each starting with its line number.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed(
            ["The file is not UTF-8 text: save it from Excel as “CSV UTF-8”."]
        ) from error
    reader = csv.reader(io.StringIO(text))
    errors: list[str] = []
    headings = [cell.strip().lower() for cell in next(reader, [])]
    missing = [name for name in REQUIRED if name not in headings]
    unknown = [name for name in headings if name not in COLUMNS]
    if not headings or missing or unknown or len(set(headings)) != len(headings):
        raise ImportFailed([HEADINGS_ERROR])
    field, note = value_field(), note_field()
    rows: list[ImportedValue] = []
    seen: dict[Quarter, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(headings):
            errors.append(
                f"Line {line}: {len(cells)} cells, but there are {len(headings)} headings."
            )
            continue
        row = dict(zip(headings, [cell.strip() for cell in cells], strict=False))
        problems = []
        quarter = value = None
        try:
            quarter = open_quarter(row.get("quarter", ""), today)
        except ValidationError as error:
            problems.extend(error.messages)
        try:
            value = field.clean(row.get("value", "").replace(",", ""))
        except ValidationError as error:
            problems.extend(f"value: {message}" for message in error.messages)
        try:
            note.clean(row.get("note", ""))
        except ValidationError as error:
            problems.extend(f"note: {message}" for message in error.messages)
        if quarter is not None and quarter in seen:
            problems.append(f"{quarter.label} is also on line {seen[quarter]}.")
        if problems:
            errors.append(f"Line {line}: {' '.join(problems)}")
            continue
        seen[quarter] = line
        rows.append(ImportedValue(line, quarter, value, row.get("note", "")))
    if len(rows) + len(errors) > MAX_ROWS:
        raise ImportFailed([f"The file has more than {MAX_ROWS} rows: split it."])
    if errors:
        raise ImportFailed(errors)
    if not rows:
        raise ImportFailed(["The file has headings but no values."])
    return rows
