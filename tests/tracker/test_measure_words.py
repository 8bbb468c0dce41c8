"""A measure's direction and status against target, in words read with its polarity."""

from decimal import Decimal

import pytest

from tracker.models import PerformanceMeasure

HIGHER = PerformanceMeasure.Polarity.HIGHER_IS_BETTER
LOWER = PerformanceMeasure.Polarity.LOWER_IS_BETTER


@pytest.mark.parametrize(
    ("polarity", "value", "previous", "words"),
    [
        (HIGHER, 10, 5, "Up (improving)"),
        (HIGHER, 5, 10, "Down (worsening)"),
        (LOWER, 10, 5, "Up (worsening)"),
        (LOWER, 5, 10, "Down (improving)"),
        (HIGHER, 5, 5, "No change"),
        (HIGHER, 5, None, "No previous value"),
        (HIGHER, None, 5, "No value"),
    ],
)
def test_the_direction_is_read_with_the_polarity(polarity, value, previous, words):
    measure = PerformanceMeasure(polarity=polarity)

    assert (
        measure.direction(
            None if value is None else Decimal(value),
            None if previous is None else Decimal(previous),
        )
        == words
    )


@pytest.mark.parametrize(
    ("polarity", "target", "value", "words", "met"),
    [
        (HIGHER, 100, 120, "Above target (met)", True),
        (HIGHER, 100, 80, "Below target (not met)", False),
        (HIGHER, 100, 100, "On target (met)", True),
        (LOWER, 5, 7, "Above target (not met)", False),
        (LOWER, 5, 3, "Below target (met)", True),
        (LOWER, 5, 5, "On target (met)", True),
        (HIGHER, None, 7, "No target", None),
        (HIGHER, 5, None, "No value", None),
    ],
)
def test_the_status_against_target_is_read_with_the_polarity(polarity, target, value, words, met):
    measure = PerformanceMeasure(polarity=polarity, target=target)
    value = None if value is None else Decimal(value)

    assert measure.against_target(value) == words
    assert measure.target_met(value) is met
