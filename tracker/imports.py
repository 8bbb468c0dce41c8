"""Reading a measure's quarterly values from a CSV file, all or nothing.

Every row is checked before anything is saved; the caller saves the rows only
when the whole file is good, and otherwise lists every error by line number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from core.quarters import Quarter
from core.text import validate_no_control_characters

COLUMNS = ("quarter", "value", "note")
REQUIRED = ("quarter", "value")
# Bounds on what an upload may cost: a measure has one value a quarter, so a thousand
# rows is centuries of them; no cell needs more than a note's 2,000 characters.
MAX_FILE_BYTES = 1024 * 1024
TOO_LARGE = "The file is larger than 1 MB: split it."
MAX_ROWS = 1000
NOTE_MAX_LENGTH = 2000
MAX_CELL_LENGTH = NOTE_MAX_LENGTH
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LOOKS_LIKE_QUARTER = re.compile(r"^\s*\d{4}-\d{2}\s*Q[1-4]\s*$", re.IGNORECASE)
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
        validators=[validate_no_control_characters],
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


def _line_of_byte(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _decoded(data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise ImportFailed([TOO_LARGE])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed(
            [
                f"The file is not UTF-8 text (line {_line_of_byte(data, error.start)} is "
                "not): save it from Excel as “CSV UTF-8”."
            ]
        ) from error


def _rows(text: str) -> Iterator[tuple[int, int, list[str]]]:
    """(first line, last line, cells) of each record; a malformed file fails whole.

    Strict reading: an unclosed quote, or text after a closing quote, is an error
    rather than a guess that swallows the rest of the file into one cell.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        first = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportFailed([f"Line {first}: {_csv_problem(str(error))}"]) from error
        yield first, reader.line_num, cells


def _csv_problem(message: str) -> str:
    if "field larger than field limit" in message:
        return f"a cell is longer than {MAX_CELL_LENGTH:,} characters."
    if "unexpected end of data" in message or "EOF" in message:
        return (
            'a quoted cell is never closed: a closing quote mark (") is missing, '
            "so the rest of the file would be read as one cell."
        )
    if "expected after" in message:
        return "text follows a closing quote mark: put the whole cell in quotes, or none of it."
    return "the file cannot be read as CSV."


def _swallowed_line(cell: str, width: int) -> int | None:
    """The offset (from the cell's first line) of a line inside a multi-line cell that
    reads as a row of its own: the sign of a quote mark left open."""
    for offset, line in enumerate(_LINE_BREAK.split(cell)[1:], start=1):
        cells = next(csv.reader([line]), [])
        if len(cells) == width and any(_LOOKS_LIKE_QUARTER.match(c) for c in cells):
            return offset
    return None


def read_measure_values(data: bytes, *, today: dt.date) -> list[ImportedValue]:
    """The rows of a CSV file with the headings quarter, value and (optionally) note.

    Raises ImportFailed with every problem found, each starting with its line number.
    A file that is too large, has too many rows, or cannot be read as CSV is refused
    whole, with the line where reading stopped.
    """
    rows_read = _rows(_decoded(data))
    first = next(rows_read, None)
    headings = [cell.strip().lower() for cell in first[2]] if first else []
    missing = [name for name in REQUIRED if name not in headings]
    unknown = [name for name in headings if name not in COLUMNS]
    if not headings or missing or unknown or len(set(headings)) != len(headings):
        raise ImportFailed([HEADINGS_ERROR])
    field, note = value_field(), note_field()
    errors: list[str] = []
    rows: list[ImportedValue] = []
    seen: dict[Quarter, int] = {}
    count = 0
    for line, last_line, cells in rows_read:
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise ImportFailed([f"The file has more than {MAX_ROWS:,} rows: split it."])
        if len(cells) != len(headings):
            errors.append(
                f"Line {line}: {len(cells)} cells, but there are {len(headings)} headings."
            )
            continue
        long = [
            f"{heading}: Ensure this value has at most {MAX_CELL_LENGTH} characters "
            f"(it has {len(cell)})."
            for heading, cell in zip(headings, cells, strict=True)
            if len(cell) > MAX_CELL_LENGTH
        ]
        if long:
            errors.append(f"Line {line}: {' '.join(long)}")
            continue
        if last_line > line:
            swallowed = next(
                (
                    offset
                    for cell in cells
                    if (offset := _swallowed_line(cell, len(headings))) is not None
                ),
                None,
            )
            if swallowed is not None:
                errors.append(
                    f"Line {line}: a quoted cell runs on to line {line + swallowed}, which "
                    'reads as a row of its own: a closing quote mark (") is probably missing.'
                )
                continue
        row = dict(zip(headings, [cell.strip() for cell in cells], strict=True))
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
    if errors:
        raise ImportFailed(errors)
    if not rows:
        raise ImportFailed(["The file has headings but no values."])
    return rows
