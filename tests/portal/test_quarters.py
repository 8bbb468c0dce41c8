import datetime as dt

import pytest

from core.quarters import Quarter


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (dt.date(2024, 3, 31), "2023-24 Q4"),
        (dt.date(2024, 4, 1), "2024-25 Q1"),
        (dt.date(2024, 6, 30), "2024-25 Q1"),
        (dt.date(2024, 7, 1), "2024-25 Q2"),
        (dt.date(2023, 12, 31), "2023-24 Q3"),
        (dt.date(2024, 1, 1), "2023-24 Q4"),
        (dt.date(2099, 10, 1), "2099-00 Q3"),
    ],
)
def test_it_finds_the_quarter_of_a_date(day, label):
    assert Quarter.from_date(day).label == label


def test_it_takes_the_date_of_a_datetime():
    assert Quarter.from_date(dt.datetime(2024, 4, 1, 0, 5)) == Quarter(2024, 1)


def test_q3_2023_24_is_october_to_december_2023():
    quarter = Quarter.parse("2023-24 Q3")

    assert (quarter.start, quarter.end) == (dt.date(2023, 10, 1), dt.date(2023, 12, 31))
    assert quarter.months == "October–December 2023"


def test_q4_runs_from_january_to_31_march():
    quarter = Quarter(2023, 4)

    assert (quarter.start, quarter.end) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert dt.date(2024, 3, 31) in quarter
    assert dt.date(2024, 4, 1) not in quarter


def test_a_leap_year_february_is_inside_q4():
    assert dt.date(2024, 2, 29) in Quarter(2023, 4)


@pytest.mark.parametrize(
    ("quarter", "previous", "following"),
    [
        (Quarter(2024, 1), Quarter(2023, 4), Quarter(2024, 2)),
        (Quarter(2023, 4), Quarter(2023, 3), Quarter(2024, 1)),
        (Quarter(2023, 3), Quarter(2023, 2), Quarter(2023, 4)),
    ],
)
def test_it_steps_across_year_boundaries(quarter, previous, following):
    assert quarter.previous() == previous
    assert quarter.next() == following
    assert quarter.next().previous() == quarter


def test_it_formats_and_parses_both_forms():
    quarter = Quarter(2024, 1)

    assert str(quarter) == "2024-25 Q1"
    assert quarter.slug == "2024-25/q1"
    assert Quarter.parse("2024-25 Q1") == quarter
    assert Quarter.parse(" 2024-25 q1 ") == quarter
    assert Quarter.from_slugs("2024-25", "q1") == quarter
    assert Quarter(1999, 4).label == "1999-00 Q4"


@pytest.mark.parametrize("label", ["2024-26 Q1", "2024-25 Q5", "2024 Q1", "", "Q1 2024-25"])
def test_it_refuses_what_is_not_a_quarter(label):
    with pytest.raises(ValueError):
        Quarter.parse(label)


def test_it_refuses_a_bad_url_form():
    with pytest.raises(ValueError):
        Quarter.from_slugs("2024-25", "q0")
    with pytest.raises(ValueError):
        Quarter.from_slugs("2024-2025", "q1")


def test_quarters_sort_in_time_order():
    assert sorted([Quarter(2024, 1), Quarter(2023, 4), Quarter(2023, 1)]) == [
        Quarter(2023, 1),
        Quarter(2023, 4),
        Quarter(2024, 1),
    ]
    assert Quarter(2024, 2).same_quarter_last_year() == Quarter(2023, 2)
