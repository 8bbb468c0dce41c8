"""A measure's trend as a PNG line chart, for the Word and PDF files of the update.

The same chart as the SVG the HTML pages draw (tracker/chart.py): its size,
margins, colours, axis steps and labels, drawn with Pillow at twice the size
so that it prints sharp, in the Liberation Sans the PDF embeds (static/fonts/).
"""

from __future__ import annotations

import functools
import io
import math

from PIL import Image, ImageDraw, ImageFont

from core.documents import REGULAR
from tracker.chart import (
    BOTTOM,
    GRID,
    HEIGHT,
    INK,
    LEFT,
    LINE,
    RIGHT,
    TARGET,
    TOP,
    WIDTH,
    _nice_step,
    _starts_year,
)
from tracker.report_layout import figure

# Pixels of the PNG to one unit of the SVG's viewBox.
SCALE = 2
# Drawn this many times larger again, then shrunk: Pillow draws lines without smoothing.
SMOOTHING = 2

Number = int | float


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(REGULAR), size * SCALE * SMOOTHING)


def axis_scale(numbers: list[float]) -> tuple[float, float, float]:
    """(low, high, step) of the value axis: from 0 or below, in round steps, as the SVG."""
    low, high = min(0.0, *numbers), max(numbers)
    if high == low:
        high = low + 1
    step = _nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def trend_png(points: list[tuple[str, Number]], *, target: Number | None) -> bytes:
    """A line chart of `points` (quarter label, value), oldest first, with the target dashed.

    Takes what `tracker.chart.trend_chart` takes; a chart of no point is refused.
    """
    if not points:
        raise ValueError("A trend chart needs at least one value.")
    numbers = [float(value) for _, value in points]
    low, high, step = axis_scale(numbers + ([float(target)] if target is not None else []))
    unit = SCALE * SMOOTHING
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    image = Image.new("RGB", (WIDTH * unit, HEIGHT * unit), "#ffffff")
    draw = ImageDraw.Draw(image)

    def x(index: int) -> float:
        return (LEFT + (index + 0.5) * plot_w / len(points)) * unit

    def y(value: float) -> float:
        return (TOP + (high - value) / (high - low) * plot_h) * unit

    def text(at: tuple[float, float], words: str, *, size: int, fill: str, anchor: str) -> None:
        draw.text((at[0] * unit, at[1] * unit), words, font=_font(size), fill=fill, anchor=anchor)

    for tick in range(round((high - low) / step) + 1):
        value = low + tick * step
        ty = y(value)
        colour = INK if value == 0 else GRID
        draw.line([(LEFT * unit, ty), ((WIDTH - RIGHT) * unit, ty)], fill=colour, width=unit)
        label = figure(int(value) if float(value).is_integer() else round(value, 2))
        text((LEFT - 8, ty / unit + 4), label, size=12, fill=INK, anchor="rs")
    if target is not None:
        ty = y(float(target))
        start, end = LEFT * unit, (WIDTH - RIGHT) * unit
        dash, gap = 8 * unit, 5 * unit
        while start < end:
            draw.line([(start, ty), (min(start + dash, end), ty)], fill=TARGET, width=2 * unit)
            start += dash + gap
        text(
            (WIDTH - RIGHT, ty / unit - 6),
            f"Target {figure(target)}",
            size=12,
            fill=TARGET,
            anchor="rs",
        )
    coordinates = [(x(i), y(v)) for i, v in enumerate(numbers)]
    if len(coordinates) > 1:
        draw.line(coordinates, fill=LINE, width=3 * unit, joint="curve")
    years = [label.partition(" ")[0] for label, _ in points]
    radius = 5 * unit
    for index, ((label, value), (px, py)) in enumerate(zip(points, coordinates, strict=True)):
        draw.ellipse((px - radius, py - radius, px + radius, py + radius), fill=LINE)
        text((px / unit, py / unit - 10), figure(value), size=11, fill=INK, anchor="ms")
        year, _, quarter = label.partition(" ")
        baseline = HEIGHT - BOTTOM + 20
        text((px / unit, baseline), quarter, size=11, fill=INK, anchor="ms")
        if _starts_year(years, index):
            text((px / unit, baseline + 14), year, size=11, fill=INK, anchor="ms")
    image = image.resize((WIDTH * SCALE, HEIGHT * SCALE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
