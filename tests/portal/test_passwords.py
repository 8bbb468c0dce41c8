"""The password rules (NCSC: length over composition), wherever a password is chosen.

At least 12 characters, long passphrases welcome (128 and far beyond), no rules about
character classes, and nothing from Django's list of common passwords. The rules hold
alike when a person changes their password, follows a "forgotten password" link or an
invitation link, and when a superuser sets a password in the admin.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core import mail
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from core.models import User
from members.services import set_password_url
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "lead@example.org"
TOO_SHORT = "This password is too short. It must contain at least 12 characters."
TOO_COMMON = "This password is too common."


def through_password_change(account: User, password: str) -> HttpResponse:
    """The person, signed in, changes their own password."""
    client = Client()
    client.force_login(account)
    return client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": password, "password2": password},
    )


def _choose_at(link: str, password: str) -> HttpResponse:
    """Open a one-time link from an email and choose a password on the page it leads to."""
    client = Client()
    opened = client.get(link.removeprefix(settings.SITE_URL))
    assert opened.status_code == 302, "the link did not lead to the set-password page"
    set_password = opened["Location"]
    assert set_password.endswith("-set-password/")
    return client.post(set_password, {"password1": password, "password2": password})


def through_forgotten_password_link(account: User, password: str) -> HttpResponse:
    """The person asks for a reset and follows the link in the email."""
    asked = Client().post("/accounts/password/reset/", {"email": account.email})
    assert asked.status_code == 302
    [link] = re.findall(
        r"https?://\S+/accounts/password/reset/key/\S+/", "".join(m.body for m in mail.outbox)
    )
    return _choose_at(link, password)


def through_invitation_link(account: User, password: str) -> HttpResponse:
    """An invited person, who has no password yet, follows the invitation link."""
    account.set_unusable_password()
    account.save()
    return _choose_at(set_password_url(account), password)


def through_the_admin(account: User, password: str) -> HttpResponse:
    """A superuser (who has a second factor) sets the password in the admin."""
    client = Client()
    client.force_login(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))
    return client.post(
        f"/admin/core/user/{account.pk}/password/",
        {"password1": password, "password2": password, "usable_password": "true"},
    )


ENTRY_POINTS: dict[str, Callable[[User, str], HttpResponse]] = {
    "password change": through_password_change,
    "forgotten-password link": through_forgotten_password_link,
    "invitation link": through_invitation_link,
    "admin set-password form": through_the_admin,
}
SUCCESS_GOES_TO = {
    "password change": "/accounts/password/change/",
    "forgotten-password link": "/accounts/password/reset/key/done/",
    "invitation link": "/accounts/password/reset/key/done/",
    "admin set-password form": "/admin/core/user/{pk}/change/",
}

ACCEPTED = {
    "twelve lowercase letters": "riverbankowl",
    "twelve digits not on the common list": "730418562937",
    "a lowercase passphrase with spaces": "the kettle sings at seven every morning",
    "128 characters": ("lanterns over the quiet harbour " * 4)[:128],
    "4096 characters": ("lanterns over the quiet harbour " * 128)[:4096],
}
REFUSED = {
    "eleven characters": ("riverbankow", TOO_SHORT),
    "a common twelve-character password": ("password1234", TOO_COMMON),
    "twelve common digits": ("123456789123", TOO_COMMON),
    "a common keyboard walk": ("qwertyuiop123", TOO_COMMON),
}


def signs_in_with(password: str) -> bool:
    response = Client().post("/accounts/login/", {"login": EMAIL, "password": password})
    return response.status_code == 302 and response["Location"] == reverse("dashboard")


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("password", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_a_password_of_twelve_or_more_characters_of_any_kind_is_accepted(entry, password):
    account = UserFactory(email=EMAIL)

    response = ENTRY_POINTS[entry](account, password)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == SUCCESS_GOES_TO[entry].format(pk=account.pk)
    account.refresh_from_db()
    assert account.check_password(password)
    assert signs_in_with(password)
    assert not signs_in_with(password[:-1])  # all of it counts, not a truncated prefix


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize(("password", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_a_short_or_common_password_is_refused_with_the_reason(entry, password, message):
    account = UserFactory(email=EMAIL)

    response = ENTRY_POINTS[entry](account, password)

    assert response.status_code == 200
    assert message in response.content.decode()
    stored = User.objects.get(pk=account.pk).password
    assert not User.objects.get(pk=account.pk).check_password(password)
    assert stored == account.password  # the account row is untouched
    assert not signs_in_with(password)
