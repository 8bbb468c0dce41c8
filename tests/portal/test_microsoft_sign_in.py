"""Sign in with Microsoft, end to end, against a real OpenID Connect provider.

The provider (tests/oidc.py) runs on 127.0.0.1; the portal talks to its discovery,
token and userinfo endpoints over HTTP exactly as it would to Entra ID. Nothing of
allauth's is mocked: each test plays the browser through the whole round trip.
"""

from __future__ import annotations

import math
import time

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import SESSION_KEY, get_user_model
from django.urls import reverse

from core.adapters import NO_ACCOUNT_FOR_MICROSOFT
from core.permissions import CHAIR, MEMBER, VRU_STAFF
from members.models import Person
from tests.factories import PASSWORD, TOTP_SECRET, UserFactory, totp_code
from tests.oidc import OpenIDProvider, local_path, running_provider

pytestmark = pytest.mark.django_db

User = get_user_model()
LOGIN_URL = reverse("openid_connect_login", kwargs={"provider_id": "microsoft"})


@pytest.fixture(scope="module")
def provider():
    with running_provider() as running:
        yield running


@pytest.fixture
def microsoft(provider, settings) -> OpenIDProvider:
    """The portal configured for Microsoft sign-in, with the local provider as issuer."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "APPS": [
                {
                    "provider_id": "microsoft",
                    "name": "Microsoft",
                    "client_id": "vrp-portal-tests",
                    "secret": "not-a-real-secret",
                    "settings": {"server_url": provider.url},
                }
            ],
        }
    }
    return provider


def sign_in_with_microsoft(client, provider: OpenIDProvider, sub: str):
    """Press "Sign in with Microsoft", sign in as `sub` there, and come back: the
    portal's answer to the callback."""
    response = client.post(f"{LOGIN_URL}?process=login")
    assert response.status_code == 302, response.content
    callback = provider.authorise(response["Location"], sub)
    assert callback.startswith("http://testserver/accounts/oidc/microsoft/login/callback/?")
    return client.get(local_path(callback))


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


def assert_refused(client, response):
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert signed_in_user_id(client) is None
    page = client.get(response["Location"])
    assert NO_ACCOUNT_FOR_MICROSOFT in page.content.decode()


def password_still_works(email: str) -> bool:
    user = User.objects.get(email=email)
    return user.has_usable_password() and user.check_password(PASSWORD)


def role_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_the_microsoft_button_is_hidden_when_microsoft_is_not_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}

    page = client.get(reverse("account_login")).content.decode()

    assert "Sign in with Microsoft" not in page
    assert client.post(LOGIN_URL).status_code == 404


def test_the_microsoft_button_is_shown_when_microsoft_is_configured(client, microsoft):
    page = client.get(reverse("account_login")).content.decode()

    assert "Sign in with Microsoft" in page
    assert f'action="{LOGIN_URL}?process=login"' in page


def test_a_member_whose_confirmed_address_microsoft_vouches_for_is_signed_in(
    client, microsoft, member_user, mailoutbox
):
    roles_before = role_names(member_user)
    users_before = User.objects.count()
    sub = microsoft.add_identity(email="Owner@Example.org", email_verified=True)

    response = sign_in_with_microsoft(client, microsoft, sub)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert signed_in_user_id(client) == str(member_user.pk)
    assert client.get(reverse("dashboard")).status_code == 200
    account = SocialAccount.objects.get(provider="microsoft", uid=sub)
    assert account.user == member_user
    assert role_names(member_user) == roles_before == {MEMBER}
    assert User.objects.count() == users_before
    assert password_still_works(member_user.email)
    addresses = EmailAddress.objects.filter(user=member_user)
    assert list(addresses.values_list("email", "verified", "primary")) == [
        ("owner@example.org", True, True)
    ]
    # The member is told that a Microsoft account now opens their portal account.
    assert [message.to for message in mailoutbox] == [["owner@example.org"]]
    assert "Your Microsoft account was connected" in mailoutbox[0].body


def test_an_identity_whose_email_matches_no_account_is_refused_and_nothing_is_made(
    client, microsoft, member_user
):
    users, people = User.objects.count(), Person.objects.count()
    sub = microsoft.add_identity(email="stranger@example.org", email_verified=True)

    response = sign_in_with_microsoft(client, microsoft, sub)

    assert_refused(client, response)
    assert User.objects.count() == users
    assert Person.objects.count() == people
    assert not SocialAccount.objects.exists()
    assert not EmailAddress.objects.filter(email__iexact="stranger@example.org").exists()


def test_an_email_microsoft_does_not_vouch_for_is_refused_and_the_password_still_works(
    client, microsoft, member_user
):
    sub = microsoft.add_identity(email="owner@example.org", email_verified=False)

    response = sign_in_with_microsoft(client, microsoft, sub)

    assert_refused(client, response)
    assert not SocialAccount.objects.exists()
    assert password_still_works("owner@example.org")
    signed_in = client.post(
        reverse("account_login"), {"login": "owner@example.org", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert signed_in_user_id(client) == str(member_user.pk)


def test_an_email_without_any_verification_claim_is_refused(client, microsoft, member_user):
    sub = microsoft.add_identity(email="owner@example.org")

    response = sign_in_with_microsoft(client, microsoft, sub)

    assert_refused(client, response)
    assert password_still_works("owner@example.org")


def test_an_email_in_a_domain_the_tenant_verified_is_accepted(client, microsoft, member_user):
    # Entra ID often leaves out email_verified; xms_edov says the tenant owns the domain.
    sub = microsoft.add_identity(email="owner@example.org", xms_edov=True)

    response = sign_in_with_microsoft(client, microsoft, sub)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert signed_in_user_id(client) == str(member_user.pk)
    assert SocialAccount.objects.get(uid=sub).user == member_user


def test_an_email_only_waiting_for_confirmation_on_an_account_is_refused(client, microsoft):
    # Staff were asked to change the chair's address to one an attacker controls; the
    # change waits for confirmation at the new address, which has not happened.
    chair = UserFactory(email="chair@example.org", roles=[CHAIR])
    EmailAddress.objects.create(
        user=chair, email="chair@attacker.example", verified=False, primary=False
    )
    sub = microsoft.add_identity(email="chair@attacker.example", email_verified=True)

    response = sign_in_with_microsoft(client, microsoft, sub)

    assert_refused(client, response)
    assert not SocialAccount.objects.exists()
    assert password_still_works("chair@example.org")


def test_an_email_confirmed_but_not_the_accounts_own_address_is_refused(client, microsoft):
    chair = UserFactory(email="chair@example.org", roles=[CHAIR])
    EmailAddress.objects.create(user=chair, email="old@example.org", verified=True, primary=False)
    sub = microsoft.add_identity(email="old@example.org", email_verified=True)

    response = sign_in_with_microsoft(client, microsoft, sub)

    assert_refused(client, response)
    assert not SocialAccount.objects.exists()


def next_totp_window() -> float:
    """The start of the next 30-second TOTP window (plus a second), so that a code
    computed there has the whole window to be accepted, whatever the time of day."""
    return math.floor(time.time() / 30 + 1) * 30 + 1


def test_vru_staff_are_asked_for_their_own_second_factor_after_microsoft(
    client, microsoft, staff_user
):
    sub = microsoft.add_identity(email="staff@example.org", email_verified=True)

    response = sign_in_with_microsoft(client, microsoft, sub)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None
    assert client.get(reverse("dashboard")).status_code == 302
    assert signed_in_user_id(client) is None
    with time_machine.travel(next_totp_window(), tick=True):
        code = totp_code(TOTP_SECRET)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        refused = client.post(reverse("mfa_authenticate"), {"code": wrong})
        assert refused.status_code == 200
        assert signed_in_user_id(client) is None

        accepted = client.post(reverse("mfa_authenticate"), {"code": code})

    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("dashboard")
    assert signed_in_user_id(client) == str(staff_user.pk)
    assert client.get(reverse("dashboard")).status_code == 200
    assert role_names(staff_user) == {VRU_STAFF}


def test_a_deactivated_account_cannot_sign_in_with_microsoft(client, microsoft, member_user):
    member_user.is_active = False
    member_user.save()
    sub = microsoft.add_identity(email="owner@example.org", email_verified=True)

    response = sign_in_with_microsoft(client, microsoft, sub)

    assert_refused(client, response)
    assert not SocialAccount.objects.exists()


def test_a_deactivated_account_cannot_sign_in_with_microsoft_it_used_before(
    client, microsoft, member_user
):
    sub = microsoft.add_identity(email="owner@example.org", email_verified=True)
    sign_in_with_microsoft(client, microsoft, sub)
    assert signed_in_user_id(client) == str(member_user.pk)
    client.post(reverse("account_logout"))
    member_user.is_active = False
    member_user.save()

    response = sign_in_with_microsoft(client, microsoft, sub)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_inactive")
    assert signed_in_user_id(client) is None
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_second_sign_in_uses_the_linked_microsoft_account(client, microsoft, member_user):
    sub = microsoft.add_identity(email="owner@example.org", email_verified=True)
    sign_in_with_microsoft(client, microsoft, sub)
    client.post(reverse("account_logout"))

    response = sign_in_with_microsoft(client, microsoft, sub)

    assert response["Location"] == reverse("dashboard")
    assert signed_in_user_id(client) == str(member_user.pk)
    assert SocialAccount.objects.filter(user=member_user).count() == 1


def test_a_linked_microsoft_account_stops_working_once_the_portal_email_changes(
    client, microsoft, member_user
):
    """The link never outlives the rule: Microsoft must vouch for the account's address."""
    sub = microsoft.add_identity(email="owner@example.org", email_verified=True)
    sign_in_with_microsoft(client, microsoft, sub)
    client.post(reverse("account_logout"))
    member_user.email = "olive.owner@example.org"
    member_user.save()

    response = sign_in_with_microsoft(client, microsoft, sub)

    assert response["Location"] == reverse("account_login")
    assert SESSION_KEY not in client.session
