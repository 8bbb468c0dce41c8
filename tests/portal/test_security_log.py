"""Security events: one JSON line each, with UTC time, event, user id, client and path;
never an email or a name. And the record of account changes, shown to superusers."""

import json

import pytest
from django.test import Client

from core.models import AccountEvent
from core.permissions import VRU_STAFF
from tests.factories import PASSWORD, TOTP_SECRET, UserFactory, totp_code

pytestmark = pytest.mark.django_db


def by_event(lines, name):
    return [line for line in lines if line["event"] == name]


def test_a_failed_and_a_successful_sign_in_are_logged_by_user_id(client, events, caplog):
    user = UserFactory(email="lead@example.org", first_name="Lena", last_name="Lead")
    caplog.clear()

    client.post("/accounts/login/", {"login": "lead@example.org", "password": "wrong-guess"})
    client.post("/accounts/login/", {"login": "lead@example.org", "password": PASSWORD})

    [failed] = by_event(events(), "sign_in_failed")
    [succeeded] = by_event(events(), "sign_in")
    for line in (failed, succeeded):
        assert line["user_id"] == user.pk
        assert line["client_ip"] == "127.0.0.1"
        assert line["path"] == "/accounts/login/"
        assert line["time"].endswith("Z")
    text = caplog.text + json.dumps(events())
    assert "lead@example.org" not in text and "Lena" not in text


def test_a_lock_out_is_logged(client, events, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    user = UserFactory(email="lead@example.org")
    for _ in range(3):
        client.post("/accounts/login/", {"login": "lead@example.org", "password": "wrong"})

    assert {line["user_id"] for line in by_event(events(), "locked_out")} == {user.pk}


def test_a_wrong_second_factor_code_is_logged(client, events):
    user = UserFactory(email="lead@example.org", roles=[VRU_STAFF])
    client.post("/accounts/login/", {"login": "lead@example.org", "password": PASSWORD})
    wrong = "111111" if totp_code(TOTP_SECRET) != "111111" else "222222"

    client.post("/accounts/2fa/authenticate/", {"code": wrong})

    assert [line["user_id"] for line in by_event(events(), "second_factor_failed")] == [user.pk]


def test_every_refusal_is_logged_with_the_user_id(member_client, member_user, events):
    response = member_client.get("/members/people/new/")

    assert response.status_code == 403
    [line] = by_event(events(), "forbidden")
    assert (line["user_id"], line["path"]) == (member_user.pk, "/members/people/new/")


def test_role_and_admin_changes_are_recorded_with_who_made_them(client):
    root = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    target = UserFactory(email="lead@example.org")
    client.force_login(root)

    client.post(
        f"/admin/core/user/{target.pk}/change/",
        {
            "email": "lead@example.org",
            "first_name": "",
            "last_name": "",
            "is_active": "on",
            "is_staff": "on",
            "groups": [],
            "user_permissions": [],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )

    event = AccountEvent.objects.get(kind=AccountEvent.Kind.ADMIN_RIGHTS_CHANGED)
    assert (event.subject, event.actor) == (target, root)


def test_the_record_of_account_changes_is_shown_to_superusers_only(client, staff_client):
    root = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    AccountEvent.objects.create(subject=root, kind=AccountEvent.Kind.PASSWORD_CHANGED)
    client.force_login(root)
    staff_admin = Client()
    staff_admin.force_login(UserFactory(email="ops@example.org", is_staff=True))

    shown = client.get("/admin/core/accountevent/")

    assert shown.status_code == 200
    assert "Password changed" in shown.content.decode()
    assert staff_admin.get("/admin/core/accountevent/").status_code == 403
    assert staff_client.get("/admin/core/accountevent/").status_code == 302
