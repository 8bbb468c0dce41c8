import re
from decimal import Decimal

from core.quarters import Quarter
from tracker.chart import trend_chart


def test_it_draws_a_point_and_a_label_per_quarter_and_the_target():
    svg = trend_chart(
        [("2024-25 Q1", Decimal(800)), ("2024-25 Q2", Decimal(1250))],
        target=Decimal(1000),
        title="Trend of 4.1.1.a",
        chart_id="c",
    )

    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<circle") == 2
    assert "<polyline" in svg
    assert 'stroke-dasharray="8 5"' in svg
    assert "Target 1,000" in svg
    assert "<title>2024-25 Q2: 1,250</title>" in svg
    assert "style" not in svg


def test_it_escapes_every_text():
    svg = trend_chart(
        [("<b>2024-25</b> Q1", Decimal(1))], target=None, title='Views & "visits"', chart_id="c"
    )

    assert "<b>" not in svg
    assert "Views &amp; &quot;visits&quot;" in svg
    assert "<polyline" not in svg  # one point makes no line


def test_it_draws_nothing_without_values():
    assert trend_chart([], target=None, title="Empty", chart_id="c") == ""


def test_it_scales_below_zero_for_negative_values():
    svg = trend_chart(
        [("2024-25 Q1", Decimal(-20)), ("2024-25 Q2", Decimal(30))],
        target=None,
        title="Net change",
        chart_id="c",
    )

    assert ">-20<" in svg
    assert ">0<" in svg


def axis_labels(svg: str) -> list[str]:
    return re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)


def test_the_axis_names_each_financial_year_once_so_labels_never_run_together():
    quarters = [Quarter(2023, 3)]
    while len(quarters) < 12:
        quarters.append(quarters[-1].next())

    svg = trend_chart(
        [(q.label, Decimal(i)) for i, q in enumerate(quarters)],
        target=None,
        title="t",
        chart_id="c",
    )

    labels = axis_labels(svg)
    assert [label for label in labels if label.startswith("Q")] == [
        f"Q{q.number}" for q in quarters
    ]
    assert [label for label in labels if not label.startswith("Q")] == [
        "2023-24",
        "2024-25",
        "2025-26",
        "2026-27",
    ]


def test_a_first_point_next_to_a_new_year_leaves_its_year_to_the_next():
    svg = trend_chart(
        [("2023-24 Q4", Decimal(1)), ("2024-25 Q1", Decimal(2))],
        target=None,
        title="t",
        chart_id="c",
    )

    assert axis_labels(svg) == ["Q4", "Q1", "2024-25"]
