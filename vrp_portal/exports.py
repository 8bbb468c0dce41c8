"""Helpers shared by every spreadsheet export (action log, report, distribution list)."""

from typing import TypeVar

# A spreadsheet would run a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = TypeVar("Cell")


def safe_cell(value: Cell) -> Cell:
    """A cell a spreadsheet shows and never evaluates: formula-looking text is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
