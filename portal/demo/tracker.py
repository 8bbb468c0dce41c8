"""The Comms Working Group's tracker: quarterly website views against a target, and
progress on its ToC activities and Crest recommendation.

Rows the ToR loaded are touched only while nobody has: a status already moved on,
or a target already set, is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from members.models import Group
from portal.demo.accounts import staff_user
from portal.demo.content import (
    CREST_EVIDENCE,
    MEASURE_NOTES_DOWN,
    MEASURE_NOTES_UP,
    TOC_STATUSES,
)
from portal.demo.dates import at, quarters
from tracker.models import CrestRecommendation, MeasureValue, PerformanceMeasure, ToCActivity

WEBSITE_VIEWS = "4.1.1.a"
MEASURE_TARGET = Decimal(5000)


def track_progress(group: Group, rng: random.Random, *, today: dt.date, created: Counter) -> None:
    """Quarterly website views, a target, and progress on the ToC and Crest rows."""
    staff = staff_user()
    for code, status in TOC_STATUSES.items():
        ToCActivity.objects.filter(code=code, status=ToCActivity.Status.NOT_STARTED).update(
            status=status
        )
    for recommendation in CrestRecommendation.objects.filter(
        group=group, status=CrestRecommendation.Status.NOT_STARTED
    ):
        recommendation.status = CrestRecommendation.Status.IN_PROGRESS
        recommendation.evidence = CREST_EVIDENCE
        recommendation.save()

    measure = PerformanceMeasure.objects.filter(code=WEBSITE_VIEWS).first()
    if measure is None:
        return
    if measure.target is None:
        measure.target = MEASURE_TARGET
        measure.save(update_fields=["target"])
    midnight = at(today, dt.time(0, 0))
    previous = None
    for index, quarter in enumerate(q for q in quarters() if q.end < today):
        views = round(2400 * 1.08**index + rng.randint(-350, 350))
        notes = (
            MEASURE_NOTES_DOWN if previous is not None and views < previous else MEASURE_NOTES_UP
        )
        previous = views
        value, made = MeasureValue.objects.get_or_create(
            measure=measure,
            year=quarter.year,
            quarter=quarter.number,
            defaults={"value": Decimal(views), "note": rng.choice(notes), "updated_by": staff},
        )
        if made:
            # Entered a fortnight after the quarter closed.
            entered = at(quarter.end + dt.timedelta(days=14), dt.time(11, 0))
            MeasureValue.objects.filter(pk=value.pk).update(updated_at=min(entered, midnight))
            created["measure_values"] += 1
