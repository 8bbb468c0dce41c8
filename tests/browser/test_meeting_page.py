"""The meeting page in a browser: in clear sections, with an "On this page" list of links
that works without JavaScript, no sideways scrolling on a phone, and the key-update form
within reach of staff however many seats the register has."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from meetings.models import InvitationSend, MeetingReply
from tests.browser.helpers import assert_accessible
from tests.factories import ActionFactory, KeyUpdateFactory, MeetingFactory
from tests.meetings.conftest import days_from_now, record

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 320, "height": 640}
DESK = {"width": 1280, "height": 900}
SEATS = 19
# With every seat in a table above the key-update form and twenty changes of history below,
# this meeting's page was 4,008 px long at 1280 px; with the register and the history
# folded it is about 2,300 px. Folded, the register costs one line.
MOST_PX = 2_600
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Parts of the page that scroll sideways without being a region a keyboard can reach and
# a screen reader can name (as in tests/browser/test_every_page.py).
UNNAMED_SCROLLERS = """() => [...document.body.querySelectorAll('*')]
  .filter((el) => !['TEXTAREA', 'SELECT', 'INPUT'].includes(el.tagName))
  .filter((el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
  .filter((el) => el.scrollWidth > el.clientWidth)
  .filter((el) => !(el.tabIndex >= 0 && el.getAttribute('role') === 'region'
    && (el.hasAttribute('aria-labelledby') || el.hasAttribute('aria-label'))))
  .map((el) => el.outerHTML.slice(0, 120))"""


@pytest.fixture
def full_meeting(staff_user, working_group):
    """A held meeting of 19 seats (staff's own and 18 more, all 18 recorded), with
    the invitation sent, apologies sent ahead, actions raised and a key update: a full
    meeting page."""
    meeting = MeetingFactory(group=working_group, starts_at=days_from_now(-7))
    rows = record(meeting, *["present"] * (SEATS - 3), "apologies", "deputy")
    assert working_group.memberships.count() == SEATS
    InvitationSend.objects.create(
        meeting=meeting,
        kind=InvitationSend.Kind.INVITATION,
        sequence=0,
        recipients=[row.person.email for row in rows],
        agenda="1. Apologies\n2. The campaign brief",
        sent_by=staff_user,
        sent_at=days_from_now(-14),
    )
    MeetingReply.objects.create(
        meeting=meeting,
        membership=rows[-2].membership,
        kind=MeetingReply.Kind.APOLOGIES,
        sent_by=rows[-2].person,
    )
    for row in rows[:3]:
        ActionFactory(group=working_group, meeting=meeting, owner=row.person)
    KeyUpdateFactory(meeting=meeting, text="The campaign brief was agreed.", kind="decision")
    return meeting


def _signed_in_page(browser, live_server, user, viewport, **options):
    """A page signed in as `user` with the session the test client made (signing in
    through the form is tests/browser/test_sign_in.py's job); `options` such as
    java_script_enabled=False go to the browser context."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport=viewport, **options
    )
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    host = urlsplit(live_server.url).hostname
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "domain": host, "path": "/", "secure": True}]
    )
    return context.new_page()


def test_at_320px_the_meeting_page_does_not_scroll_sideways(
    browser, live_server, staff_user, full_meeting
):
    phone = _signed_in_page(browser, live_server, staff_user, PHONE)
    phone.goto(f"/meetings/{full_meeting.pk}/")
    # Everything folded away opened too: nothing on the page may stick out.
    phone.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")

    expect(phone.get_by_role("table", name="Attendance of each seat")).to_be_visible()
    assert phone.evaluate(OVERFLOW) <= 0
    assert phone.evaluate(UNNAMED_SCROLLERS) == []
    phone.context.close()


def test_the_on_this_page_links_jump_to_their_sections_without_javascript(
    browser, live_server, staff_user, full_meeting
):
    phone = _signed_in_page(browser, live_server, staff_user, PHONE, java_script_enabled=False)
    phone.goto(f"/meetings/{full_meeting.pk}/")

    nav = phone.get_by_role("navigation", name="On this page")
    links = nav.get_by_role("link")
    names = links.all_inner_texts()
    assert names[:2] == ["Details", "Key updates and decisions"]
    assert {"Attendance", "Actions"} <= set(names)
    for name in names:
        phone.evaluate("window.scrollTo(0, 0)")
        nav.get_by_role("link", name=name, exact=True).click()
        fragment = phone.url.split("#", 1)[1]
        section = phone.locator(f"[id='{fragment}']")
        # The link lands on its section: its heading (or, folded, its summary) on screen.
        expect(section).to_be_in_viewport()
        expect(section.locator("h2, summary").first).to_be_in_viewport()
    assert phone.evaluate(OVERFLOW) <= 0
    phone.context.close()


def test_the_register_is_folded_into_a_summary_that_opens_without_javascript(
    browser, live_server, staff_user, full_meeting
):
    desk = _signed_in_page(browser, live_server, staff_user, DESK, java_script_enabled=False)
    desk.goto(f"/meetings/{full_meeting.pk}/")

    register = desk.get_by_role("table", name="Attendance of each seat")
    expect(register).to_be_hidden()
    desk.get_by_text(f"Show the register ({SEATS} seats)").click()
    expect(register).to_be_visible()
    expect(register.locator("tbody tr")).to_have_count(SEATS)
    desk.context.close()


def test_at_1280px_staff_reach_the_key_update_form_on_a_much_shorter_page(
    browser, live_server, staff_user, full_meeting
):
    desk = _signed_in_page(browser, live_server, staff_user, DESK)
    desk.goto(f"/meetings/{full_meeting.pk}/")

    height = desk.evaluate("document.documentElement.scrollHeight")
    assert height < MOST_PX, f"The meeting page is {height} px long"
    form = desk.get_by_role("form", name="Add a key update or decision")
    assert form.bounding_box()["y"] < 2 * DESK["height"]
    assert_accessible(desk)
    desk.context.close()
