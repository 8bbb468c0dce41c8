"""On a phone (320 CSS pixels) the columns a reader comes for stay in sight (WCAG 1.4.10).

The ratings of the quarterly update, the dates actions were due, the attendance
rates and the tracker's statuses sat in tables wider than the screen: the page
scrolled sideways, or the table scrolled inside a box, so the columns on the right
were out of sight. Each table of records now stacks, a card per row, and each test
here finds the first row's cell under a column's heading and asserts that the whole
cell is on screen without scrolling sideways.
"""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.factories import QuarterlyReportFactory
from tests.tracker.fixtures import build_quarter_data

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 320, "height": 640}
V1_REPORT = Path(__file__).parents[1] / "tracker" / "snapshots" / "v1" / "report.json"

# The column of `heading` in the table captioned `caption` (whitespace aside), or -1.
COLUMN = """([caption, heading]) => {
  const squeeze = (text) => text.replace(/\\s+/g, " ").trim();
  const table = [...document.querySelectorAll("table")].find(
    (t) => t.caption && squeeze(t.caption.textContent) === caption);
  if (!table) return -1;
  return [...table.tHead.rows[0].cells].map((cell) => squeeze(cell.textContent)).indexOf(heading);
}"""
# Whether no box that clips its content (a scrolling wrapper) hides part of the element.
UNCLIPPED = """(element) => {
  const box = element.getBoundingClientRect();
  for (let el = element.parentElement; el; el = el.parentElement) {
    if (getComputedStyle(el).overflowX === "visible") continue;
    const frame = el.getBoundingClientRect();
    if (box.left < frame.left - 1 || box.right > frame.right + 1) return false;
  }
  return true;
}"""
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
UNNAMED_SCROLLERS = """() => [...document.body.querySelectorAll("*")]
  .filter((el) => !["TEXTAREA", "SELECT", "INPUT"].includes(el.tagName))
  .filter((el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX))
  .filter((el) => el.scrollWidth > el.clientWidth)
  .filter((el) => !(el.tabIndex >= 0 && el.getAttribute("role") === "region"
    && (el.hasAttribute("aria-labelledby") || el.hasAttribute("aria-label"))))
  .map((el) => el.outerHTML.slice(0, 120))"""


def open_on_a_phone(page, live_server, user, path: str) -> None:
    """Open `path` at 320 CSS pixels, signed in as `user` with the test client's session
    (signing in through the form is tests/browser/test_sign_in.py's job)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {
                "name": cookie.key,
                "value": cookie.value,
                "domain": urlsplit(live_server.url).hostname,
                "path": "/",
                "secure": True,
            }
        ]
    )
    page.set_viewport_size(PHONE)
    page.goto(path)


def first_row_cell(page, caption: str, heading: str):
    """The first row's cell under `heading` in the table captioned `caption`."""
    column = page.evaluate(COLUMN, [caption, heading])
    assert column >= 0, f"No column {heading!r} in the table {caption!r}"
    table = page.locator("table").filter(has=page.locator("caption", has_text=caption))
    return table.locator("tbody > tr").first.locator(":scope > th, :scope > td").nth(column)


def assert_in_sight(element, description: str, *, min_width: float = 1) -> None:
    """The whole of `element` is on a 320 px screen, without scrolling sideways."""
    expect(element).to_be_visible()
    box = element.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
        f"{description} runs from {box['x']:.0f} to {box['x'] + box['width']:.0f} px"
    )
    assert box["width"] >= min_width, f"{description} is only {box['width']:.0f} px wide"
    assert element.evaluate(UNCLIPPED), f"{description} is cut off by a scrolling box"


def assert_no_sideways_scrolling(page) -> None:
    assert page.evaluate(OVERFLOW) <= 0, "The page scrolls sideways"
    assert page.evaluate(UNNAMED_SCROLLERS) == []


def test_the_quarterly_update_keeps_ratings_due_dates_and_rates_in_sight(
    page, live_server, staff_user, working_group
):
    build_quarter_data(working_group)

    open_on_a_phone(
        page, live_server, staff_user, f"/reports/quarterly/2024-25/q1/?group={working_group.pk}"
    )

    for caption, heading in [
        ("Status of each area", "Rating"),
        ("Progress of the Theory of Change activities", "Status"),
        ("Crest Advisory recommendations", "Status"),
        ("Performance Framework, 2024-25 Q1", "Against target"),
        ("Overdue actions as at 30 June 2024", "Due"),
        ("Attendance by agency over the quarter's meetings", "Attendance rate (%)"),
    ]:
        assert_in_sight(first_row_cell(page, caption, heading), f"{caption}: {heading}")
    assert_in_sight(page.locator(".rag-badge").first, "The first rating's badge")
    assert_no_sideways_scrolling(page)


def test_a_version_1_update_scrolls_only_inside_a_named_region(
    page, live_server, staff_user, working_group
):
    """Version 1 draws its tables as it always did; they must not make the page scroll."""
    content = json.loads(V1_REPORT.read_text(encoding="utf-8"))
    QuarterlyReportFactory(
        group=working_group,
        year=content["quarter"]["year"],
        quarter=content["quarter"]["number"],
        content=content,
        finalised_at=content["finalised"]["at"],
    )

    open_on_a_phone(
        page, live_server, staff_user, f"/reports/quarterly/2024-25/q1/?group={working_group.pk}"
    )

    expect(page.get_by_role("region", name="The 2024-25 Q1 update, as finalised")).to_be_visible()
    assert_no_sideways_scrolling(page)


def test_the_tracker_keeps_each_status_and_its_drop_down_in_sight(
    page, live_server, staff_user, working_group
):
    build_quarter_data(working_group)

    open_on_a_phone(page, live_server, staff_user, f"/tracker/?group={working_group.pk}")

    activities = "Theory of Change activities, their status and linked actions"
    assert_in_sight(first_row_cell(page, activities, "Status"), "An activity's status")
    code = first_row_cell(page, activities, "Code").inner_text().strip()
    # The drop-down shows its words ("Not started", "In progress"), not an empty box.
    status = page.get_by_label(f"Status of {code}", exact=True)
    assert_in_sight(status, "The status drop-down", min_width=120)
    save = page.get_by_role("button", name=f"Save status of {code}", exact=True)
    assert_in_sight(save, "Its Save button")
    recommendations = "Crest recommendations, their readiness status, evidence and date achieved"
    assert_in_sight(first_row_cell(page, recommendations, "Status"), "A recommendation's status")
    measures = "Performance measures with their latest value and status against target"
    assert_in_sight(first_row_cell(page, measures, "Against target"), "A measure against target")
    assert_no_sideways_scrolling(page)


def test_the_distribution_list_keeps_each_seats_status_and_date_sent_in_sight(
    page, live_server, staff_user, working_group
):
    build_quarter_data(working_group)

    open_on_a_phone(
        page, live_server, staff_user, f"/members/distribution-list/?group={working_group.pk}"
    )

    caption = (
        "Each agency, its Serious Violence Duty status, its seats"
        " and the date the ToR was sent to each"
    )
    for heading in ["Serious Violence Duty status", "Held by", "Attendance", "ToR sent on"]:
        assert_in_sight(first_row_cell(page, caption, heading), heading)
    first_date = page.locator("input[type=date]").first
    assert_in_sight(first_date, "The first date the ToR was sent", min_width=120)
    assert_no_sideways_scrolling(page)
