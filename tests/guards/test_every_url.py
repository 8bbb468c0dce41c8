"""Guards over the whole URLconf: every page answers, has one <h1>, and needs sign-in."""

import re

import pytest
from django.urls import reverse

from tests.guards.urlconf import arguments_for, build_one_of_everything, portal_patterns

pytestmark = pytest.mark.django_db

# Reachable without signing in: sign-in itself, password reset, the health check,
# and calendar feeds (they carry their own secret token).
PUBLIC = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
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
    assert response["Location"].startswith(reverse("login")), url


def test_the_public_pages_answer_anonymous_visitors(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("password_reset")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
