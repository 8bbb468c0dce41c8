"""The focus indicator and the borders of radios, as Chromium draws them (WCAG 2.2 AA).

2.4.7 and 2.4.11: whoever moves with Tab sees where they are, on the dark navigation bar
as on the white page: some ring of the indicator, at least 2 CSS px thick, has a
contrast of 3:1 or more with the background behind it. 1.4.11: a radio's border has
3:1 against its background. Colours are read from the computed style and the contrast
computed here, from WCAG's definition of relative luminance.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.models import Membership
from tests.browser.helpers import sign_in, tab_to
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)

# The focused element's outline and box-shadow, and the first opaque background behind
# it: the ring lies outside the element, so the search starts at its parent. Bootstrap
# fades a field's focus in, so the style is read once its transitions have finished.
INDICATOR = """async (el) => {
  await Promise.all(el.getAnimations().map((animation) => animation.finished));
  const style = getComputedStyle(el);
  let behind = el.parentElement;
  while (behind) {
    const colour = getComputedStyle(behind).backgroundColor;
    if (!/^rgba\\(.*, 0\\)$/.test(colour) && colour !== 'transparent') {
      return {outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth,
              outlineColor: style.outlineColor, outlineOffset: style.outlineOffset,
              boxShadow: style.boxShadow, background: colour,
              focused: el === document.activeElement};
    }
    behind = behind.parentElement;
  }
  return {outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth,
          outlineColor: style.outlineColor, outlineOffset: style.outlineOffset,
          boxShadow: style.boxShadow, background: 'rgb(255, 255, 255)',
          focused: el === document.activeElement};
}"""
BORDER = """(el) => {
  let behind = el.parentElement;
  let background = 'rgb(255, 255, 255)';
  while (behind) {
    const colour = getComputedStyle(behind).backgroundColor;
    if (!/^rgba\\(.*, 0\\)$/.test(colour) && colour !== 'transparent') {
      background = colour;
      break;
    }
    behind = behind.parentElement;
  }
  const style = getComputedStyle(el);
  return {border: style.borderTopColor, width: style.borderTopWidth, background};
}"""
COLOUR = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")
SHADOW = re.compile(
    r"(rgba?\([^)]*\))\s+(-?[\d.]+)px\s+(-?[\d.]+)px\s+([\d.]+)px\s+(-?[\d.]+)px(\s+inset)?"
)


def rgba(css: str) -> tuple[float, float, float, float]:
    found = COLOUR.fullmatch(css.strip())
    assert found, f"not a computed colour: {css}"
    red, green, blue, alpha = found.groups()
    return float(red), float(green), float(blue), 1.0 if alpha is None else float(alpha)


def over(colour: str, background: str) -> tuple[float, float, float]:
    """`colour` as seen over the opaque `background` (a faint glow is mostly background)."""
    *front, alpha = rgba(colour)
    back = rgba(background)[:3]
    return tuple(alpha * f + (1 - alpha) * b for f, b in zip(front, back, strict=True))


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2 relative luminance."""
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb)
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def rings(indicator: dict) -> list[tuple[str, float]]:
    """Each ring drawn around the element, as (colour, visible thickness in CSS px).

    The outline is painted over the box-shadows, so a shadow ring shows only where the
    outline does not cover it; an inset shadow or one with an offset or blur is no ring.
    """
    found = []
    outline = (0.0, 0.0)
    width = float(indicator["outlineWidth"].removesuffix("px") or 0)
    if indicator["outlineStyle"] != "none" and width > 0:
        start = float(indicator["outlineOffset"].removesuffix("px") or 0)
        outline = (start, start + width)
        found.append((indicator["outlineColor"], width))
    for colour, x, y, blur, spread, inset in SHADOW.findall(indicator["boxShadow"]):
        if inset or float(x) or float(y) or float(blur) or float(spread) <= 0:
            continue
        covered = max(0.0, min(float(spread), outline[1]) - max(0.0, outline[0]))
        found.append((colour, float(spread) - covered))
    return found


def assert_visible_focus(page, element, where: str) -> None:
    indicator = element.evaluate(INDICATOR)
    assert indicator["focused"], f"{where}: the element is not focused"
    background = over(indicator["background"], "rgb(255, 255, 255)")
    measured = [
        (colour, thickness, contrast(over(colour, indicator["background"]), background))
        for colour, thickness in rings(indicator)
    ]
    assert any(thickness >= 2 and ratio >= 3 for _, thickness, ratio in measured), (
        f"{where}: no ring of the focus indicator is 2px thick with 3:1 against "
        f"{indicator['background']}: {[(c, t, round(r, 2)) for c, t, r in measured]}"
    )


@pytest.fixture
def next_meeting(working_group, member_user):
    start = timezone.localtime() + dt.timedelta(days=7)
    return MeetingFactory(
        group=working_group, starts_at=start.replace(hour=10, minute=0, second=0, microsecond=0)
    )


def my_meetings(page, member_user, meeting):
    seat = Membership.objects.get(person__user=member_user)
    sign_in(page, "owner@example.org")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/meetings/mine/")
    expect(page.locator("h1")).to_have_text("My meetings")
    return page.get_by_test_id(f"reply-seat-{seat.pk}").first


def test_a_navigation_link_shows_its_focus_on_the_dark_bar(page, member_user, next_meeting):
    my_meetings(page, member_user, next_meeting)
    page.goto("/")

    link = page.get_by_role("navigation", name="Main").get_by_role("link", name="My meetings")
    tab_to(page, link)

    assert_visible_focus(page, link, "the My meetings link on the navigation bar")


def test_the_sign_out_button_shows_its_focus_on_the_dark_bar(page, member_user, next_meeting):
    my_meetings(page, member_user, next_meeting)

    button = page.get_by_role("button", name="Sign out")
    tab_to(page, button)

    assert_visible_focus(page, button, "the Sign out button")


def test_a_radio_a_text_field_and_a_button_show_their_focus_on_the_page(
    page, member_user, next_meeting
):
    reply = my_meetings(page, member_user, next_meeting)

    radio = reply.get_by_label("Send apologies")
    tab_to(page, radio)
    assert_visible_focus(page, radio, "the Send apologies radio")

    field = reply.locator("input[type=text]").first
    tab_to(page, field)
    assert_visible_focus(page, field, "the deputy's name")

    button = reply.get_by_role("button", name="Send my reply")
    tab_to(page, button)
    assert_visible_focus(page, button, "the Send my reply button")


def test_a_radio_and_a_field_have_borders_of_3_to_1_against_the_page(
    page, member_user, next_meeting
):
    reply = my_meetings(page, member_user, next_meeting)

    for name, element in (
        ("radio", reply.get_by_label("Send apologies")),
        ("text field", reply.locator("input[type=text]").first),
    ):
        border = element.evaluate(BORDER)
        ratio = contrast(
            over(border["border"], border["background"]),
            over(border["background"], "rgb(255, 255, 255)"),
        )
        assert ratio >= 3, f"the {name}'s border {border} has {ratio:.2f}:1"
        assert float(border["width"].removesuffix("px")) >= 1
