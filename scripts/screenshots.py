"""Pictures of the portal's key pages as each demo role sees them, for the README.

    make screenshots        (or: .venv/bin/python scripts/screenshots.py)

Seeds the demo into a new SQLite file in a temporary folder (migrate, load_tor,
seed_demo, as `make run` does), serves it with runserver, signs in through the sign-in
page as VRU staff, the chair and a member in Debian's Chromium (Playwright, never a
downloaded browser) and saves each page 1,280 and 320 CSS pixels wide as
docs/screenshots/<role>-<page>-<width>.png. A long page is cut at MAX_HEIGHTS, and each
picture is reduced to 256 colours: the folder stays a few megabytes. Pictures this run
did not write (a page since renamed) are removed.

The demo's data follows today's date, so the pictures show the portal as it is today.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "docs" / "screenshots"
WIDTHS = (1280, 320)
# The window's height: what a page shorter than a screen is drawn down to.
HEIGHTS = {1280: 800, 320: 640}
# A longer page is cut at this height, about four screens of the desk and three of the
# phone: enough to show its shape, without megabytes of table.
MAX_HEIGHTS = {1280: 3200, 320: 1920}
# Each demo role's sign-in (seed_demo prints them; README.md lists them).
ACCOUNTS = {
    "staff": "staff@example.org",
    "chair": "chair@example.org",
    "member": "member@example.org",
}
SERVER_START_SECONDS = 60


@dataclass(frozen=True)
class Shot:
    role: str  # a key of ACCOUNTS, or "public" for a page seen before signing in
    name: str
    url: str


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="vrp-screenshots-"))
    environment = os.environ | {
        "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3",
        "DEBUG": "True",
        "REQUIRE_SECOND_FACTOR": "False",
        "DJANGO_SETTINGS_MODULE": "vrp_portal.settings",
    }
    try:
        print("Seeding the demo into a scratch database…", flush=True)
        shots, password = seed(environment)
        with serve(environment, folder) as base_url:
            written = take(shots, base_url, password)
        remove_stale(written)
        total = sum(path.stat().st_size for path in written)
        print(
            f"Saved {len(written)} pictures in {FOLDER.relative_to(ROOT)}/ ({total / 1e6:.1f} MB)."
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def seed(environment: dict[str, str]) -> tuple[list[Shot], str]:
    """Seed the demo as `make run` does; return the pages to draw and the demo password."""
    os.environ.update(environment)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from portal.demo import PASSWORD

    # The security log writes a line for each demo account's role: noise here.
    logging.disable(logging.CRITICAL)
    quiet = io.StringIO()
    call_command("migrate", verbosity=0)
    call_command("load_tor", stdout=quiet)
    call_command("seed_demo", stdout=quiet)
    logging.disable(logging.NOTSET)
    shots = pages()
    # runserver opens the file next: leave nothing open on it.
    connections.close_all()
    return shots, PASSWORD


def pages() -> list[Shot]:
    """The key pages, each as the role that works there, with the demo's own rows."""
    from django.urls import reverse

    from core.quarters import Quarter
    from meetings.models import Meeting
    from members.models import Group

    group = Group.objects.default_working_group()
    meeting = Meeting.objects.for_group(group).held().order_by("-starts_at").first()
    # The last whole quarter: the running one has barely begun in the demo's figures.
    quarter = Quarter.current().previous()
    update = reverse("reports:quarterly", args=[quarter.fy_label, f"q{quarter.number}"])
    return [
        Shot("public", "sign-in", reverse("account_login")),
        Shot("public", "accessibility-statement", reverse("accessibility")),
        Shot("staff", "dashboard", reverse("dashboard")),
        Shot("staff", "meeting", reverse("meetings:detail", args=[meeting.pk])),
        Shot("staff", "register", reverse("meetings:register", args=[meeting.pk])),
        Shot("staff", "action-log", reverse("actions:list")),
        Shot("staff", "tracker", reverse("tracker:index")),
        Shot("staff", "tor", reverse("tor:group", args=[group.pk])),
        Shot("staff", "distribution-list", reverse("members:distribution_list")),
        Shot("chair", "dashboard", reverse("dashboard")),
        Shot("chair", "quarterly-update", f"{update}?group={group.pk}"),
        Shot("member", "dashboard", reverse("dashboard")),
        Shot("member", "my-actions", reverse("actions:mine")),
        Shot("member", "meeting", reverse("meetings:detail", args=[meeting.pk])),
    ]


@contextmanager
def serve(environment: dict[str, str], folder: Path) -> Iterator[str]:
    """runserver on a free port, as `make run` serves the demo, while the block runs."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = folder / "runserver.log"
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 (fixed arguments, no shell)
            command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_for(base_url, server, log)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def wait_for(base_url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline and server.poll() is None:
        try:
            # The address is built above: http to the local server only.
            with urllib.request.urlopen(f"{base_url}/healthz/", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"The portal did not start:\n{log.read_text()}")


def take(shots: list[Shot], base_url: str, password: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, HOW_TO_ENABLE

    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        sys.exit(f"Chromium is missing at {CHROMIUM}. {HOW_TO_ENABLE}")
    FOLDER.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        # Dates in form fields as the partnership writes them (dd/mm/yyyy).
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[*CHROMIUM_ARGS, "--lang=en-GB"],
            env={**os.environ, "LANG": "en_GB.UTF-8", "LANGUAGE": "en_GB"},
        )
        for role in ["public", *ACCOUNTS]:
            context = browser.new_context(base_url=base_url, locale="en-GB")
            context.set_default_timeout(30_000)
            page = context.new_page()
            if role in ACCOUNTS:
                sign_in(page, ACCOUNTS[role], password)
            for shot in (shot for shot in shots if shot.role == role):
                for width in WIDTHS:
                    path = FOLDER / f"{shot.role}-{shot.name}-{width}.png"
                    draw(page, shot.url, width, path)
                    written.append(path)
                    print(f"  {path.relative_to(ROOT)} ({path.stat().st_size // 1000} kB)")
            context.close()
        browser.close()
    return written


def sign_in(page, email: str, password: str) -> None:
    """Through the sign-in page, as a person would (the demo asks no second factor)."""
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/2fa/" in page.url:
        sys.exit(f"{email} was asked for a second factor: is REQUIRE_SECOND_FACTOR off?")


def draw(page, url: str, width: int, path: Path) -> None:
    """The page `width` pixels wide, whole down to MAX_HEIGHTS, in 256 colours."""
    from PIL import Image

    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
    page.goto(url)
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHTS[width])
    picture = page.screenshot(
        full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height}
    )
    image = Image.open(io.BytesIO(picture)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def remove_stale(written: list[Path]) -> None:
    for path in FOLDER.glob("*.png"):
        if path not in written:
            path.unlink()
            print(f"  removed {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
