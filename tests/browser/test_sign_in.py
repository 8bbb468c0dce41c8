import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_signs_in_through_the_login_page_and_sees_the_dashboard(page, member_user):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert_accessible(page)

    sign_in(page, "owner@example.org")

    expect(page.locator("h1")).to_have_text("Welcome, Owner")
    expect(page).to_have_title("Dashboard – VRP portal")
    expect(page.get_by_role("heading", name="My outstanding actions (0)")).to_be_visible()
    assert_accessible(page)


def test_a_wrong_password_is_refused_with_a_message(page, member_user):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("owner@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page.locator("body")).to_contain_text("correct email address and password")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
