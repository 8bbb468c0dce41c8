"""The portal's bounds, defined once: the dates it holds, and what a form field accepts.

Every date the portal keeps falls between 1 January 2000 and 31 December 2100.
A date outside that window is a typing slip (0024 for 2024, 9999 for "some
day"), and one such date stored breaks pages that count from it (quarter lists
running back two thousand years, a "next quarter" after the year 9999). Forms
refuse it (`BoundedFormMixin`), URLs naming a quarter outside it answer 404
(`core.quarters`), CSV imports refuse it, and the database refuses it too
(`window_constraints` in each model's Meta).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, Q
from django.utils.dateformat import format as date_format

from core.text import validate_no_control_characters

EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
# Both ends fall in winter, when London keeps GMT: the window as instants, the end exclusive.
EARLIEST_INSTANT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
END_INSTANT = dt.datetime(2101, 1, 1, tzinfo=dt.UTC)


def _financial_quarter(day: dt.date) -> tuple[int, int]:
    """(the year its financial year starts, quarter 1–4): Q1 is April–June."""
    year = day.year if day.month >= 4 else day.year - 1
    return year, (day.month - 4) % 12 // 3 + 1


# The financial-year quarters inside the window: 1999-00 Q4 (January–March 2000)
# to 2100-01 Q3 (October–December 2100). The window starts and ends with a quarter.
FIRST_QUARTER = _financial_quarter(EARLIEST_DATE)
LAST_QUARTER = _financial_quarter(LATEST_DATE)

# The longest search a list's filter accepts: every word of it becomes a LIKE pattern,
# and SQLite refuses one longer than 50,000 bytes (a server error, not a refusal).
SEARCH_MAX_LENGTH = 200


def window_text() -> str:
    """ "between 1 January 2000 and 31 December 2100"."""
    return f"between {date_format(EARLIEST_DATE, 'j F Y')} and {date_format(LATEST_DATE, 'j F Y')}"


def in_window(value: dt.date | dt.datetime) -> bool:
    """Whether a date (or an aware date and time) falls inside the window."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.date()
        else:
            return EARLIEST_INSTANT <= value < END_INSTANT
    return EARLIEST_DATE <= value <= LATEST_DATE


def quarter_in_window(year: int, number: int) -> bool:
    return FIRST_QUARTER <= (year, number) <= LAST_QUARTER


def validate_in_window(value: Any) -> None:
    """A form field's validator: refuse a date outside the window."""
    if isinstance(value, dt.date) and not in_window(value):
        raise ValidationError(
            "Enter a date %(window)s.", code="date_out_of_window", params={"window": window_text()}
        )


def window_constraints(*fields: str, prefix: str, instants: bool = False) -> list[CheckConstraint]:
    """One CheckConstraint per field keeping it inside the window (an empty field passes).

    `instants` for DateTimeFields. `prefix` (the model's name) keeps the names unique.
    """
    low, high = (EARLIEST_INSTANT, END_INSTANT) if instants else (EARLIEST_DATE, LATEST_DATE)
    below = "lt" if instants else "lte"
    return [
        CheckConstraint(
            condition=Q(**{f"{field}__gte": low, f"{field}__{below}": high}),
            name=f"{prefix}_{field}_in_window",
            violation_error_message=f"Enter a date {window_text()}.",
        )
        for field in fields
    ]


def quarter_window_constraint(
    year: str = "year", quarter: str = "quarter", *, prefix: str
) -> CheckConstraint:
    """A CheckConstraint keeping a (financial year, quarter) pair inside the window."""
    (first_year, first_number), (last_year, last_number) = FIRST_QUARTER, LAST_QUARTER
    after_first = Q(**{f"{year}__gt": first_year}) | Q(
        **{year: first_year, f"{quarter}__gte": first_number}
    )
    before_last = Q(**{f"{year}__lt": last_year}) | Q(
        **{year: last_year, f"{quarter}__lte": last_number}
    )
    return CheckConstraint(
        condition=after_first & before_last,
        name=f"{prefix}_quarter_in_window",
        violation_error_message=f"Choose a quarter {window_text()}.",
    )


def bound_fields(fields: dict[str, forms.Field]) -> None:
    """Give every date field the window and every text field the control-character check.

    Idempotent. Date inputs get `min` and `max`, so the browser's date picker keeps
    to the window as well.
    """
    for field in fields.values():
        if isinstance(field, forms.DateField | forms.DateTimeField):
            if validate_in_window not in field.validators:
                field.validators.append(validate_in_window)
            if getattr(field.widget, "input_type", "") == "date":
                field.widget.attrs.setdefault("min", EARLIEST_DATE.isoformat())
                field.widget.attrs.setdefault("max", LATEST_DATE.isoformat())
        elif (
            isinstance(field, forms.CharField)
            and validate_no_control_characters not in field.validators
        ):
            field.validators.append(validate_no_control_characters)


class BoundedFormMixin:
    """Every form of the portal: dates inside the window, text without control characters.

    Put it first among a form's bases. Fields added after `__init__` are bounded
    before cleaning too.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_fields(self.fields)

    def full_clean(self):
        bound_fields(self.fields)
        super().full_clean()
