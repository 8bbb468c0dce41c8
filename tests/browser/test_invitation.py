import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, sign_in
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "a-quarterly-password-4-me"


def test_staff_invite_a_person_who_then_chooses_a_password_and_signs_in(page, staff_user):
    AgencyFactory(name="Isle of Wight Council")
    sign_in(page, "staff@example.org")

    page.goto("/members/people/")
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Full name").fill("Nia Newcomer")
    page.get_by_label("Email address").fill("nia@iow.example.org")
    page.get_by_label("Job title").fill("Press Officer")
    page.get_by_label("Agency").select_option(label="Isle of Wight Council")
    expect(page.get_by_label("Send an invitation now")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Add the person").click()

    expect(page.get_by_text("Invitation sent to Nia Newcomer.")).to_be_visible()
    assert_accessible(page)
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", mail.outbox[0].body).group(0)

    page.context.clear_cookies()
    page.goto(link.removeprefix(settings.SITE_URL))
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the password").click()
    expect(page.locator("h1")).to_have_text("Password saved")

    sign_in(page, "nia@iow.example.org", NEW_PASSWORD)
    expect(page.locator("h1")).to_have_text("Welcome, Nia Newcomer")
