"""The action log's owner search in a browser: typing asks the server for the people who
match and offers them in the owner select, which never lists everybody."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, sign_in
from tests.factories import ActionFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_typing_a_name_offers_the_matching_people_and_filters_by_one(
    page, member_user, working_group
):
    priya = PersonFactory(full_name="Priya Shah")
    PersonFactory(full_name="Priyanka Rao")
    PersonFactory(full_name="Tom Ward")
    ActionFactory(owner=priya, group=working_group, title="Priya's action")
    ActionFactory(group=working_group, title="Somebody else's action")

    sign_in(page, "owner@example.org")
    page.goto("/actions/")
    owner = page.get_by_label("Owner", exact=True)
    people = owner.locator("option:not([value=''])")
    search = page.get_by_label("Find a person")
    expect(people).to_have_count(0)
    expect(page.get_by_role("button", name="Find")).to_be_hidden()

    search.fill("priy")

    expect(people).to_have_text(["Priya Shah", "Priyanka Rao"])
    expect(page.get_by_text("2 people match: choose from the list above.")).to_be_visible()
    owner.select_option(label="Priya Shah")

    search.fill("tom")
    # The person chosen stays, with the new match.
    expect(people).to_have_text(["Priya Shah", "Tom Ward"])
    assert owner.evaluate("select => select.selectedOptions[0].textContent") == "Priya Shah"

    search.fill("nobody like this")
    expect(page.get_by_text("Nobody's name matches")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(rf"/actions/\?.*\bowner={priya.pk}\b"))
    expect(page.get_by_role("link", name="Priya's action")).to_be_visible()
    expect(page.get_by_role("link", name="Somebody else's action")).to_have_count(0)
    # The page shows the chosen owner, still listing nobody else.
    expect(people).to_have_count(1)
    assert owner.evaluate("select => select.selectedOptions[0].textContent") == "Priya Shah"
