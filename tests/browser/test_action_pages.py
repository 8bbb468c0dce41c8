"""The action pages on a phone (WCAG 1.4.10 Reflow): at 320 CSS px an action's due date
and status are on screen without scrolling sideways, and no page scrolls sideways."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Action
from tests.browser.helpers import sign_in
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    CrestRecommendationFactory,
    MeetingFactory,
    ToCActivityFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 320, "height": 800}


@pytest.fixture
def meeting(working_group):
    return MeetingFactory(group=working_group, starts_at=timezone.now() - dt.timedelta(hours=2))


@pytest.fixture
def actions(staff_user, working_group, meeting):
    """Staff's own actions as the log holds them: long titles, a long agency, tracker links."""
    staff = staff_user.person
    staff.agency = AgencyFactory(name="Hampshire and Isle of Wight Fire and Rescue Service")
    staff.save()
    return [
        ActionFactory(
            owner=staff,
            group=working_group,
            meeting=meeting,
            title=title,
            due_date=timezone.localdate() + dt.timedelta(days=days),
            toc_activity=ToCActivityFactory(group=working_group),
            crest_recommendation=CrestRecommendationFactory(group=working_group),
        )
        for title, days in (
            ("Agree the partnership's brand guidelines with every agency's press office", -3),
            ("Share the serious violence communications toolkit", 10),
        )
    ]


def _cell(table, column: str):
    """The first row's cell under the column headed `column`."""
    headings = [text.strip() for text in table.locator("thead th").all_text_contents()]
    return (
        table.locator("tbody > tr")
        .first.locator(":scope > th, :scope > td")
        .nth(headings.index(column))
    )


def assert_on_screen(page, locator) -> None:
    """Visible, and wholly inside the viewport's width: read without scrolling sideways."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (
        f"{locator} spans {box['x']:.0f}–{box['x'] + box['width']:.0f} px of a {width} px screen"
    )


def assert_no_sideways_scrolling(page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px at 320 px"


@pytest.fixture
def phone(page, staff_user, actions):
    page.set_viewport_size(PHONE)
    sign_in(page, "staff@example.org")
    return page


def test_the_action_log_shows_due_and_status_on_a_phone(phone):
    phone.goto("/actions/")

    table = phone.locator("table.action-log")
    assert_on_screen(phone, _cell(table, "Due"))
    assert_on_screen(phone, _cell(table, "Status"))
    expect(_cell(table, "Status")).to_contain_text("Overdue")
    assert_no_sideways_scrolling(phone)


def test_the_action_log_filters_fit_a_phone(phone):
    phone.goto("/actions/")

    for name in ("Search", "Owner", "Find a person", "Due from"):
        assert_on_screen(phone, phone.get_by_label(name, exact=True))
    assert_on_screen(phone, phone.get_by_role("button", name="Apply filters"))
    assert_no_sideways_scrolling(phone)


def test_my_actions_shows_due_and_status_on_a_phone(phone, actions, staff_user, working_group):
    ActionFactory(
        owner=staff_user.person,
        group=working_group,
        title="Publish the annual communications plan",
        status=Action.Status.DONE,
        completed_on=timezone.localdate(),
    )
    phone.goto("/actions/mine/")

    card = phone.locator(f"#action-{actions[0].pk}")
    assert_on_screen(phone, card.locator("p", has_text="Due ").first)
    assert_on_screen(phone, card.get_by_text("Overdue", exact=True))
    assert_on_screen(phone, card.get_by_role("button", name="Post update"))
    assert_no_sideways_scrolling(phone)
    # The finished ones, opened, fit as well.
    phone.locator("#finished summary").click()
    finished = phone.locator("#finished table")
    assert_on_screen(phone, _cell(finished, "Status"))
    assert_on_screen(phone, _cell(finished, "Completed on"))
    assert_no_sideways_scrolling(phone)


def test_the_meeting_pages_actions_show_due_and_status_on_a_phone(phone, meeting):
    phone.goto(f"/meetings/{meeting.pk}/")

    table = phone.locator("#meeting-actions table")
    assert_on_screen(phone, _cell(table, "Due"))
    assert_on_screen(phone, _cell(table, "Status"))
    expect(_cell(table, "Status")).to_contain_text("Open")
    assert_no_sideways_scrolling(phone)


def test_an_action_logged_on_the_meeting_page_stacks_like_the_others(phone, meeting, member_user):
    """The row htmx swaps in is drawn as the rows already there: its due date on screen."""
    phone.goto(f"/meetings/{meeting.pk}/")
    form = phone.locator("#log-action-form")
    form.get_by_label("Title").fill("Book the in-person venue at the fire service headquarters")
    form.get_by_label("Owner").select_option(label="Owner")
    form.get_by_role("button", name="Log action").click()

    row = phone.locator("#raised-rows > tr").last
    expect(row).to_contain_text("Book the in-person venue")
    due = row.locator("[data-label='Due']")
    assert_on_screen(phone, due)
    assert_on_screen(phone, row.locator("[data-label='Status']"))
    expect(phone.locator("#meeting-actions-status")).to_contain_text("Action logged")
    assert_no_sideways_scrolling(phone)


@pytest.mark.parametrize(
    "path",
    [
        "/actions/{pk}/",
        "/actions/{pk}/edit/",
        "/actions/{pk}/update/",
        "/actions/{pk}/cancel/",
        "/actions/new/",
        "/actions/meetings/{meeting}/note/",
        "/actions/reminders/schedule/",
        "/",
    ],
)
def test_the_other_action_pages_do_not_scroll_sideways(phone, actions, meeting, path):
    phone.goto(path.format(pk=actions[0].pk, meeting=meeting.pk))

    expect(phone.locator("h1")).to_have_count(1)
    assert_no_sideways_scrolling(phone)
