"""Guards over CSRF: no view of the URLconf is exempt, and every URL refuses a POST
without a CSRF token, whoever sends it.

The rest of the suite posts with Django's test client, which skips CSRF checks, so a
stray `@csrf_exempt` would pass every other test.
"""

import pytest
from django.http import HttpResponseForbidden
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.guards.test_every_url import PATTERNS
from tests.guards.urlconf import build_one_of_everything, state_for, url_for

pytestmark = pytest.mark.django_db

REFUSED_FOR_CSRF = "X-Refused-For-CSRF"


def refused_for_csrf(request, reason=""):
    """CSRF_FAILURE_VIEW in these tests: a refusal that says it came from the CSRF check."""
    return HttpResponseForbidden(
        f"CSRF verification failed: {reason}", headers={REFUSED_FOR_CSRF: "1"}
    )


def every_view(resolver=None, prefix=""):
    """(route, view) of every pattern in the URLconf, the admin's and allauth's included."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from every_view(entry, f"{prefix}{entry.pattern}")
        elif isinstance(entry, URLPattern):
            yield f"{prefix}{entry.pattern}", entry.callback


def test_no_view_is_csrf_exempt():
    exempt = [route for route, view in every_view() if getattr(view, "csrf_exempt", False)]

    assert exempt == []


def test_the_guard_walks_the_whole_urlconf():
    routes = [route for route, _ in every_view()]

    assert "reports/quarterly/<str:fy>/<str:q>/finalise/" in routes
    assert "actions/<int:pk>/update/" in routes
    assert any(route.startswith("admin/") for route in routes)
    assert any(route.startswith("accounts/") for route in routes)


@pytest.fixture
def csrf_client(staff_user, settings):
    settings.CSRF_FAILURE_VIEW = "tests.guards.test_csrf.refused_for_csrf"
    build_one_of_everything(staff_user.person)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    return client


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_every_url_refuses_a_post_without_a_csrf_token(name, pattern, csrf_client, staff_user):
    """Every URL, so every one whose view accepts POST: VRU staff may change anything,
    so only the CSRF check stands between a forged form and the database."""
    url = url_for(name, pattern)

    with state_for(name, staff_user):
        response = csrf_client.post(url, {"anything": "forged"})

    assert response.status_code == 403, url
    assert response.get(REFUSED_FOR_CSRF) == "1", f"{url} was refused, but not by the CSRF check"
