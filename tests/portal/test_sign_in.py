import pytest
from axes.models import AccessAttempt, AccessLog
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_a_person_signs_in_with_their_email_in_any_case(client):
    UserFactory(email="lead@example.org")

    response = client.post(reverse("login"), {"username": "Lead@Example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_a_wrong_password_is_refused_with_a_clear_message(client):
    UserFactory(email="lead@example.org")

    response = client.post(reverse("login"), {"username": "lead@example.org", "password": "nope"})

    assert response.status_code == 200
    assert "Enter the correct email address and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_inactive_account_cannot_sign_in(client):
    UserFactory(email="gone@example.org", is_active=False)

    response = client.post(reverse("login"), {"username": "gone@example.org", "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_signing_out_is_a_post(member_client):
    assert member_client.get(reverse("logout")).status_code == 405

    response = member_client.post(reverse("logout"))

    assert response.status_code == 302
    assert member_client.get(reverse("dashboard")).status_code == 302


def test_the_login_page_is_in_the_portals_style_without_external_assets(client):
    response = client.get(reverse("login"))
    content = response.content.decode()

    assert "<h1>Sign in</h1>" in content
    assert "/static/css/bootstrap.min.css" in content
    assert 'src="http' not in content and 'href="http' not in content
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "style-src 'self'" in response["Content-Security-Policy"]


def test_password_reset_sends_a_link_to_a_known_address(client, mailoutbox):
    UserFactory(email="lead@example.org")

    response = client.post(reverse("password_reset"), {"email": "lead@example.org"})

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body


def test_healthz_answers_without_sign_in(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_repeated_failures_lock_the_account_out_for_a_while(client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="lead@example.org")
    for _ in range(3):
        client.post(reverse("login"), {"username": "lead@example.org", "password": "wrong"})

    response = client.post(reverse("login"), {"username": "lead@example.org", "password": PASSWORD})

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_in_leaves_no_access_log_and_clears_failures(client, settings):
    settings.AXES_ENABLED = True
    UserFactory(email="lead@example.org")
    client.post(reverse("login"), {"username": "lead@example.org", "password": "wrong"})
    assert AccessAttempt.objects.count() == 1

    client.post(reverse("login"), {"username": "lead@example.org", "password": PASSWORD})

    assert "_auth_user_id" in client.session
    assert AccessLog.objects.count() == 0
    assert AccessAttempt.objects.count() == 0
