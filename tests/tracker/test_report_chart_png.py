"""The trend chart of the Word and PDF files: the page's colours, drawn with smooth edges."""

import io

from PIL import Image, ImageColor

from tracker.chart import GRID, INK, LINE, TARGET
from tracker.chart_png import trend_png

POINTS = [("2024-25 Q1", 3), ("2024-25 Q2", 8), ("2024-25 Q3", 5), ("2024-25 Q4", 9)]


def colours_of(png: bytes) -> dict[tuple[int, int, int], int]:
    picture = Image.open(io.BytesIO(png))
    assert picture.mode == "RGB"
    return {colour: count for count, colour in picture.getcolors(picture.width * picture.height)}


def test_the_chart_is_drawn_in_the_pages_colours():
    colours = colours_of(trend_png(POINTS, target=6))

    for name in (INK, GRID, LINE, TARGET):
        assert colours.get(ImageColor.getrgb(name), 0) > 100, name
    assert max(colours, key=colours.get) == (255, 255, 255)


def test_the_line_has_smooth_edges():
    colours = colours_of(trend_png(POINTS, target=None))
    line = ImageColor.getrgb(LINE)

    def share_of_line(colour: tuple[int, int, int]) -> float | None:
        """How much of the line's colour a pixel over white shows, if it shows only that."""
        shares = [(255 - c) / (255 - ink) for c, ink in zip(colour, line, strict=True)]
        return shares[0] if max(shares) - min(shares) < 0.05 else None

    shades = {round(share, 1) for c in colours if (share := share_of_line(c)) is not None}
    # Shades between the line's colour and the white around it soften its edges.
    assert {0.2, 0.5, 0.8} <= shades
    assert ImageColor.getrgb(TARGET) not in colours
