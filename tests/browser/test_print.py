"""Printing the pages people print for meetings (static/css/print.css): the content only.

Chromium is told to lay the page out for print, as it does for the print dialog: the
navigation, the footer, buttons, forms and filters disappear, the content stays.
"""

import pytest
from playwright.sync_api import expect

from members.models import Group
from tests.browser.helpers import sign_in
from tests.factories import GroupFactory, MembershipFactory
from tests.tracker.fixtures import build_quarter_data

pytestmark = pytest.mark.django_db(transaction=True)


def assert_prints_only_the_content(page, heading: str) -> None:
    page.emulate_media(media="screen")
    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation).to_be_visible()

    page.emulate_media(media="print")

    expect(navigation).to_be_hidden()
    expect(page.locator("body > footer")).to_be_hidden()
    expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
    for form in page.locator("main form").all():
        if not form.evaluate("(form) => Boolean(form.closest('td'))"):
            expect(form).to_be_hidden()
    for button in page.locator("main button").all():
        expect(button).to_be_hidden()
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("main table").first).to_be_visible()
    colour = page.locator("body").evaluate("(body) => getComputedStyle(body).color")
    assert colour == "rgb(0, 0, 0)"


def test_the_update_the_distribution_list_and_the_tor_print_without_navigation_or_forms(
    page, staff_user, working_group
):
    working_group.tor_version = "V2"
    working_group.save()
    GroupFactory(name="Youth Working Group", kind=Group.Kind.WORKING)
    MembershipFactory(group=working_group, role_title="Press officer")
    build_quarter_data(working_group)
    sign_in(page, "staff@example.org")

    page.goto(f"/reports/quarterly/2024-25/q1/?group={working_group.pk}")
    expect(page.get_by_label("Group", exact=True)).to_be_visible()
    assert_prints_only_the_content(page, "Quarterly SVRP update: 2024-25 Q1")
    expect(page.get_by_label("Group", exact=True)).to_be_hidden()
    expect(page.get_by_role("link", name="Edit the chair's part")).to_be_hidden()
    expect(page.get_by_role("table", name="Performance Framework, 2024-25 Q1")).to_be_visible()

    page.emulate_media(media="screen")
    page.goto(f"/members/distribution-list/?group={working_group.pk}")
    assert_prints_only_the_content(page, "Distribution list")
    expect(page.get_by_role("navigation", name="Members section")).to_be_hidden()
    expect(page.get_by_role("cell", name="Press officer", exact=True)).to_be_visible()

    page.emulate_media(media="screen")
    page.goto(f"/meetings/groups/{working_group.pk}/tor/")
    assert_prints_only_the_content(page, "Communications Working Group Terms of Reference")
    expect(page.get_by_role("button", name="Publish")).to_be_hidden()
