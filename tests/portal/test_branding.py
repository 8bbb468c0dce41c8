"""The partnership's look comes from settings: another partnership sets its own name,
logo and colours, and start-up refuses colours that are not colours or fail WCAG AA."""

import pytest
from django.test import Client
from django.urls import reverse

from core import branding
from core.permissions import VRU_STAFF
from tests.factories import UserFactory
from tests.portal.test_settings import start

pytestmark = pytest.mark.django_db

NORTHSHIRE = {
    "PARTNERSHIP_NAME": "Northshire Serious Violence Partnership",
    "PARTNERSHIP_SHORT_NAME": "NSVP",
    "PORTAL_NAME": "NSVP portal",
    "PARTNERSHIP_LOGO": "img/northshire.svg",
    "PARTNERSHIP_COLOURS": {"primary": "#005a70", "accent": "#ffdd00"},
}


@pytest.fixture
def northshire(settings):
    for name, value in NORTHSHIRE.items():
        setattr(settings, name, value)


def test_the_pages_wear_the_default_partnership(member_client):
    html = member_client.get(reverse("dashboard")).content.decode()

    assert "<title>Dashboard – VRP portal</title>" in html
    assert 'src="/static/img/logo-light.svg"' in html and 'alt="HIPS VRP"' in html
    footer = html.split("<footer", 1)[1]
    assert "Hampshire, Isle of Wight, Portsmouth and Southampton Violence Reduction" in footer
    assert f'href="{reverse("privacy")}">Privacy notice</a>' in footer
    assert f'href="{reverse("accessibility")}">Accessibility statement</a>' in footer


def test_another_partnership_sees_its_own_name_logo_and_colours(northshire, member_client, client):
    html = member_client.get(reverse("dashboard")).content.decode()

    assert "<title>Dashboard – NSVP portal</title>" in html
    assert 'src="/static/img/northshire.svg"' in html and 'alt="NSVP"' in html
    assert "Northshire Serious Violence Partnership." in html.split("<footer", 1)[1]
    assert "Hampshire" not in html
    stylesheet = f"{reverse('partnership_css')}?v={branding.version()}"
    assert f'href="{stylesheet}"' in html

    response = client.get(stylesheet)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    css = response.content.decode()
    assert "--vrp-primary: #005a70;" in css
    assert "--vrp-primary-rgb: 0, 90, 112;" in css
    assert "--vrp-accent: #ffdd00;" in css


def test_the_stylesheet_is_public_and_cached_for_a_year_under_its_version(client):
    response = client.get(f"{reverse('partnership_css')}?v={branding.version()}")

    assert response.status_code == 200
    assert "--vrp-primary: #3b1f5c;" in response.content.decode()
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_an_old_version_of_the_stylesheet_is_cached_only_briefly(client):
    response = client.get(f"{reverse('partnership_css')}?v=old")

    assert response["Cache-Control"] == "public, max-age=300"


def test_staff_still_setting_up_a_second_factor_get_the_stylesheet_cached_publicly():
    """The stylesheet carries no personal data: signed in, it is still the same for all,
    and the second-factor set-up page, where such staff are held, wears it too."""
    user = UserFactory(roles=[VRU_STAFF], second_factor=False)
    client = Client()
    client.force_login(user)

    response = client.get(f"{reverse('partnership_css')}?v={branding.version()}")

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_new_colours_are_a_new_version(settings):
    before = branding.version()
    settings.PARTNERSHIP_COLOURS = {"primary": "#005a70", "accent": "#ffdd00"}

    assert branding.version() != before


def test_the_stylesheet_only_answers_get(client):
    assert client.post(reverse("partnership_css")).status_code == 405


def test_colours_from_the_environment_are_read_as_hex():
    result = start(DEBUG="True", PARTNERSHIP_COLOURS="primary=005A70,accent=#fd0")

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("colours", "message"),
    [
        (
            "primary=purple",
            "PARTNERSHIP_COLOURS primary='purple' is not a hex colour such as #3b1f5c.",
        ),
        ("secondary=#000000", "PARTNERSHIP_COLOURS names secondary: it takes only primary and"),
        (
            "primary=#ffcc00",
            "PARTNERSHIP_COLOURS primary=#ffcc00 has a contrast of 1.5:1 with white text; "
            "WCAG 2.2 AA needs at least 4.5:1.",
        ),
        (
            "accent=#4b2f6c",
            "PARTNERSHIP_COLOURS accent=#4b2f6c has a contrast of 1.3:1 with the primary colour",
        ),
    ],
)
def test_a_bad_colour_stops_start_up_with_a_clear_message(colours, message):
    result = start(DEBUG="True", PARTNERSHIP_COLOURS=colours)

    assert result.returncode != 0
    assert message in result.stderr
