"""Red, Amber, Green: the chair's status of a quarter, in words as well as colour.

The portal suggests each area's rating from the update's own figures, by rules
written here once and shown on the draft page word for word; the chair may
override any suggestion, with a reason. Imports no model: the rules read the
update's dict (tracker/report.py), so a suggestion is what the figures beside it say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


# What each rating means, said every time a rating is shown: never colour alone.
MEANINGS = {
    Rag.GREEN: "On track",
    Rag.AMBER: "At risk: in hand, but needs watching",
    Rag.RED: "Off track: needs the SVRP's attention or help",
}
WORST_FIRST = (Rag.RED, Rag.AMBER, Rag.GREEN)


def rag_words(rag: str | None) -> dict[str, str | None]:
    """A rating as every format shows it: its value, its name and its meaning."""
    if not rag:
        return {"rag": None, "label": "Not rated", "meaning": ""}
    rag = Rag(rag)
    return {"rag": rag.value, "label": rag.label, "meaning": MEANINGS[rag]}


def worst(ratings) -> Rag:
    ratings = {Rag(r) for r in ratings if r}
    return next((rag for rag in WORST_FIRST if rag in ratings), Rag.GREEN)


@dataclass(frozen=True)
class Suggestion:
    rag: Rag
    because: str


def _toc(report: dict[str, Any]) -> Suggestion:
    activities = report["toc_activities"]
    waiting = [a["code"] for a in activities if a["status"] == "not_started"]
    if waiting:
        return Suggestion(Rag.AMBER, f"Not started: {', '.join(waiting)}.")
    return Suggestion(Rag.GREEN, "Every activity is in progress or complete.")


def _crest(report: dict[str, Any]) -> Suggestion:
    recommendations = report["crest_recommendations"]
    waiting = [r["code"] for r in recommendations if r["status"] == "not_started"]
    if waiting:
        return Suggestion(Rag.AMBER, f"Not started: {', '.join(waiting)}.")
    return Suggestion(Rag.GREEN, "Every recommendation is in progress or achieved.")


def _measures(report: dict[str, Any]) -> Suggestion:
    measures = report["measures"]
    below = [m["code"] for m in measures if m["target_met"] is False]
    missing = [m["code"] for m in measures if m["this_quarter"] is None]
    if measures and len(below) * 2 > len(measures):
        return Suggestion(Rag.RED, f"Below target: {', '.join(below)}.")
    if below or missing:
        parts = [f"Below target: {', '.join(below)}." if below else ""]
        parts.append(f"No value for the quarter: {', '.join(missing)}." if missing else "")
        return Suggestion(Rag.AMBER, " ".join(p for p in parts if p))
    return Suggestion(Rag.GREEN, "Every measure met its target." if measures else "No measures.")


def _actions(report: dict[str, Any]) -> Suggestion:
    totals = report["actions"]["totals"]
    outstanding, overdue = totals["outstanding"], totals["overdue"]
    said = f"{overdue} of {outstanding} outstanding actions overdue."
    if overdue * 4 > outstanding:
        return Suggestion(Rag.RED, said)
    if overdue:
        return Suggestion(Rag.AMBER, said)
    return Suggestion(Rag.GREEN, "No outstanding action is overdue.")


def _attendance(report: dict[str, Any]) -> Suggestion:
    rate = report["attendance_totals"]["rate"]
    if rate is None:
        return Suggestion(Rag.AMBER, "No register was recorded in the quarter.")
    said = f"Attendance {rate:g}%."
    if rate < 50:
        return Suggestion(Rag.RED, said)
    if rate < 75:
        return Suggestion(Rag.AMBER, said)
    return Suggestion(Rag.GREEN, said)


@dataclass(frozen=True)
class Area:
    key: str
    name: str
    rule: str
    suggest: Callable[[dict[str, Any]], Suggestion]


AREAS = (
    Area(
        "toc",
        "Theory of Change activities",
        "Amber if any activity has not started; otherwise Green.",
        _toc,
    ),
    Area(
        "crest",
        "Crest recommendations",
        "Amber if any recommendation has not started; otherwise Green.",
        _crest,
    ),
    Area(
        "measures",
        "Performance measures",
        "Red if more than half the measures are below target; Amber if any is below target "
        "or has no value for the quarter; otherwise Green.",
        _measures,
    ),
    Area(
        "actions",
        "Actions",
        "Red if more than a quarter of the outstanding actions are overdue; Amber if any is "
        "overdue; otherwise Green.",
        _actions,
    ),
    Area(
        "attendance",
        "Attendance",
        "Red if attendance is below 50%; Amber if below 75% or no register was recorded; "
        "otherwise Green.",
        _attendance,
    ),
)
OVERALL_RULE = "The worst of the five areas' ratings."
