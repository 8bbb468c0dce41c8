"""Writes to the tracker that touch several rows at once."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models, transaction

from core.quarters import Quarter
from core.versioning import EditConflict, save_form
from members.models import Group
from tracker.imports import ImportedValue
from tracker.models import CrestRecommendation, MeasureValue, PerformanceMeasure


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def measure_value_save(
    *,
    measure: PerformanceMeasure,
    quarter: Quarter,
    value: Decimal,
    note: str,
    by,
    version: int | None = None,
) -> tuple[MeasureValue, bool]:
    """Record or correct the measure's value for a quarter; say whether it is new.

    A measure's values are edited as one unit, under the measure's version: every
    value saved moves it on. `version` is the one a page was opened on: a save started
    before somebody else saved a value of the measure is refused (EditConflict), unless
    the quarter already holds exactly what it says.
    """
    with transaction.atomic():
        current = PerformanceMeasure.objects.select_for_update().get(pk=measure.pk)
        if version is not None and version != current.version:
            existing = MeasureValue.objects.filter(
                measure=current, year=quarter.year, quarter=quarter.number
            ).first()
            if existing is None or (existing.value, existing.note) != (value, note):
                raise EditConflict(current)
        saved = MeasureValue.objects.update_or_create(
            measure=measure,
            year=quarter.year,
            quarter=quarter.number,
            defaults={"value": value, "note": note, "updated_by": by},
        )
        current.save(update_fields=["version"])
    measure.version = current.version
    return saved


def measure_values_import(
    *, measure: PerformanceMeasure, rows: list[ImportedValue], by
) -> ImportResult:
    """Save every imported row, or none: one quarter's value each, new or corrected."""
    created = 0
    with transaction.atomic():
        for row in rows:
            _, is_new = measure_value_save(
                measure=measure, quarter=row.quarter, value=row.value, note=row.note, by=by
            )
            created += is_new
    return ImportResult(created=created, updated=len(rows) - created)


def crest_recommendation_save(form) -> bool:
    """Save an edit of a Crest recommendation (`save_form`: EditConflict when stale), and
    flag the group's ToR for revision once the recommendation is achieved. Says whether
    the ToR has just become due."""
    with transaction.atomic():
        return tor_revision_on_achievement(save_form(form))


def tor_revision_on_achievement(recommendation: CrestRecommendation) -> bool:
    """The ToR says: once a recommendation is achieved, the ToR is revised. Says whether
    the group's ToR has just become due; every save of a recommendation calls this."""
    if not recommendation.is_achieved:
        return False
    # A change to the group: an edit of it opened before is now stale.
    return bool(
        Group.objects.filter(pk=recommendation.group_id, tor_revision_due=False).update(
            tor_revision_due=True, version=models.F("version") + 1
        )
    )
