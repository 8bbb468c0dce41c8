"""Guards over the whole URLconf: every page answers, has one <h1>, and needs sign-in.

Each URL is built from rows the role may see (tests/guards/urlconf.py), so a 404 is a
fault: either of the page, or of the guard, which must then build what the page needs.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.guards.urlconf import (
    build_one_of_everything,
    configure_microsoft,
    portal_patterns,
    state_for,
    url_for,
)

pytestmark = pytest.mark.django_db

# Reachable without signing in: sign-in itself (the second factor and Microsoft
# included), password reset, confirming a new email address, the health checks, and
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
    "readyz",
    "privacy",
    "partnership_css",
    "accessibility",
    "meetings:calendar_feed",
}
PATTERNS = sorted(portal_patterns(), key=lambda item: item[0])
PRIVATE = [(name, pattern) for name, pattern in PATTERNS if name not in PUBLIC]
H1 = re.compile(rb"<h1[\s>]")
OK, FOUND, UNAUTHORISED, FORBIDDEN, NOT_ALLOWED = 200, 302, 401, 403, 405
# A GET may answer a page, a redirect (sign-in to a signed-in person sends them on), or
# 405 where the URL only changes state (tests/guards/test_csrf.py posts to them all).
ANSWERS = {OK, FOUND, NOT_ALLOWED}
# allauth answers a failed third-party sign-in with its own page, as 401: so does
# Microsoft's callback reached without Microsoft's answer.
SPECIAL_ANSWERS = {
    "socialaccount_login_error": {UNAUTHORISED},
    "openid_connect_callback": {UNAUTHORISED},
}
# Signing up after Microsoft is only reached halfway through a Microsoft sign-in;
# without one it starts again from the sign-in page.
BACK_TO_SIGN_IN = {"socialaccount_signup"}


def assert_answers(response, name: str, url: str, *, refusals: set[int] = frozenset()) -> None:
    allowed = ANSWERS | SPECIAL_ANSWERS.get(name, set()) | refusals
    assert response.status_code in allowed, f"{url} answered {response.status_code}"
    if response.status_code == FOUND and name not in BACK_TO_SIGN_IN:
        assert not response["Location"].startswith(reverse("account_login")), url
    if response.status_code in (OK, UNAUTHORISED) and response["Content-Type"].startswith(
        "text/html"
    ):
        assert len(H1.findall(response.content)) == 1, f"{url} must have exactly one <h1>"
        assert b"<title>" in response.content, f"{url} must have a <title>"


@pytest.fixture
def microsoft(settings):
    configure_microsoft(settings)


@pytest.fixture
def everything(staff_user, microsoft):
    build_one_of_everything(staff_user.person)


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_every_url_answers_staff_without_error_and_with_one_h1(
    name, pattern, staff_client, staff_user, everything
):
    url = url_for(name, pattern)

    with state_for(name, staff_user):
        response = staff_client.get(url)

    assert_answers(response, name, url)


@pytest.mark.parametrize("persona", ["member_user", "chair_user"])
def test_every_url_answers_members_and_the_chair_without_error_or_404(persona, request, microsoft):
    """Built around their own person, every URL answers them; staff pages refuse (403)."""
    user = request.getfixturevalue(persona)
    build_one_of_everything(user.person)
    client = Client()
    client.force_login(user)

    for name, pattern in PATTERNS:
        url = url_for(name, pattern)
        with state_for(name, user):
            response = client.get(url)
        assert_answers(response, name, url, refusals={FORBIDDEN})


@pytest.mark.parametrize(("name", "pattern"), PRIVATE, ids=[name for name, _ in PRIVATE])
def test_every_private_url_needs_sign_in(name, pattern, client, everything):
    url = url_for(name, pattern)

    response = client.get(url)

    assert response.status_code == 302, url
    assert response["Location"].startswith(reverse("account_login")), url


def test_the_public_pages_answer_anonymous_visitors(client):
    assert client.get(reverse("account_login")).status_code == 200
    assert client.get(reverse("account_reset_password")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
