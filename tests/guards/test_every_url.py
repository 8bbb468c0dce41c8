"""Guards over the whole URLconf: every page answers, has one <h1>, and needs sign-in."""

import re

import pytest
from django.urls import reverse

from tests.guards.urlconf import arguments_for, build_one_of_everything, portal_patterns

pytestmark = pytest.mark.django_db

# Reachable without signing in: sign-in itself (the second factor and Microsoft
# included), password reset, confirming a new email address, the health check, and
# calendar feeds (they carry their own secret token).
PUBLIC = {
    "account_login",
    "account_signup",
    "account_inactive",
    "account_confirm_login_code",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "mfa_authenticate",
    "mfa_login_webauthn",
    "openid_connect_login",
    "openid_connect_callback",
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
    "socialaccount_signup",
    "healthz",
    "meetings:calendar_feed",
}
PATTERNS = sorted(portal_patterns(), key=lambda item: item[0])
PRIVATE = [(name, pattern) for name, pattern in PATTERNS if name not in PUBLIC]
H1 = re.compile(rb"<h1[\s>]")


@pytest.fixture
def everything(staff_user):
    build_one_of_everything(staff_user.person)


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_every_url_answers_staff_without_error_and_with_one_h1(
    name, pattern, staff_client, everything
):
    url = reverse(name, kwargs=arguments_for(pattern))

    response = staff_client.get(url)

    assert response.status_code < 500, url
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert len(H1.findall(response.content)) == 1, f"{url} must have exactly one <h1>"
        assert b"<title>" in response.content


@pytest.mark.parametrize(("name", "pattern"), PRIVATE, ids=[name for name, _ in PRIVATE])
def test_every_private_url_needs_sign_in(name, pattern, client, everything):
    url = reverse(name, kwargs=arguments_for(pattern))

    response = client.get(url)

    assert response.status_code == 302, url
    assert response["Location"].startswith(reverse("account_login")), url


def test_the_public_pages_answer_anonymous_visitors(client):
    assert client.get(reverse("account_login")).status_code == 200
    assert client.get(reverse("account_reset_password")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
