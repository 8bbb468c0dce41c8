"""Redraw the README's pictures of the quarterly SVRP update: the first pages of its PDF.

    .venv/bin/python scripts/update_screenshots.py [--pages 2]

Seeds the demo into a new SQLite file in a temporary folder, on a fixed day so that
the pictures change only when the update's look does, builds the demo working
group's update for the last quarter before that day, and draws the first pages of
its PDF with pypdfium2 (the ``test`` extra) into docs/images/quarterly-update-page-N.png.
The demo has no chair's part: the one drawn here is written for the picture, in the
throwaway database only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
# The day the demo is seeded and the update drawn: 2025-26 Q1 is the quarter before it.
DAY = dt.datetime(2025, 7, 15, 8, 30, tzinfo=dt.UTC)
# Pixels per PDF point: an A4 page (595 × 842 points) as about 890 × 1260 pixels.
SCALE = 1.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2, help="How many pages to draw.")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="vrp-screenshots-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/demo.sqlite3"
    os.environ.setdefault("DEBUG", "True")
    os.environ.setdefault("REQUIRE_SECOND_FACTOR", "False")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vrp_portal.settings")
    sys.path.insert(0, str(ROOT))

    import django
    import time_machine

    django.setup()

    with time_machine.travel(DAY, tick=False):
        pdf = demo_pdf()
    IMAGES.mkdir(parents=True, exist_ok=True)
    for path in draw_pages(pdf, args.pages):
        print(f"Wrote {path.relative_to(ROOT)}")
    Path(folder, "demo.sqlite3").unlink(missing_ok=True)
    Path(folder).rmdir()


def demo_pdf() -> bytes:
    """The PDF of the demo working group's update for the last quarter, as downloaded."""
    from django.core.management import call_command

    from core.quarters import Quarter
    from members.models import Group
    from tracker.report import report_build
    from tracker.report_versions import render_file

    call_command("migrate", verbosity=0)
    call_command("seed_demo", force=True, stdout=io.StringIO())
    group = Group.objects.default_working_group()
    quarter = Quarter.current().previous()
    draft_chairs_part(group, quarter)
    return render_file(report_build(group=group, quarter=quarter), "pdf")


def draft_chairs_part(group, quarter) -> None:
    from tracker.models import DraftRisk, QuarterlyDraft
    from tracker.rag import Rag

    draft, made = QuarterlyDraft.objects.get_or_create(
        group=group,
        year=quarter.year,
        quarter=quarter.number,
        defaults={
            "summary": "The group met as planned. Overdue actions are the main concern: "
            "their owners have agreed new dates.",
            "achievements": "Campaign toolkit shared with every partner.\n"
            "Brand guidelines adopted across the partnership.",
            "next_quarter": "Refresh the Theory of Change activities for 2025-26.\n"
            "Plan the winter campaign with the community safety partnerships.",
            "asks": "Decision: agree the winter campaign's key messages.\n"
            "Ask: each partner names a communications contact for the campaign.",
            "actions_rag": Rag.AMBER,
            "actions_reason": "Every overdue action has a new date agreed with its owner.",
        },
    )
    if made:
        DraftRisk.objects.create(
            draft=draft,
            text="Campaign budget for 2025-26 not yet confirmed",
            rag=Rag.AMBER,
            owner="VRU Manager",
        )


def draw_pages(pdf: bytes, pages: int) -> list[Path]:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    written = []
    for index in range(min(pages, len(document))):
        path = IMAGES / f"quarterly-update-page-{index + 1}.png"
        picture = document[index].render(scale=SCALE).to_pil()
        picture.save(path, optimize=True)
        written.append(path)
    document.close()
    return written


if __name__ == "__main__":
    main()
