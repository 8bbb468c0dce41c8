"""Steps that browser tests share."""

import functools
import time
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Locator, Page

from tests.factories import PASSWORD, TOTP_SECRET, totp_code

TOTP_STEP = 30
# A code typed with less than this left of its 30-second window may arrive after it.
MARGIN = 3
# Codes this process has typed, by account: allauth refuses a code used once already
# (for as long as it could be valid), so the next sign-in waits for a new one.
_used_codes: dict[tuple[object, str], float] = {}


def fresh_totp_code(secret: str = TOTP_SECRET, *, account: object = None) -> str:
    """The code an authenticator app shows now for `secret`, with time left to type it.

    Waits (at most one window) rather than return a code about to expire, or one
    already used for `account` by an earlier sign-in: the portal accepts each code
    once, within its own 30-second window only.
    """
    while True:
        now = time.time()
        left = TOTP_STEP - now % TOTP_STEP
        code = totp_code(secret, now)
        used_at = _used_codes.get((account, code))
        if left > MARGIN and (used_at is None or now - used_at > 2 * TOTP_STEP):
            if account is not None:
                _used_codes[(account, code)] = now
            return code
        time.sleep(left + 0.1)


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real login page, as a person would: the email and password,
    then the code of their authenticator app when the portal asks for it (VRU staff,
    the chair and superusers always have one; factories give it the secret TOTP_SECRET)."""
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/2fa/authenticate/" in page.url:
        enter_authenticator_code(page, fresh_totp_code(account=_account_of(email)))


def enter_authenticator_code(page, code: str) -> None:
    """Answer the portal's "Enter your code" page after the password."""
    page.get_by_label("Authenticator code").fill(code)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/2fa/authenticate/" not in url)


def _account_of(email: str) -> object:
    """The account's primary key: used codes are remembered per account, as allauth does."""
    return get_user_model().objects.filter(email__iexact=email).values_list("pk", flat=True).first()


def assert_accessible(page) -> None:
    """axe-core finds no WCAG 2.0, 2.1 or 2.2 A/AA violation on the page as it stands."""
    results = _axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    # Only what fails: collecting every passing check's details is most of axe's work.
    "resultTypes": ["violations"],
}


@functools.cache
def _axe():
    """One axe-core, read from disk once for the whole run."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


# What has focus, in words: enough to say where the keyboard went when a journey fails.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return {tag: "body", text: "(the page itself)"};
  }
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  const words = el.getAttribute("aria-label") || label || el.innerText || el.value || "";
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    href: el.getAttribute("href") || "",
    text: words.trim().replace(/\\s+/g, " ").slice(0, 80),
  };
}"""


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(
    page: Page,
    target: Locator | Callable[[dict], bool],
    *,
    limit: int = 60,
    key: str = "Tab",
) -> dict:
    """Press Tab (or `key`) until `target` has focus, at most `limit` times.

    `target` is a locator of one element, or a test of what has focus (see FOCUSED:
    tag, id, href, text). Fails naming the stops focus made when the target is never
    reached: the control is out of the keyboard's reach, or focus is trapped short of it.
    """
    if isinstance(target, Locator):
        element = target.element_handle()
        reached = lambda _: element.evaluate("el => el === document.activeElement")  # noqa: E731
        wanted = str(target)
    else:
        reached, wanted = target, "the control sought"
    stops = []
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        stops.append(now)
        if reached(now):
            return now
    path = "\n  ".join(f"{stop['tag']} {stop['text']!r} {stop.get('href', '')}" for stop in stops)
    pytest.fail(f"{key} pressed {limit} times without reaching {wanted}; focus went to:\n  {path}")
