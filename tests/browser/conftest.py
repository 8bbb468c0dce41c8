"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

Where Chromium is missing (a newcomer's laptop) the tests are skipped with a
message saying how to enable them. CI sets VRP_REQUIRE_BROWSER=1, and then a
missing browser fails the run instead.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
# How long an action, or a waiting assertion (expect), waits for the page. Generous:
# the suite must pass on a busy machine, and a passing check returns at once.
TIMEOUT_MS = 20_000
HOW_TO_ENABLE = (
    "Browser tests need Debian's Chromium: `sudo apt-get install -y chromium` "
    "(or set CHROMIUM_PATH to a Chromium binary)."
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("VRP_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}. {HOW_TO_ENABLE}")
        pytest.skip(HOW_TO_ENABLE)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    # A CSP violation or script error is a failure, not noise.
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"The browser reported errors: {errors}"
