"""Helpers shared by every spreadsheet export (action log, report, distribution list)."""

from typing import TypeVar

from core.text import clean_text

# A spreadsheet would run a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = TypeVar("Cell")


def safe_cell(value: Cell) -> Cell:
    """A cell a spreadsheet shows and never evaluates: formula-looking text is quoted.

    Invisible control characters are dropped first (core.text), so that one hiding
    in front of "=" cannot shield a formula, and every file opens.
    """
    value = clean_text(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
