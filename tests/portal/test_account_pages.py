"""The sign-in library's pages and emails, in the portal's layout and words.

Every page answers the right persona with the portal's look (one <h1>, a <title>
naming the page, a label on every field, no inline script or style: the CSP allows
none) and every email speaks as the portal does.
"""

from __future__ import annotations

import math
import time
from html.parser import HTMLParser

import pytest
import time_machine
from allauth.account.adapter import get_adapter
from allauth.account.forms import AddEmailForm, default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.socialaccount.helpers import render_authentication_error
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.permissions import CHAIR, VRU_STAFF
from tests.factories import PASSWORD, TOTP_SECRET, UserFactory, give_second_factor, totp_code

pytestmark = pytest.mark.django_db

MUST_USE_A_SECOND_FACTOR = "VRU staff and the chair must use a second factor"
# allauth's own wording, which must not leak through: American, title-cased.
ALLAUTH_WORDING = ["Sign In<", "Two-Factor Authentication", "Authenticator App", "Re-send"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth keeps throttles and used codes in the cache: each test starts afresh."""
    cache.clear()
    yield
    cache.clear()


def next_totp_window() -> float:
    """The start of the next 30-second TOTP window, plus a second: a code computed
    there has the whole window to be accepted, whatever the time."""
    return math.floor(time.time() / 30 + 1) * 30 + 1


def signed_in(user) -> Client:
    """A client signed in through the pages (password, then code if asked), so that
    allauth counts a recent sign-in and asks for no re-authentication."""
    client = Client()
    with time_machine.travel(next_totp_window(), tick=True):
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": PASSWORD}
        )
        if response["Location"] == reverse("mfa_authenticate"):
            client.post(reverse("mfa_authenticate"), {"code": totp_code(TOTP_SECRET)})
    assert "_auth_user_id" in client.session
    return client


class _Page(HTMLParser):
    """The parts of a page the checks below look at."""

    def __init__(self) -> None:
        super().__init__()
        self.h1 = 0
        self.title = ""
        self._in_title = False
        self.scripts: list[dict] = []
        self.styles = 0
        self.inline_styles: list[str] = []
        self.handlers: list[str] = []
        self.fields: list[dict] = []
        self.labels: set[str] = set()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if "style" in attributes:
            self.inline_styles.append(tag)
        self.handlers += [name for name in attributes if name.startswith("on")]
        if tag == "h1":
            self.h1 += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "script":
            self.scripts.append(attributes)
        elif tag == "style":
            self.styles += 1
        elif tag == "label" and attributes.get("for"):
            self.labels.add(attributes["for"])
        elif tag in ("input", "select", "textarea") and attributes.get("type") not in (
            "hidden",
            "submit",
            "button",
        ):
            self.fields.append(attributes)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def assert_portal_page(response, status: int = 200, *, own_words: bool = True) -> str:
    """The page is the portal's: its layout, one <h1>, a <title> naming it, every field
    labelled, every error and help text it points to present, and nothing inline that
    the Content-Security-Policy would block."""
    assert response.status_code == status
    html = response.content.decode()
    page = _Page()
    page.feed(html)
    assert "/static/css/bootstrap.min.css" in html
    assert page.h1 == 1, "one <h1>"
    title = " ".join(page.title.split())
    assert title.endswith(" – VRP portal") and title != "VRP portal – VRP portal", title
    for script in page.scripts:
        assert script.get("src") or script.get("type") == "application/json", script
    assert page.styles == 0 and page.inline_styles == [] and page.handlers == []
    for field in page.fields:
        assert field.get("id") in page.labels or field.get("aria-label"), field
        for described_by in (field.get("aria-describedby") or "").split():
            assert described_by in page.ids, (field, described_by)
    for words in ALLAUTH_WORDING if own_words else ():
        assert words not in html, words
    return html


# Pages anyone may see.


@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key_done",
        "account_signup",
        "socialaccount_login_cancelled",
    ],
)
def test_the_public_pages_are_the_portals(client, name):
    assert_portal_page(client.get(reverse(name)))


def test_a_failed_microsoft_sign_in_says_what_to_do_next(rf):
    request = rf.get("/accounts/oidc/microsoft/login/callback/")
    request.user = AnonymousUser()

    response = render_authentication_error(request, provider=None)

    html = assert_portal_page(response, status=401)
    assert "Sign-in with Microsoft failed" in html


def test_the_login_page_offers_a_passkey_only_through_static_scripts(client):
    html = assert_portal_page(client.get(reverse("account_login")))

    assert "Sign in with a passkey" in html
    assert 'data-allauth-onload="allauth.webauthn.forms.loginForm"' in html
    assert "/static/js/security-keys.js" in html


def test_signing_up_is_closed_and_says_who_adds_people(client):
    html = assert_portal_page(client.get(reverse("account_signup")))

    assert "the Violence Reduction Unit adds people" in html


def test_a_reset_link_asks_an_invited_person_to_choose_their_password(client):
    user = UserFactory(email="new@example.org")
    user.set_unusable_password()
    user.save()
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"

    to_form = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "x", "key": "y"}).replace(
            "x-y", key
        )
    )
    html = assert_portal_page(client.get(to_form["Location"]))

    assert "Choose your password" in html
    assert 'for="id_password1"' in html and "New password" in html
    assert "Save the password" in html


def test_a_used_or_wrong_reset_link_says_so(client):
    response = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "nope"})
    )

    html = assert_portal_page(response)
    assert "This link is not valid" in html


def test_a_refused_reset_request_shows_its_error_beside_the_field(client):
    response = client.post(reverse("account_reset_password"), {"email": "not an address"})

    html = assert_portal_page(response)
    assert 'aria-describedby="id_email_error"' in html
    assert 'id="id_email_error"' in html


def test_too_many_requests_answer_429_in_the_portals_layout(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "1/1h/ip"}
    client.post(reverse("account_reset_password"), {"email": "someone@example.org"})

    response = client.post(reverse("account_reset_password"), {"email": "someone@example.org"})

    html = assert_portal_page(response, status=429)
    assert "Too many attempts" in html


def test_an_email_confirmation_link_asks_to_confirm_the_address(client, member_user):
    address = EmailAddress.objects.create(
        user=member_user, email="new@example.org", verified=False, primary=False
    )
    key = EmailConfirmationHMAC(address).key

    html = assert_portal_page(client.get(reverse("account_confirm_email", args=[key])))

    assert "new@example.org" in html and "Confirm the address" in html


def test_an_expired_email_confirmation_link_says_what_to_do(client):
    html = assert_portal_page(client.get(reverse("account_confirm_email", args=["nope"])))

    assert "expired or is not valid" in html


def test_the_code_page_asks_for_the_authenticator_code_after_the_password(client, staff_user):
    with time_machine.travel(next_totp_window(), tick=True):
        client.post(reverse("account_login"), {"login": staff_user.email, "password": PASSWORD})
        asked = client.get(reverse("mfa_authenticate"))
        refused = client.post(reverse("mfa_authenticate"), {"code": "000000"})

    html = assert_portal_page(asked)
    assert 'for="id_code"' in html and "Authenticator code" in html
    assert "recovery codes" in html
    assert "Use a security key" not in html  # offered only to people who have one
    refused_html = assert_portal_page(refused)
    assert 'aria-describedby="id_code_error"' in refused_html


# Pages for signed-in people.


@pytest.mark.parametrize(
    "name",
    [
        "account_logout",
        "account_change_password",
        "account_email",
        "account_reauthenticate",
        "mfa_index",
        "usersessions_list",
        "socialaccount_connections",
    ],
)
def test_a_members_security_pages_are_the_portals(member_client, name):
    html = assert_portal_page(member_client.get(reverse(name)))

    assert 'aria-label="Security section"' in html or name in (
        "account_logout",
        "account_reauthenticate",
    )


@pytest.mark.parametrize(
    "name",
    ["mfa_index", "mfa_reauthenticate", "mfa_list_webauthn", "account_email"],
)
def test_staff_security_pages_are_the_portals(staff_client, name):
    assert_portal_page(staff_client.get(reverse(name)))


def test_the_navigation_leads_to_security(member_client):
    html = member_client.get(reverse("dashboard")).content.decode()

    assert f'href="{reverse("mfa_index")}"' in html and ">Security</a>" in html


def test_the_totp_set_up_page_shows_the_secret_as_text(member_user):
    client = signed_in(member_user)

    html = assert_portal_page(client.get(reverse("mfa_activate_totp")))

    secret = client.session["mfa.totp.secret"]
    assert f'<code id="totp-secret" class="user-select-all text-break">{secret}</code>' in html
    assert 'alt="QR code for the VRP portal' in html
    assert 'for="id_code"' in html
    assert MUST_USE_A_SECOND_FACTOR not in html


@pytest.mark.parametrize("role", [VRU_STAFF, CHAIR])
def test_staff_and_the_chair_sent_to_set_up_are_told_why(role):
    user = UserFactory(email="lead@example.org", roles=[role], second_factor=False)
    client = signed_in(user)

    sent = client.get(reverse("dashboard"))
    html = assert_portal_page(client.get(sent["Location"]))

    assert sent["Location"] == reverse("mfa_activate_totp")
    assert MUST_USE_A_SECOND_FACTOR in html
    assert client.session["mfa.totp.secret"] in html


def test_a_wrong_set_up_code_is_shown_beside_the_field(member_user):
    client = signed_in(member_user)
    client.get(reverse("mfa_activate_totp"))

    response = client.post(reverse("mfa_activate_totp"), {"code": "not a code"})

    html = assert_portal_page(response)
    assert 'aria-invalid="true"' in html and 'id="id_code_error"' in html


def test_the_recovery_codes_are_listed_after_setting_up(member_user):
    client = signed_in(member_user)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]

    with time_machine.travel(next_totp_window(), tick=True):
        activated = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    html = assert_portal_page(client.get(activated["Location"]))

    assert activated["Location"] == reverse("mfa_view_recovery_codes")
    codes = RecoveryCodes(Authenticator.objects.get(type="recovery_codes")).get_unused_codes()
    assert all(f"<li>{code}</li>" in html for code in codes)


def test_staff_cannot_be_shown_a_way_to_remove_their_only_factor(staff_user):
    client = signed_in(staff_user)

    html = assert_portal_page(client.get(reverse("mfa_deactivate_totp")))

    assert "VRU staff and the chair must keep one" in html
    assert "<button" not in html.split('id="main"')[1]


def test_a_member_may_remove_their_authenticator_app(member_user):
    client = signed_in(member_user)
    give_second_factor(member_user)

    html = assert_portal_page(client.get(reverse("mfa_deactivate_totp")))

    assert "Remove the authenticator app</button>" in html


def test_recovery_code_pages_are_the_portals(staff_user):
    RecoveryCodes.activate(staff_user)
    client = signed_in(staff_user)

    assert_portal_page(client.get(reverse("mfa_view_recovery_codes")))
    assert_portal_page(client.get(reverse("mfa_generate_recovery_codes")))
    download = client.get(reverse("mfa_download_recovery_codes")).content.decode()
    assert download.startswith("VRP portal recovery codes")


def test_security_key_pages_are_the_portals(member_user):
    client = signed_in(member_user)
    add = assert_portal_page(client.get(reverse("mfa_add_webauthn")))
    # Enough of a key for the pages that list, rename and remove it.
    key = Authenticator.objects.create(
        user=member_user,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "Blue key", "credential": {}, "passwordless": False},
    )

    listed = assert_portal_page(client.get(reverse("mfa_list_webauthn")))
    assert_portal_page(client.get(reverse("mfa_edit_webauthn", kwargs={"pk": key.pk})))
    assert_portal_page(client.get(reverse("mfa_remove_webauthn", kwargs={"pk": key.pk})))

    assert "Blue key" in listed and "Security key" in listed
    assert 'data-allauth-onload="allauth.webauthn.forms.addForm"' in add
    assert 'id="js_data" type="application/json"' in add


def test_a_member_may_change_their_own_email_address(member_client):
    html = assert_portal_page(member_client.get(reverse("account_email")))

    assert "owner@example.org" in html and 'for="id_email"' in html


def test_someone_with_a_second_factor_is_told_to_ask_the_vru_to_change_their_email(
    staff_client,
):
    html = assert_portal_page(staff_client.get(reverse("account_email")))

    assert "Ask the Violence Reduction Unit to change it" in html
    assert 'name="action_add"' not in html


def test_a_waiting_email_change_can_be_sent_again_or_cancelled(member_user, member_client):
    EmailAddress.objects.create(
        user=member_user, email="new@example.org", verified=False, primary=False
    )

    html = assert_portal_page(member_client.get(reverse("account_email")))

    assert "new@example.org" in html
    assert 'name="action_send"' in html and 'name="action_remove"' in html


def test_the_sessions_page_dates_sessions_the_british_way(member_user):
    client = signed_in(member_user)

    html = assert_portal_page(client.get(reverse("usersessions_list")))

    assert timezone.localtime().strftime("%A %-d %B %Y") in html
    assert "This browser" in html


def test_the_logged_in_message_names_no_email(member_user):
    client = Client()

    response = client.post(
        reverse("account_login"),
        {"login": member_user.email, "password": PASSWORD},
        follow=True,
    )

    assert "You are signed in." in response.content.decode()
    assert "Successfully signed in as" not in response.content.decode()


# Emails.


def render_email(template_prefix: str, **context) -> tuple[str, str]:
    """The subject and body allauth would send to someone@example.org."""
    context = {"email": "someone@example.org", **context}
    message = get_adapter().render_mail(template_prefix, "someone@example.org", context)
    return message.subject, message.body


def test_the_password_reset_email_speaks_as_the_portal(client, member_user, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": member_user.email})

    (email,) = mailoutbox
    assert email.subject == "VRP portal: Reset your password"
    assert "asked to reset the password of your VRP portal account" in email.body
    assert "/accounts/password/reset/key/" in email.body
    assert email.body.rstrip().endswith("Southampton Violence Reduction Partnership")


def test_the_change_requested_email_goes_to_the_old_address_in_portal_words():
    subject, body = render_email(
        "account/email/email_change_requested",
        from_email="old@example.org",
        to_email="new@example.org",
    )

    assert subject == "VRP portal: Your email address is being changed"
    assert "from old@example.org to new@example.org" in body
    assert "takes effect only once it is confirmed from new@example.org" in body
    assert "tell the Violence Reduction Unit straight away" in body


@pytest.mark.parametrize(
    ("template_prefix", "context", "subject", "words"),
    [
        (
            "account/email/email_confirmation",
            {"activate_url": "http://127.0.0.1:8000/accounts/confirm-email/k/"},
            "Confirm your new email address",
            "http://127.0.0.1:8000/accounts/confirm-email/k/",
        ),
        (
            "account/email/email_changed",
            {"from_email": "old@example.org", "to_email": "new@example.org"},
            "Your email address has changed",
            "from old@example.org to new@example.org",
        ),
        (
            "account/email/password_changed",
            {},
            "Your password has changed",
            "The password of your VRP portal account has been changed.",
        ),
        (
            "account/email/password_reset",
            {},
            "Your password has been reset",
            "has been reset, with a link sent to this address",
        ),
        (
            "account/email/unknown_account",
            {},
            "Password reset: no portal account uses this address",
            "no portal account uses it",
        ),
        (
            "mfa/email/totp_activated",
            {},
            "An authenticator app was set up",
            "An authenticator app was set up as the second factor",
        ),
    ],
)
def test_emails_speak_as_the_portal(template_prefix, context, subject, words):
    sent_subject, body = render_email(template_prefix, timestamp=timezone.now(), **context)

    assert sent_subject == f"VRP portal: {subject}"
    assert words in body
    assert body.startswith("Hello,")
    assert "Violence Reduction Unit" in body
    assert "Hello from" not in body and "Thank you for using" not in body


def test_security_notices_say_when_in_british_time_and_what_to_do():
    _, body = render_email(
        "account/email/password_changed",
        timestamp=timezone.make_aware(timezone.datetime(2024, 3, 5, 10, 0)),
    )

    assert "When: Tuesday 5 March 2024, 10:00 (UK time)" in body
    assert "reset your password straight away" in body


def test_no_signup_link_reaches_an_unknown_address():
    body = render_to_string(
        "account/email/unknown_account_message.txt",
        {"email": "someone@example.org", "signup_url": "http://x/accounts/signup/"},
    )

    assert "/accounts/signup/" not in body


def test_allauths_own_page_templates_build_from_the_portals_elements(rf, member_user):
    """Pages the portal does not override (allauth's address list, say) still come out
    in Bootstrap's classes, labelled, through templates/allauth/elements."""
    request = rf.get(reverse("account_email"))
    request.user = member_user
    address = EmailAddress.objects.get(user=member_user)
    context = {
        "emailaddresses": [address],
        "emailaddress_radios": [{"id": "email_radio_0", "checked": True, "emailaddress": address}],
        "form": AddEmailForm(user=member_user, data={"email": "not an address"}),
        "can_add_email": True,
    }

    html = render_to_string("account/email.html", context, request=request)

    assert_portal_page(HttpResponse(html), own_words=False)  # allauth's words, our look
    assert 'class="form-check-input"' in html and 'class="form-check-label"' in html
    assert 'class="badge text-bg-success"' in html
    assert 'class="btn btn-danger"' in html and 'class="btn btn-primary"' in html
    assert 'aria-describedby="id_email_error"' in html
