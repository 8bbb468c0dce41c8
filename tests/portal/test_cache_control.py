"""Nothing a signed-in person is shown is kept by a shared cache or written to disk by
a browser: every response to them says `Cache-Control: private, no-store`, downloads
included. Static files keep hashed names that any cache may keep for a year."""

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse
from django.utils.cache import get_max_age

from tests.factories import ActionFactory, MeetingFactory, UserFactory
from tests.guards.test_every_url import PATTERNS
from tests.guards.urlconf import build_one_of_everything, url_for

pytestmark = pytest.mark.django_db

ONE_YEAR = 365 * 24 * 60 * 60


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def assert_private_no_store(response, url: str = "") -> None:
    assert {"private", "no-store"} <= directives(response), (
        f"{url} answered {response.status_code} with Cache-Control "
        f"{response.get('Cache-Control')!r}"
    )
    assert "public" not in directives(response), url


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/members/people/",
        "/members/distribution-list/",
        "/members/distribution-list.csv",
        "/members/distribution-list.docx",
        "/actions/",
        "/actions/export.csv",
        "/actions/export.xlsx",
        "/actions/mine/",
        "/meetings/",
        "/meetings/attendance.csv",
        "/tracker/",
    ],
)
def test_pages_and_downloads_for_a_member_are_private_and_not_stored(
    member_client, working_group, url
):
    ActionFactory(group=working_group)

    response = member_client.get(url)

    assert response.status_code == 200, url
    assert_private_no_store(response, url)


def test_a_meetings_calendar_file_is_private_and_not_stored(member_client, working_group):
    meeting = MeetingFactory(group=working_group)

    response = member_client.get(f"/meetings/{meeting.pk}.ics")

    assert response.status_code == 200
    assert_private_no_store(response)


@pytest.mark.parametrize("extension", ["csv", "docx", "pdf", "xlsx", "json"])
def test_the_quarterly_update_downloads_are_private_and_not_stored(
    chair_client, working_group, extension
):
    response = chair_client.get(f"/reports/quarterly/2024-25/q1/report.{extension}")

    assert response.status_code == 200
    assert_private_no_store(response)


def test_refusals_errors_and_redirects_are_private_and_not_stored(member_client, working_group):
    refused = member_client.get("/members/people/new/")
    missing = member_client.get("/meetings/999999/")
    redirected = member_client.post("/actions/reminders/", {"reminders": "off"})

    assert (refused.status_code, missing.status_code, redirected.status_code) == (403, 404, 302)
    for response in (refused, missing, redirected):
        assert_private_no_store(response)


def test_an_account_with_no_role_is_refused_privately(client):
    client.force_login(UserFactory(email="nobody@example.org"))

    response = client.get("/")

    assert response.status_code == 403
    assert_private_no_store(response)


def test_the_answer_to_signing_out_is_private_and_not_stored(member_client):
    response = member_client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert_private_no_store(response)


# The partnership's stylesheet is the same for everyone (tests/portal/test_branding.py).
SAME_FOR_ALL = {"partnership_css"}
PERSONAL = [(name, pattern) for name, pattern in PATTERNS if name not in SAME_FOR_ALL]


@pytest.mark.parametrize(("name", "pattern"), PERSONAL, ids=[name for name, _ in PERSONAL])
def test_every_url_answers_staff_privately(name, pattern, staff_client, staff_user):
    build_one_of_everything(staff_user.person)
    url = url_for(name, pattern)

    response = staff_client.get(url)

    assert_private_no_store(response, url)


def test_static_files_keep_hashed_names_cached_for_a_year(settings, tmp_path, member_user):
    """The production storage, collected as on a release; whitenoise serves it before
    any of the portal's middleware, so a signed-in person gets the same long-lived file."""
    settings.STATIC_ROOT = tmp_path
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    url = static("css/portal.css")
    client = Client()  # a new client loads whitenoise over the collected files
    client.force_login(member_user)

    response = client.get(url)

    assert url != "/static/css/portal.css"
    assert url.startswith("/static/css/portal.") and url.endswith(".css")
    assert response.status_code == 200
    assert {"public", "immutable"} <= directives(response)
    assert get_max_age(response) >= ONE_YEAR
    assert "no-store" not in directives(response)
    assert (tmp_path / url.removeprefix("/static/")).exists()
