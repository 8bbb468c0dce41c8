"""A measure's trend as an SVG line chart, drawn on the server.

No script and no style attributes (the CSP allows neither): only SVG
presentation attributes. The same numbers are always shown in a table beside
the chart, for screen readers and for anyone who prefers figures.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tracker.report_layout import figure

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 24, 56
INK, GRID, LINE, TARGET = "#1f1f1f", "#d4d4d4", "#3b1f5c", "#a3122b"


def _nice_step(span: float) -> float:
    """A round step (1, 2 or 5 × 10ⁿ) that cuts `span` into about four intervals."""
    raw = span / 4
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power


def _starts_year(years: list[str], index: int) -> bool:
    """Whether the point at `index` is labelled with its financial year.

    The first point is, unless the next one starts a new year: two year labels
    side by side would run together.
    """
    if index == 0:
        return len(years) == 1 or years[1] == years[0]
    return years[index] != years[index - 1]


def trend_chart(
    points: list[tuple[str, Decimal]], *, target: Decimal | None, title: str, chart_id: str
) -> SafeString:
    """A line chart of `points` (quarter label, value), oldest first, with the target dashed."""
    if not points:
        return mark_safe("")  # noqa: S308 - nothing to draw
    numbers = [float(value) for _, value in points]
    scale = numbers + ([float(target)] if target is not None else [])
    low, high = min(0.0, *scale), max(scale)
    if high == low:
        high = low + 1
    step = _nice_step(high - low)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(index: int) -> float:
        return LEFT + (index + 0.5) * plot_w / len(points)

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * plot_h

    first, last = points[0][0], points[-1][0]
    description = (
        f"{len(points)} quarterly values from {first} to {last}"
        + (f", against a target of {figure(target)}" if target is not None else "")
        + ". The same figures are in the table below."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="trend-chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    ticks = round((high - low) / step)
    for tick in range(ticks + 1):
        value = low + tick * step
        ty = y(value)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" '
            f'stroke="{INK if value == 0 else GRID}" stroke-width="1"/>'
        )
        label = figure(int(value) if float(value).is_integer() else round(value, 2))
        parts.append(
            f'<text x="{LEFT - 8}" y="{ty + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{INK}">{escape(label)}</text>'
        )
    if target is not None:
        ty = y(float(target))
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" '
            f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="8 5"/>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT}" y="{ty - 6:.1f}" text-anchor="end" font-size="12" '
            f'fill="{TARGET}">Target {escape(figure(target))}</text>'
        )
    coordinates = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(numbers))
    if len(points) > 1:
        parts.append(
            f'<polyline points="{coordinates}" fill="none" stroke="{LINE}" stroke-width="3"/>'
        )
    years = [label.partition(" ")[0] for label, _ in points]
    for index, (label, value) in enumerate(points):
        px, py = x(index), y(float(value))
        year, _, quarter = label.partition(" ")
        parts.append(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="5" fill="{LINE}">'
            f"<title>{escape(label)}: {escape(figure(value))}</title></circle>"
        )
        parts.append(
            f'<text x="{px:.1f}" y="{py - 10:.1f}" text-anchor="middle" font-size="11" '
            f'fill="{INK}">{escape(figure(value))}</text>'
        )
        # The quarter under every point, its financial year only where the year changes:
        # twelve "2024-25" labels side by side would run together.
        axis = f'<tspan x="{px:.1f}">{escape(quarter)}</tspan>'
        if _starts_year(years, index):
            axis += f'<tspan x="{px:.1f}" dy="14">{escape(year)}</tspan>'
        parts.append(
            f'<text x="{px:.1f}" y="{HEIGHT - BOTTOM + 20}" text-anchor="middle" font-size="11" '
            f'fill="{INK}">{axis}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
