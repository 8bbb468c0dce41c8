"""The second factor: required for VRU staff, the chair and superusers, optional for members."""

import re
import subprocess
import sys

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from core.checks import production_settings
from core.models import AccountEvent
from core.permissions import CHAIR, MEMBER, VRU_STAFF
from tests.factories import PASSWORD, TOTP_SECRET, UserFactory, totp_code

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"
AUTHENTICATE = "/accounts/2fa/authenticate/"
PAGES = ["/", "/meetings/", "/actions/", "/members/people/", "/reports/quarterly/", "/admin/"]


def password_sign_in(client, email):
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


@pytest.mark.parametrize(
    "account",
    [{"roles": [VRU_STAFF]}, {"roles": [CHAIR]}, {"is_superuser": True, "is_staff": True}],
    ids=["staff", "chair", "superuser"],
)
def test_nothing_is_reachable_before_a_required_second_factor_is_set_up(client, account):
    UserFactory(email="lead@example.org", second_factor=False, **account)

    signed_in = password_sign_in(client, "lead@example.org")

    assert signed_in.status_code == 302
    for page in PAGES:
        response = client.get(page)
        assert (response.status_code, response["Location"]) == (302, ACTIVATE), page
    assert client.get(ACTIVATE).status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


def test_a_member_needs_no_second_factor(client):
    UserFactory(email="member@example.org", roles=[MEMBER])

    response = password_sign_in(client, "member@example.org")

    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_staff_set_up_an_authenticator_app_from_the_secret_shown_as_text(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="lead@example.org", roles=[VRU_STAFF], second_factor=False)
    password_sign_in(client, "lead@example.org")

    page = client.get(ACTIVATE).content.decode()
    secret = re.search(r"\b([A-Z2-7]{32})\b", page).group(1)
    wrong = client.post(ACTIVATE, {"code": "000000" if totp_code(secret) != "000000" else "1"})
    with django_capture_on_commit_callbacks(execute=True):
        activated = client.post(ACTIVATE, {"code": totp_code(secret)})

    assert wrong.status_code == 200
    assert activated.status_code == 302
    assert client.get("/").status_code == 200
    authenticator = Authenticator.objects.get(type=Authenticator.Type.TOTP)
    assert AccountEvent.objects.filter(
        subject=authenticator.user, kind=AccountEvent.Kind.SECOND_FACTOR_ADDED
    ).exists()
    # The person is told, in case it was not them (ASVS 2.2.3).
    assert [message.to for message in mail.outbox] == [["lead@example.org"]]


def test_a_code_works_once(client):
    UserFactory(email="lead@example.org", roles=[VRU_STAFF])
    with time_machine.travel(1_800_000_000, tick=False):
        code = totp_code(TOTP_SECRET)
        password_sign_in(client, "lead@example.org")
        client.post(AUTHENTICATE, {"code": code})
        assert "_auth_user_id" in client.session
        client.post("/accounts/logout/")

        again = Client()
        password_sign_in(again, "lead@example.org")
        replayed = again.post(AUTHENTICATE, {"code": code})

    assert replayed.status_code == 200
    assert "_auth_user_id" not in again.session


def test_staff_with_a_second_factor_are_asked_for_a_code_after_the_password(client):
    UserFactory(email="lead@example.org", roles=[VRU_STAFF])

    after_password = password_sign_in(client, "lead@example.org")

    assert after_password["Location"] == AUTHENTICATE
    assert "_auth_user_id" not in client.session
    assert client.get("/")["Location"].startswith("/accounts/login/")
    refused = client.post(AUTHENTICATE, {"code": "123456"})
    assert "_auth_user_id" not in client.session
    assert refused.status_code == 200
    client.post(AUTHENTICATE, {"code": totp_code(TOTP_SECRET)})
    assert "_auth_user_id" in client.session


def test_the_admin_signs_in_through_the_portal_with_the_second_factor(client):
    UserFactory(email="root@example.org", is_superuser=True, is_staff=True)

    to_admin_login = client.get("/admin/")
    to_login = client.get(to_admin_login["Location"])
    client.post(to_login["Location"], {"login": "root@example.org", "password": PASSWORD})
    before_code = client.get("/admin/")
    client.post(AUTHENTICATE, {"code": totp_code(TOTP_SECRET)})

    assert to_login["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert before_code.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_staff_cannot_remove_their_only_second_factor(client):
    user = UserFactory(email="lead@example.org", roles=[VRU_STAFF])
    client.force_login(user)

    client.post("/accounts/2fa/totp/deactivate/")

    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class TestOperatorReset:
    def test_an_operator_resets_a_second_factor_and_it_is_recorded(self, capsys):
        operator = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
        user = UserFactory(email="lead@example.org", roles=[VRU_STAFF])
        signed_in = Client()
        password_sign_in(signed_in, "lead@example.org")
        signed_in.post(AUTHENTICATE, {"code": totp_code(TOTP_SECRET)})
        assert signed_in.get("/").status_code == 200

        call_command(
            "reset_second_factor", "Lead@example.org", reason="lost phone", by="root@example.org"
        )

        assert not Authenticator.objects.filter(user=user).exists()
        event = AccountEvent.objects.get(kind=AccountEvent.Kind.SECOND_FACTOR_RESET)
        assert (event.subject, event.actor, event.detail) == (user, operator, "lost phone")
        assert "Removed 1 second factor" in capsys.readouterr().out
        assert signed_in.get("/").status_code == 302  # the old session has ended
        again = Client()
        password_sign_in(again, "lead@example.org")
        assert again.get("/")["Location"] == ACTIVATE

    def test_a_reset_needs_a_known_account_and_a_reason(self):
        UserFactory(email="lead@example.org", roles=[VRU_STAFF])

        with pytest.raises(CommandError, match="No account"):
            call_command("reset_second_factor", "nobody@example.org", reason="x")
        with pytest.raises(CommandError, match="reason"):
            call_command("reset_second_factor", "lead@example.org", reason="  ")
        assert Authenticator.objects.count() == 1


def test_production_refuses_to_turn_the_requirement_off(settings):
    settings.DEBUG = False
    settings.REQUIRE_SECOND_FACTOR = False

    assert "vrp.E005" in [error.id for error in production_settings()]


def test_with_debug_off_the_requirement_holds_whatever_the_setting(client, settings):
    settings.REQUIRE_SECOND_FACTOR = False
    UserFactory(email="lead@example.org", roles=[VRU_STAFF], second_factor=False)
    password_sign_in(client, "lead@example.org")

    assert client.get("/")["Location"] == ACTIVATE


def test_the_demo_may_turn_the_requirement_off(client, settings):
    settings.DEBUG = True
    settings.REQUIRE_SECOND_FACTOR = False
    UserFactory(email="lead@example.org", roles=[VRU_STAFF], second_factor=False)
    password_sign_in(client, "lead@example.org")

    assert client.get("/").status_code == 200


def test_check_deploy_fails_when_production_turns_the_requirement_off(tmp_path):
    env = {
        "DEBUG": "False",
        "SECRET_KEY": "a-long-enough-secret-key-for-this-check-only-0123456789",
        "EMAIL_URL": "smtp+tls://user:pass@smtp.example.org:587",
        "SITE_URL": "https://vrp.example.org",
        "ALLOWED_HOSTS": "vrp.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "REQUIRE_SECOND_FACTOR": "False",
        "PATH": "/usr/bin:/bin",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "vrp.E005" in result.stderr
