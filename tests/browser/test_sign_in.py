import pytest

from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_signs_in_through_the_login_page_and_sees_the_dashboard(page, member_user):
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert_accessible(page)

    sign_in(page, "owner@example.org")

    assert page.locator("h1").inner_text() == "Welcome, Owner"
    assert page.title() == "Dashboard – VRP portal"
    assert page.get_by_role("heading", name="My outstanding actions (0)").is_visible()
    assert_accessible(page)


def test_a_wrong_password_is_refused_with_a_message(page, member_user):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("owner@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in", exact=True).click()

    assert "/accounts/login/" in page.url
    assert "correct email address and password" in page.content()
