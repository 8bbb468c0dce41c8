"""Seed --scale 10 into a fresh database and time the main pages, with their query counts.

    .venv/bin/python scripts/benchmark.py [--scale N] [--keep]

Uses a new SQLite file in a temporary folder unless DATABASE_URL is set (then
that database is migrated and seeded: give it an empty one). Prints figures
only; the query budgets themselves are pinned by the test suite.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="Keep the SQLite file afterwards.")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="vrp-benchmark-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/benchmark.sqlite3")
    os.environ.setdefault("DEBUG", "True")
    # The demo's accounts have no second factor: measure the pages as `make run` serves them.
    os.environ.setdefault("REQUIRE_SECOND_FACTOR", "False")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vrp_portal.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()

    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", scale=args.scale, force=True, stdout=io.StringIO())
    print(f"Seeded --scale {args.scale} in {time.monotonic() - started:.1f} s.")
    report(pages())
    if not args.keep and os.environ["DATABASE_URL"].startswith(f"sqlite:///{folder}"):
        Path(folder, "benchmark.sqlite3").unlink(missing_ok=True)
        Path(folder).rmdir()


def pages() -> list[tuple[str, str]]:
    """(who, path) for each page measured."""
    from django.utils import timezone

    from core.quarters import Quarter
    from meetings.models import Meeting

    meeting = (
        Meeting.objects.held()
        .filter(group__name="Communications Working Group", starts_at__lt=timezone.now())
        .order_by("-starts_at")
        .first()
    )
    latest = Quarter.current().previous()
    return [
        ("staff@example.org", "/meetings/"),
        ("staff@example.org", "/actions/"),
        ("member@example.org", "/actions/mine/"),
        ("staff@example.org", f"/meetings/{meeting.pk}/"),
        ("chair@example.org", f"/reports/quarterly/{latest.slug}/"),
    ]


def report(measured: list[tuple[str, str]]) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    print(f"{'page':<36} {'as':<20} {'status':>6} {'queries':>8} {'ms':>8}")
    for email, path in measured:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(get_user_model().objects.get(email=email))
        client.get(path)  # warm the template and URL caches
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
        print(
            f"{path:<36} {email.split('@')[0]:<20} {response.status_code:>6} "
            f"{len(queries):>8} {elapsed:>8.0f}"
        )


if __name__ == "__main__":
    main()
