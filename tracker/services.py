"""Writes to the tracker that touch several rows at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, models, transaction

from core.quarters import Quarter
from core.versioning import EditConflict, save_form
from members.models import Group
from tracker.imports import ImportedValue
from tracker.models import (
    CrestRecommendation,
    DraftRisk,
    MeasureValue,
    PerformanceMeasure,
    QuarterlyDraft,
)

if TYPE_CHECKING:
    from tracker.draft_forms import QuarterlyDraftForm, RiskRow


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


def draft_save(*, form: QuarterlyDraftForm, risks: Sequence[RiskRow], by) -> QuarterlyDraft:
    """Save the chair's draft of a quarter (a valid `QuarterlyDraftForm`) and its risks and
    issues, in the page's order, as one unit: who saved it and when, and a new version.

    A draft saved by somebody else since the page was opened (or created, when the page
    was opened on none) is refused with EditConflict; a page that matches the draft as it
    is now changes nothing, so sending it twice is not a conflict. A stored risk the page
    no longer lists is taken out of the draft: marked removed, never deleted.
    """
    draft = form.instance
    with transaction.atomic():
        if draft._state.adding:
            return _draft_create(form=form, risks=risks, by=by)
        current = QuarterlyDraft.objects.select_for_update().get(pk=draft.pk)
        stored = list(current.listed_risks())
        if not form.has_changed() and _same_risks(stored, risks):
            return current
        if current.version != form.cleaned_data["version"]:
            raise EditConflict(current)
        draft = form.save(commit=False)
        draft.updated_by = by
        draft.save()
        _risks_save(draft, stored, risks)
    return draft


def _draft_create(*, form: QuarterlyDraftForm, risks: Sequence[RiskRow], by) -> QuarterlyDraft:
    draft = form.save(commit=False)
    draft.updated_by = by
    try:
        with transaction.atomic():
            draft.save()
    except IntegrityError:
        # Somebody else saved the quarter's first draft since this page was opened.
        taken = QuarterlyDraft.objects.filter(
            group=draft.group_id, year=draft.year, quarter=draft.quarter
        ).first()
        if taken is None:
            raise
        raise EditConflict(taken) from None
    _risks_save(draft, [], risks)
    return draft


def _same_risks(stored: list[DraftRisk], rows: Sequence[RiskRow]) -> bool:
    return [(r.pk, r.text, r.rag, r.owner) for r in stored] == [
        (row.pk, row.text, row.rag, row.owner) for row in rows
    ]


def _risks_save(draft: QuarterlyDraft, stored: list[DraftRisk], rows: Sequence[RiskRow]) -> None:
    """Make the draft's risks the `rows`, in order: a row naming one of the draft's stored
    risks edits it, any other row is a new risk, and stored risks not named are taken out
    of the draft (marked removed, never deleted)."""
    by_pk = {risk.pk: risk for risk in stored}
    for order, row in enumerate(rows):
        risk = by_pk.pop(row.pk, None) if row.pk else None
        if risk is None:
            DraftRisk.objects.create(
                draft=draft, text=row.text, rag=row.rag, owner=row.owner, order=order
            )
        elif (risk.text, risk.rag, risk.owner, risk.order) != (row.text, row.rag, row.owner, order):
            risk.text, risk.rag, risk.owner, risk.order = row.text, row.rag, row.owner, order
            risk.save()
    for risk in by_pk.values():
        risk.removed = True
        risk.save(update_fields=["removed"])
