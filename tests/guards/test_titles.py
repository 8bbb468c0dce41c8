"""Every page's <title> names the page, then the portal: "<page> – VRP portal" (WCAG 2.4.2).

A template without its own title block falls back to the portal's name alone, which
tells someone with many tabs open, or a screen reader arriving, nothing about the page.
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client

from tests.guards.urlconf import (
    build_one_of_everything,
    configure_microsoft,
    portal_patterns,
    state_for,
    url_for,
)

pytestmark = pytest.mark.django_db

PATTERNS = sorted(portal_patterns(), key=lambda item: item[0])


class _Title(HTMLParser):
    """The document's <title>: the first one, in <head> (an SVG chart has its own)."""

    def __init__(self):
        super().__init__()
        self.text = ""
        self._inside = False
        self._done = False

    def handle_starttag(self, tag, attrs):
        self._inside = tag == "title" and not self._done

    def handle_endtag(self, tag):
        if tag == "title" and self._inside:
            self._inside = False
            self._done = True

    def handle_data(self, data):
        if self._inside:
            self.text += data


def title_of(html: str) -> str:
    parser = _Title()
    parser.feed(html)
    return " ".join(parser.text.split())


def title_fault(title: str) -> str | None:
    """What is wrong with a page's title, if anything."""
    portal = settings.PORTAL_NAME
    found = re.fullmatch(rf"(.+) – {re.escape(portal)}", title)
    if not found:
        return f"{title!r} does not read '<page> – {portal}'"
    if found[1].strip() in ("", portal):
        return f"{title!r} names the portal, not the page"
    return None


@pytest.mark.parametrize("persona", ["staff_user", "chair_user", "member_user"])
def test_every_signed_in_page_is_titled_with_its_own_name_then_the_portal(persona, request):
    configure_microsoft(request.getfixturevalue("settings"))
    user = request.getfixturevalue(persona)
    build_one_of_everything(user.person)
    client = Client()
    client.force_login(user)

    faults = []
    for name, pattern in PATTERNS:
        url = url_for(name, pattern)
        with state_for(name, user):
            response = client.get(url)
        is_page = response.status_code == 200 and response["Content-Type"].startswith("text/html")
        if is_page and (fault := title_fault(title_of(response.content.decode()))):
            faults.append(f"{name} ({url}): {fault}")

    assert not faults, "\n".join(faults)


def test_the_check_refuses_a_title_that_is_only_the_portal_name():
    assert title_fault("VRP portal – VRP portal")
    assert title_fault("VRP portal")
    assert title_fault(" – VRP portal")
    assert title_fault("Dashboard – VRP portal") is None
