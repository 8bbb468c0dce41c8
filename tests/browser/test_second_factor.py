"""The second factor in a real browser: VRU staff set one up before anything else and
are asked for it at every sign-in; members are not asked.

Codes are computed as an authenticator app would, from the secret the page shows.
The portal accepts a code only in its own 30-second window and only once, so every
code comes from fresh_totp_code, which waits for a new window when it must.
"""

import re

import pytest
from playwright.sync_api import expect

from core.permissions import MEMBER, VRU_STAFF
from tests.browser.helpers import (
    assert_accessible,
    enter_authenticator_code,
    fresh_totp_code,
    sign_in,
)
from tests.factories import PASSWORD, MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SET_UP = "/accounts/2fa/totp/activate/"
CODE_PAGE = "/accounts/2fa/authenticate/"
RECOVERY_CODES = "/accounts/2fa/recovery-codes/"


def at(path: str) -> re.Pattern:
    """A page's URL ending in `path`, for expect(page).to_have_url()."""
    return re.compile(f"{re.escape(path)}$")


def person(working_group, email: str, role: str, **account):
    """Someone on the working group with an account of `role`."""
    user = UserFactory(email=email, roles=[role], **account)
    seat = PersonFactory(email=email, full_name=email.split("@")[0].title(), user=user)
    MembershipFactory(group=working_group, agency=seat.agency, person=seat)
    return user


def submit_password(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_vru_staff_set_up_an_app_from_the_secret_shown_then_are_asked_for_its_code(
    page, working_group
):
    lead = person(working_group, "lead@example.org", VRU_STAFF, second_factor=False)

    submit_password(page, "lead@example.org")

    expect(page).to_have_url(at(SET_UP))
    expect(page.locator("h1")).to_have_text("Set up an authenticator app")
    expect(page.get_by_text("VRU staff and the chair must use a second factor")).to_be_visible()
    for elsewhere in ("/", "/meetings/", "/accounts/password/change/"):
        page.goto(elsewhere)
        expect(page, elsewhere).to_have_url(at(SET_UP))
    expect(page.locator("h1")).to_have_text("Set up an authenticator app")

    expect(page.locator("#totp-secret")).to_have_text(re.compile(r"^\s*[A-Z2-7]{32}\s*$"))
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("6-digit code from the app").fill(fresh_totp_code(secret, account=lead.pk))
    page.get_by_role("button", name="Turn on the second factor").click()

    page.wait_for_url(f"**{RECOVERY_CODES}")
    expect(page.locator("h1")).to_have_text("Your recovery codes")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="Continue to the dashboard").click()
    expect(page.locator("h1")).to_have_text("Welcome, Lead")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
    submit_password(page, "lead@example.org")

    expect(page).to_have_url(at(CODE_PAGE))
    expect(page.locator("h1")).to_have_text("Enter your code")
    page.goto("/")
    # The password alone reaches nothing but the code page.
    expect(page).to_have_url(re.compile(re.escape(CODE_PAGE)))
    enter_authenticator_code(page, fresh_totp_code(secret, account=lead.pk))
    expect(page.locator("h1")).to_have_text("Welcome, Lead")


def test_a_member_signs_in_with_no_second_factor_step(page, working_group):
    person(working_group, "member@example.org", MEMBER)
    visited: list[str] = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))

    submit_password(page, "member@example.org")

    expect(page.locator("h1")).to_have_text("Welcome, Member")
    assert not [url for url in visited if "/accounts/2fa/" in url]


def test_the_sign_in_and_second_factor_pages_have_no_accessibility_violations(page, working_group):
    person(working_group, "new@example.org", VRU_STAFF, second_factor=False)
    person(working_group, "staff@example.org", VRU_STAFF)

    page.goto("/accounts/login/")
    assert_accessible(page)
    submit_password(page, "new@example.org")
    expect(page).to_have_url(at(SET_UP))
    assert_accessible(page)

    page.context.clear_cookies()
    submit_password(page, "staff@example.org")
    expect(page).to_have_url(at(CODE_PAGE))
    assert_accessible(page)
    page.get_by_role("button", name="Sign in", exact=True).click()  # no code: an error
    expect(page.get_by_label("Authenticator code")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)


def test_staff_signing_in_through_the_helper_reach_the_dashboard_twice_running(page, staff_user):
    sign_in(page, "staff@example.org")
    expect(page.locator("h1")).to_have_text("Welcome, Staff")

    page.context.clear_cookies()
    sign_in(page, "staff@example.org")  # waits for a code not used yet
    expect(page.locator("h1")).to_have_text("Welcome, Staff")


def test_staff_add_a_passkey_and_sign_in_with_it_under_the_strict_csp(
    page, working_group, settings
):
    """allauth's WebAuthn scripts are static files reading JSON data blocks, so they run
    under script-src 'self': Chromium's virtual authenticator plays the key."""
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the live server is plain http
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    person(working_group, "lead@example.org", VRU_STAFF)
    sign_in(page, "lead@example.org")

    page.goto("/accounts/2fa/webauthn/add/")
    page.get_by_label("A name to tell it apart").fill("Work laptop")
    page.get_by_label("Make it a passkey, to sign in without a password").check()
    page.get_by_role("button", name="Add the key").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    page.goto("/accounts/2fa/webauthn/")
    expect(page.get_by_role("cell", name="Work laptop", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Passkey", exact=True)).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    expect(page.locator("h1")).to_have_text("Welcome, Lead")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
    submit_password(page, "lead@example.org")
    expect(page).to_have_url(at(CODE_PAGE))
    page.get_by_role("button", name="Use a security key").click()
    page.wait_for_url(lambda url: CODE_PAGE not in url)
    expect(page.locator("h1")).to_have_text("Welcome, Lead")
