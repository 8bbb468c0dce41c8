"""A measure's trend as a PNG line chart, for the Word and PDF files of the update.

The same chart as the SVG the HTML pages draw (tracker/chart.py): its size,
margins, colours, axis steps and labels, drawn with Pillow at twice the size
so that it prints sharp, in the Liberation Sans the PDF embeds (static/fonts/).

Pillow draws lines without smoothing, so each colour is drawn larger again on a
greyscale layer, which is shrunk and laid on the picture in that colour, in the
order the SVG draws them. One greyscale layer holds a quarter of what the whole
chart drawn large in full colour would: a download's memory stays low.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Iterator
from contextlib import contextmanager

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
# What a layer's pixel holds where its colour is drawn in full.
DRAWN = 255

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


@contextmanager
def _in_colour(
    image: Image.Image, layer: Image.Image, colour: str
) -> Iterator[ImageDraw.ImageDraw]:
    """Draw on `layer`, a greyscale image SMOOTHING times the size of `image`, then lay
    it on `image` in `colour`, each SMOOTHING × SMOOTHING pixels averaged into one (how
    grey a pixel is says how much of the colour shows), and clear it for the next colour."""
    yield ImageDraw.Draw(layer)
    image.paste(colour, mask=layer.reduce(SMOOTHING))
    layer.paste(0, (0, 0, *layer.size))


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
    image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), "#ffffff")
    # One layer for every colour in turn: a new one each time would each take fresh memory.
    layer = Image.new("L", (image.width * SMOOTHING, image.height * SMOOTHING), 0)
    ticks = [low + tick * step for tick in range(round((high - low) / step) + 1)]

    def x(index: int) -> float:
        return (LEFT + (index + 0.5) * plot_w / len(points)) * unit

    def y(value: float) -> float:
        return (TOP + (high - value) / (high - low) * plot_h) * unit

    def text(draw, at: tuple[float, float], words: str, *, size: int, anchor: str) -> None:
        draw.text((at[0] * unit, at[1] * unit), words, font=_font(size), fill=DRAWN, anchor=anchor)

    def rule(draw, value: float) -> None:
        ty = y(value)
        draw.line([(LEFT * unit, ty), ((WIDTH - RIGHT) * unit, ty)], fill=DRAWN, width=unit)

    with _in_colour(image, layer, GRID) as draw:
        for value in ticks:
            if value != 0:
                rule(draw, value)
    # The zero line is drawn in ink, as the SVG draws it.
    with _in_colour(image, layer, INK) as draw:
        for value in ticks:
            if value == 0:
                rule(draw, value)
            label = figure(int(value) if float(value).is_integer() else round(value, 2))
            text(draw, (LEFT - 8, y(value) / unit + 4), label, size=12, anchor="rs")
    if target is not None:
        with _in_colour(image, layer, TARGET) as draw:
            ty = y(float(target))
            start, end = LEFT * unit, (WIDTH - RIGHT) * unit
            dash, gap = 8 * unit, 5 * unit
            while start < end:
                draw.line([(start, ty), (min(start + dash, end), ty)], fill=DRAWN, width=2 * unit)
                start += dash + gap
            text(
                draw,
                (WIDTH - RIGHT, ty / unit - 6),
                f"Target {figure(target)}",
                size=12,
                anchor="rs",
            )
    coordinates = [(x(i), y(v)) for i, v in enumerate(numbers)]
    radius = 5 * unit
    with _in_colour(image, layer, LINE) as draw:
        if len(coordinates) > 1:
            draw.line(coordinates, fill=DRAWN, width=3 * unit, joint="curve")
        for px, py in coordinates:
            draw.ellipse((px - radius, py - radius, px + radius, py + radius), fill=DRAWN)
    years = [label.partition(" ")[0] for label, _ in points]
    baseline = HEIGHT - BOTTOM + 20
    with _in_colour(image, layer, INK) as draw:
        for index, ((label, value), (px, py)) in enumerate(zip(points, coordinates, strict=True)):
            text(draw, (px / unit, py / unit - 10), figure(value), size=11, anchor="ms")
            year, _, quarter = label.partition(" ")
            text(draw, (px / unit, baseline), quarter, size=11, anchor="ms")
            if _starts_year(years, index):
                text(draw, (px / unit, baseline + 14), year, size=11, anchor="ms")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
