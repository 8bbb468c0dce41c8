"""The accessibility statement: open to everyone, in the shape the accessibility
regulations expect (GOV.UK's sample statement), honest about what is not accessible,
and naming the contact and dates the deployment sets."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")
ROOT = Path(__file__).resolve().parents[2]
EASS = "https://www.equalityadvisoryservice.com/"


def statement(client) -> str:
    return client.get("/accessibility/").content.decode().replace("&#x27;", "'")


def test_anyone_can_read_it_without_signing_in(client):
    response = client.get("/accessibility/")

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert "<title>Accessibility statement – VRP portal</title>" in page
    assert 'href="/accounts/login/"' in page


def test_signed_in_people_read_it_too(member_client):
    response = member_client.get("/accessibility/")

    assert response.status_code == 200
    assert 'href="/accounts/login/"' not in response.content.decode()


@pytest.mark.parametrize(
    "section",
    [
        "How accessible the portal is",
        "Feedback and contact information",
        "Reporting accessibility problems with the portal",
        "Enforcement procedure",
        "Technical information about the portal's accessibility",
        "Compliance status",
        "Non-accessible content",
        "Non-compliance with the accessibility regulations",
        "Disproportionate burden",
        "Content that's not within the scope of the accessibility regulations",
        "What we're doing to improve accessibility",
        "How the portal was tested",
        "Preparation of this accessibility statement",
    ],
)
def test_it_has_each_section_of_the_model_statement(client, section):
    assert re.search(rf"<h[23][^>]*>{re.escape(section)}</h[23]>", statement(client))


@pytest.mark.parametrize(
    "fact",
    [
        # Who runs it, and for whom.
        "the Hampshire, Isle of Wight, Portsmouth and Southampton Violence Reduction Partnership",
        "run by the partnership's Violence Reduction Unit (VRU)",
        # What people can do.
        "zoom in up to 400%",
        "with a keyboard alone",
        "with a screen reader",
        # The standard and the status, stated plainly.
        "<strong>partially compliant</strong>",
        "(WCAG) version 2.2</a> AA standard",
        # The known problems, each with the criterion it fails.
        "PDF documents are not tagged.",
        "1.3.1 Info and relationships",
        "with a screen reader, use the Word version",
        "30 minutes without activity",
        "2.2.1 Timing adjustable",
        "The pages under /admin/",
        "2.5.8 Target size (minimum)",
        "1.4.10 Reflow",
        # How it was tested.
        "axe-core</strong>'s automated rules for WCAG 2.0, 2.1 and 2.2 levels A and AA",
        "every page at 320 pixels wide",
        "on every change to its code",
        # Who enforces the regulations.
        "The Equality and Human Rights Commission (EHRC) is responsible for enforcing",
        "reply within 5 working days",
    ],
)
def test_it_says_who_runs_it_how_accessible_it_is_and_how_it_was_tested(client, fact):
    assert fact in statement(client)


def test_it_names_the_partnership_the_deployment_serves(client, settings):
    settings.PARTNERSHIP_NAME = "Thames Valley Violence Reduction Partnership"

    assert "which the Thames Valley Violence Reduction Partnership uses" in statement(client)


def test_it_gives_the_contact_email_from_the_settings(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "vru-accessibility@example.gov.uk"

    page = statement(client)

    feedback = page.split("Feedback and contact information", 1)[1]
    reporting = page.split("Reporting accessibility problems", 1)[1]
    link = '<a href="mailto:vru-accessibility@example.gov.uk">vru-accessibility@example.gov.uk</a>'
    assert link in feedback.split("<h2", 1)[0]
    assert link in reporting.split("<h2", 1)[0]


def test_it_links_to_the_equality_advisory_and_support_service(client):
    page = statement(client)

    assert f'<a href="{EASS}">Equality Advisory and Support Service (EASS)</a>' in page


def test_it_gives_the_dates_it_was_prepared_and_reviewed_from_the_settings(client, settings):
    settings.ACCESSIBILITY_STATEMENT_PREPARED = "2 December 2026"
    settings.ACCESSIBILITY_STATEMENT_REVIEWED = "1 June 2027"

    page = statement(client)

    assert "This statement was prepared on 2 December 2026." in page
    assert "It was last reviewed on 1 June 2027." in page


def settings_from_environment(**environment) -> list[str]:
    """The statement's settings as a fresh interpreter reads them from `environment`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCESSIBILITY_")}
    env.update(environment, DEBUG="True", DJANGO_SETTINGS_MODULE="vrp_portal.settings")
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.ACCESSIBILITY_CONTACT_EMAIL, s.ACCESSIBILITY_STATEMENT_PREPARED, "
        "s.ACCESSIBILITY_STATEMENT_REVIEWED, sep='|')"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().split("|")


def test_the_contact_defaults_to_the_portal_sender_and_both_dates_to_when_it_was_written():
    assert settings_from_environment(DEFAULT_FROM_EMAIL="vru@example.gov.uk") == [
        "vru@example.gov.uk",
        "2 December 2026",
        "2 December 2026",
    ]


def test_a_deployment_sets_its_own_contact_and_dates():
    assert settings_from_environment(
        ACCESSIBILITY_CONTACT_EMAIL="access@example.gov.uk",
        ACCESSIBILITY_STATEMENT_PREPARED="3 January 2027",
        ACCESSIBILITY_STATEMENT_REVIEWED="4 July 2027",
    ) == ["access@example.gov.uk", "3 January 2027", "4 July 2027"]


def test_it_rejects_post(client):
    assert client.post("/accessibility/").status_code == 405


def test_it_has_no_inline_script_or_style(client):
    page = statement(client)

    assert INLINE_SCRIPT.search(page) is None
    assert " style=" not in page and "<style" not in page
