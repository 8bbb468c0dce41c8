"""Writes to the tracker that touch several rows at once."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from tracker.imports import ImportedValue
from tracker.models import MeasureValue, PerformanceMeasure
from vrp_portal.quarters import Quarter


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def measure_value_save(
    *, measure: PerformanceMeasure, quarter: Quarter, value: Decimal, note: str, by
) -> tuple[MeasureValue, bool]:
    """Record or correct the measure's value for a quarter; say whether it is new."""
    return MeasureValue.objects.update_or_create(
        measure=measure,
        year=quarter.year,
        quarter=quarter.number,
        defaults={"value": value, "note": note, "updated_by": by},
    )


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
