"""Signing in by email and password: messages, lock-out, throttles and equal timing."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse

from core.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


def test_a_person_signs_in_with_their_email_in_any_case(client):
    UserFactory(email="lead@example.org")

    response = sign_in(client, " Lead@Example.org ")

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_a_wrong_password_is_refused_with_a_clear_message(client):
    UserFactory(email="lead@example.org")

    response = sign_in(client, "lead@example.org", "nope-not-this-one")

    assert response.status_code == 200
    assert "Enter the correct email address and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_inactive_account_cannot_sign_in(client):
    UserFactory(email="gone@example.org", is_active=False)

    sign_in(client, "gone@example.org")

    assert "_auth_user_id" not in client.session


def test_signing_out_is_a_post(member_client):
    assert member_client.get("/accounts/logout/").status_code == 200  # a confirmation page
    assert member_client.get(reverse("dashboard")).status_code == 200

    response = member_client.post("/accounts/logout/")

    assert response.status_code == 302
    assert member_client.get(reverse("dashboard")).status_code == 302


def test_the_login_page_is_in_the_portals_style_without_external_assets(client):
    response = client.get(LOGIN)
    content = response.content.decode()

    assert "<h1>Sign in</h1>" in content
    assert "/static/css/bootstrap.min.css" in content
    assert 'src="http' not in content and 'href="http' not in content
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "style-src 'self'" in response["Content-Security-Policy"]


def test_nobody_signs_up_for_themselves(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": "a-long-passphrase", "password2": "x"},
    )

    assert response.status_code == 200
    assert not User.objects.filter(email="new@example.org").exists()


def test_password_reset_sends_a_link_to_a_known_address(client, mailoutbox):
    UserFactory(email="lead@example.org")

    response = client.post("/accounts/password/reset/", {"email": "Lead@example.org"})

    assert response.status_code == 302
    [message] = mailoutbox
    assert message.to == ["lead@example.org"]
    assert "http://127.0.0.1:8000/accounts/password/reset/key/" in message.body


def test_password_reset_for_an_unknown_address_sends_nothing_and_looks_the_same(client, mailoutbox):
    UserFactory(email="lead@example.org")

    known = client.post("/accounts/password/reset/", {"email": "lead@example.org"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [message.to for message in mailoutbox] == [["lead@example.org"]]


def test_many_reset_requests_for_one_address_send_at_most_three_emails(client, mailoutbox):
    UserFactory(email="chair@example.org")

    answers = [
        client.post("/accounts/password/reset/", {"email": "Chair@example.org"}).status_code
        for _ in range(25)
    ]

    assert len(mailoutbox) == 3
    assert answers.count(429) == 22


def test_healthz_answers_without_sign_in(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok\n"


class TestLockOut:
    @pytest.fixture(autouse=True)
    def _axes_on(self, settings):
        settings.AXES_ENABLED = True

    def test_ten_failures_lock_the_email_out_for_an_hour_with_a_clear_message(self, client):
        UserFactory(email="lead@example.org")
        for _ in range(10):
            sign_in(client, "lead@example.org", "wrong-password-guess")

        response = sign_in(client, "lead@example.org")

        assert response.status_code == 429
        assert "Too many attempts" in response.content.decode()
        assert "paused for an hour" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_every_spelling_of_the_email_shares_one_counter(self, client):
        """Found: after 10 failures, another capitalisation signed in with 10 more tries."""
        UserFactory(email="member@example.org")
        spellings = ["member@example.org", "Member@example.org", " MEMBER@EXAMPLE.ORG "]
        for attempt in range(10):
            sign_in(client, spellings[attempt % 3], "wrong-password-guess")

        for spelling in ["Member@example.org", "mEmBeR@example.org ", "member@example.org"]:
            response = sign_in(client, spelling)
            assert response.status_code == 429, spelling
        assert "_auth_user_id" not in client.session
        assert AccessAttempt.objects.count() == 1

    def test_a_superuser_is_locked_out_like_anyone(self, client):
        UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
        for _ in range(10):
            sign_in(client, "ROOT@example.org", "wrong-password-guess")

        assert sign_in(client, "root@example.org").status_code == 429

    def test_a_lock_out_at_one_address_does_not_stop_the_person_elsewhere(self, client):
        UserFactory(email="chair@example.org")
        for _ in range(10):
            sign_in(client, "chair@example.org", "wrong", REMOTE_ADDR="203.0.113.9")

        response = sign_in(client, "chair@example.org", REMOTE_ADDR="198.51.100.7")

        assert response.status_code == 302

    def test_behind_a_trusted_proxy_the_forwarded_client_address_is_counted(self, client, settings):
        """Found: behind a proxy anyone could lock the chair out for an hour."""
        settings.TRUSTED_PROXY_COUNT = 1
        UserFactory(email="chair@example.org")
        proxy = {"REMOTE_ADDR": "10.0.0.2"}
        for _ in range(10):
            sign_in(
                client, "chair@example.org", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy
            )

        attacker = sign_in(client, "chair@example.org", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
        chair = sign_in(Client(), "chair@example.org", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)

        assert chair.status_code == 302
        assert attacker.status_code == 429
        assert AccessAttempt.objects.get().ip_address == "203.0.113.9"

    def test_without_a_trusted_proxy_a_forged_header_is_ignored(self, client):
        UserFactory(email="chair@example.org")
        for n in range(10):
            forged = f"192.0.2.{n}"
            sign_in(client, "chair@example.org", "wrong", HTTP_X_FORWARDED_FOR=forged)

        response = sign_in(client, "chair@example.org", HTTP_X_FORWARDED_FOR="192.0.2.200")

        assert response.status_code == 429

    def test_signing_in_leaves_no_access_log_and_clears_failures(self, client):
        UserFactory(email="lead@example.org")
        sign_in(client, "lead@example.org", "wrong")
        assert AccessAttempt.objects.count() == 1

        sign_in(client, "Lead@example.org")

        assert "_auth_user_id" in client.session
        assert AccessLog.objects.count() == 0
        assert AccessAttempt.objects.count() == 0


class CountingHasher(MD5PasswordHasher):
    """Counts how many times a password is hashed, the cost that timing reveals."""

    algorithm = "counting_md5"
    hashes = 0

    def encode(self, password, salt):
        CountingHasher.hashes += 1
        return super().encode(password, salt).replace("md5$", "counting_md5$", 1)

    def verify(self, password, encoded):
        CountingHasher.hashes += 1
        return super().verify(password, encoded.replace("counting_md5$", "md5$", 1))


def test_a_wrong_password_costs_the_same_whether_or_not_the_account_exists(client, settings):
    """Found: an existing email took twice as long, so anyone could list the accounts."""
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    UserFactory(email="lead@example.org")
    invited = UserFactory(email="invited@example.org")
    invited.set_unusable_password()
    invited.save()
    costs = {}
    for email in ["lead@example.org", "nobody@example.org", "invited@example.org"]:
        CountingHasher.hashes = 0
        sign_in(client, email, "not-the-password")
        costs[email] = CountingHasher.hashes

    assert costs["lead@example.org"] == costs["nobody@example.org"] == 1
    assert costs["invited@example.org"] == 1


def test_one_client_guessing_across_many_emails_is_refused_after_thirty_failures(client):
    """Lock-out counts per email; spraying one password over many emails is throttled too."""
    UserFactory(email="lead@example.org")
    for n in range(30):
        sign_in(client, f"person{n}@example.org", "Summer2026!")

    response = sign_in(client, "lead@example.org")
    elsewhere = sign_in(Client(), "lead@example.org", REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert elsewhere.status_code == 302
