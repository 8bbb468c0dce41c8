"""Every page of the URLconf, as each role that can see it, in Chromium.

At 320 CSS pixels (a phone, or 1280 px zoomed to 400%) no page scrolls sideways
(WCAG 1.4.10 Reflow); at 1280 px axe-core finds no WCAG 2.0, 2.1 or 2.2 A or AA
violation. The pages come from the URLconf itself (tests/guards/urlconf.py), built
around the role's own person, so a page added later is covered without a word here.

The admin is left out: it is Django's own, used by superusers at a desk, and the
portal's pages cover everything members, the chair and VRU staff do.
"""

from contextlib import nullcontext
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.helpers import assert_accessible
from tests.guards.urlconf import (
    build_one_of_everything,
    configure_microsoft,
    portal_patterns,
    state_for,
    url_for,
)

pytestmark = pytest.mark.django_db(transaction=True)

PATTERNS = sorted(portal_patterns(), key=lambda item: item[0])
PHONE = {"width": 320, "height": 640}
DESK = {"width": 1280, "height": 900}
# The width the page's content needs beyond the viewport, in CSS pixels.
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Where the page is wider than the viewport: the elements that stick out, to name them.
WIDE_ELEMENTS = """() => {
  const limit = document.documentElement.clientWidth;
  return [...document.body.querySelectorAll('*')]
    .filter((el) => el.getBoundingClientRect().right > limit + 1)
    .filter((el) => !el.parentElement.closest('[data-wide]'))
    .slice(0, 3)
    .map((el) => { el.setAttribute('data-wide', ''); return el.outerHTML.slice(0, 120); });
}"""


def page_state(name: str, user):
    """The state `name` needs (tests/guards/urlconf.py); nobody's pages need none."""
    return state_for(name, user) if user is not None else nullcontext()


# Elements that scroll sideways inside the page but that a keyboard cannot reach or a
# screen reader cannot name: each must be a focusable region named by its table's caption.
UNNAMED_SCROLLERS = """() => [...document.body.querySelectorAll('*')]
  .filter((el) => !['TEXTAREA', 'SELECT', 'INPUT'].includes(el.tagName))
  .filter((el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
  .filter((el) => el.scrollWidth > el.clientWidth)
  .filter((el) => !(el.tabIndex >= 0 && el.getAttribute('role') === 'region'
    && (el.hasAttribute('aria-labelledby') || el.hasAttribute('aria-label'))))
  .map((el) => el.outerHTML.slice(0, 120))"""


def html_pages(client: Client, user) -> list[tuple[str, str]]:
    """(name, URL) of every page that answers `client` with HTML (not a redirect, a
    refusal, a download or a 405 for a URL that only takes POST)."""
    pages = []
    for name, pattern in PATTERNS:
        url = url_for(name, pattern)
        with page_state(name, user):
            response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append((name, url))
    return pages


def signed_in_context(browser, live_server, user):
    """A browser context signed in as `user` (or nobody), with the session the test
    client made: signing in through the form is tests/browser/test_sign_in.py's job."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    client = Client()
    if user is not None:
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
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
    return context, client


@pytest.fixture(params=["staff_user", "chair_user", "member_user", None])
def role(request, staff_user, settings):
    """Each role that signs in, and nobody (the public pages): the data is built around
    the role's own person, as in tests/guards/test_every_url.py, with Microsoft's
    sign-in configured so that its pages are visited too."""
    configure_microsoft(settings)
    user = request.getfixturevalue(request.param) if request.param else None
    build_one_of_everything((user or staff_user).person)
    return user


def visit_every_page(browser, live_server, user) -> list[str]:
    """Open each page `user` may see at 320 px, then widen it to 1280 px: what is wrong.

    One visit serves both checks: the page is the same document at either width.
    """
    context, client = signed_in_context(browser, live_server, user)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    faults = []
    try:
        for name, url in html_pages(client, user):
            with page_state(name, user):
                page.set_viewport_size(PHONE)
                page.goto(url)
                faults.extend(f"{url} at 320 px: {fault}" for fault in sideways_scrolling(page))
                page.set_viewport_size(DESK)
                faults.extend(f"{url} at 1280 px: {fault}" for fault in axe_violations(page))
    finally:
        context.close()
    return faults + [f"script error: {error}" for error in errors]


def sideways_scrolling(page) -> list[str]:
    faults = []
    overflow = page.evaluate(OVERFLOW)
    if overflow > 0:
        faults.append(f"scrolls {overflow} px sideways; too wide: {page.evaluate(WIDE_ELEMENTS)}")
    if unnamed := page.evaluate(UNNAMED_SCROLLERS):
        faults.append(f"scrolls sideways outside a named, focusable region: {unnamed}")
    return faults


def axe_violations(page) -> list[str]:
    try:
        assert_accessible(page)
    except AssertionError as failure:
        return [str(failure)]
    return []


def test_every_page_reflows_at_320_and_has_no_axe_violation_at_1280_css_pixels(
    browser, live_server, role
):
    faults = visit_every_page(browser, live_server, role)

    assert not faults, "\n".join(faults)
