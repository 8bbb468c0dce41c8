"""Sessions: a fresh key at sign-in, 30 minutes idle, 12 hours in all, signing out
everywhere, and cookies that travel over https only whatever terminates TLS.

Time is frozen (time-machine, no ticking) wherever it matters: the session clocks in
core.middleware read time.time() and the session store reads Django's timezone.now().
"""

from __future__ import annotations

import datetime as dt
import logging
import os

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from core.middleware import LAST_SEEN_AT
from tests.factories import PASSWORD, TOTP_SECRET, london, totp_code
from tests.fresh_python import run_python

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"
CHANGE_PASSWORD = "/accounts/password/change/"
NEW_PASSWORD = "a-brand-new-passphrase-for-spring"
# A page every signed-in member may see, and where they are sent back to after signing in.
PAGE = "/actions/mine/"
SENT_TO_SIGN_IN = f"{LOGIN}?next={PAGE}"
ENDED = "Your session has ended. Sign in again to carry on."
# A Tuesday morning in March: no change of clocks within the 12 hours that follow.
START = london(2025, 3, 4, 9, 0)


@pytest.fixture
def security_events(caplog):
    """The names of the security events logged (that logger does not propagate)."""
    security = logging.getLogger("vrp.security")
    security.addHandler(caplog.handler)
    yield lambda: [r.getMessage() for r in caplog.records if r.name == "vrp.security"]
    security.removeHandler(caplog.handler)


@pytest.fixture
def member(member_user):
    """A member of the working group (the conftest persona), not yet signed in."""
    return member_user


def sign_in(client: Client, email: str = "owner@example.org", password: str = PASSWORD):
    """Sign in through the login form, as a browser would."""
    response = client.post(LOGIN, {"login": email, "password": password})
    assert response.status_code == 302, "the sign-in form refused the credentials"
    return response


def signed_in_client(email: str = "owner@example.org", password: str = PASSWORD) -> Client:
    client = Client()
    sign_in(client, email, password)
    return client


def session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def replay(key: str) -> Client:
    """Another browser presenting a copied session cookie."""
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    return client


def is_refused(response) -> bool:
    return response.status_code == 302 and response["Location"] == SENT_TO_SIGN_IN


# A new session key at sign-in ---------------------------------------------------------


def test_signing_in_issues_a_new_session_key_so_a_planted_cookie_gains_nothing(member):
    client = Client()
    planted = client.session  # a session cookie the browser had before signing in
    planted["visited"] = True
    planted.save()
    before = session_key(client)

    sign_in(client)

    after = session_key(client)
    assert after != before
    assert client.get(PAGE).status_code == 200
    assert is_refused(replay(before).get(PAGE))
    assert not Session.objects.filter(session_key=before).exists()


def test_a_second_factor_sign_in_issues_a_new_key_once_the_code_is_accepted(staff_user):
    """Staff sign in in two steps; the key of the half-way session is of no use."""
    client = Client()
    with time_machine.travel(START, tick=False):
        response = client.post(LOGIN, {"login": "staff@example.org", "password": PASSWORD})
        assert response["Location"] == reverse("mfa_authenticate")
        half_way = session_key(client)
        assert is_refused(client.get(PAGE))

        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(TOTP_SECRET)})

        assert response.status_code == 302
        assert session_key(client) != half_way
        assert client.get(PAGE).status_code == 200
        assert is_refused(replay(half_way).get(PAGE))


# Cookies ------------------------------------------------------------------------------


def test_with_debug_off_and_no_https_redirect_the_cookies_are_host_only_and_https_only(
    member,
):
    assert not settings.DEBUG and not settings.SECURE_SSL_REDIRECT  # as the test env says
    client = Client()

    login_page = client.get(LOGIN)
    signed_in = client.post(LOGIN, {"login": "owner@example.org", "password": PASSWORD})

    assert signed_in.status_code == 302
    csrf = login_page.cookies["__Host-csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
    assert csrf["path"] == "/"
    assert csrf["domain"] == ""
    session = signed_in.cookies["__Host-sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert session["path"] == "/"
    assert session["domain"] == ""  # the __Host- prefix forbids a Domain
    assert "sessionid" not in signed_in.cookies and "csrftoken" not in login_page.cookies


def settings_in_a_fresh_process(**environment) -> list[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DEBUG": "False",
        "SECRET_KEY": "x" * 50,
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "SITE_URL": "https://vrp.example.org",
        "DJANGO_SETTINGS_MODULE": "vrp_portal.settings",
        **environment,
    }
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_NAME, "
        "s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.CSRF_COOKIE_SAMESITE, s.SECURE_SSL_REDIRECT)"
    )
    result = run_python(probe, env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize("redirect", ["False", "True"])
def test_behind_a_tls_terminating_proxy_the_cookies_stay_secure_whatever_the_redirect(
    redirect,
):
    """Found: the Secure flag followed SECURE_SSL_REDIRECT, so a deployment whose proxy
    terminates TLS (redirect off) sent the session cookie over plain http too."""
    printed = settings_in_a_fresh_process(SECURE_SSL_REDIRECT=redirect)

    assert printed == [
        "True",
        "True",
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "Lax",
        "Lax",
        redirect,
    ]


# 30 minutes idle ----------------------------------------------------------------------


def test_thirty_minutes_without_a_request_signs_the_person_out(member):
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client()
        key = session_key(client)
        clock.shift(dt.timedelta(minutes=29, seconds=59))
        assert client.get(PAGE).status_code == 200  # still within the idle limit

        clock.shift(dt.timedelta(minutes=30, seconds=1))
        stolen = replay(key).get(PAGE)
        response = client.get(PAGE)

    assert is_refused(stolen)
    assert stolen.wsgi_request.user.is_anonymous
    assert is_refused(response)


def test_activity_slides_the_idle_limit_so_a_working_person_stays_signed_in(member):
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client()
        answers = []
        for _ in range(6):  # a request every 25 minutes for two and a half hours
            clock.shift(dt.timedelta(minutes=25))
            answers.append(client.get(PAGE).status_code)

    assert answers == [200] * 6


def test_the_last_seen_stamp_is_written_to_the_session_at_most_once_a_minute(member):
    """Activity moves the idle deadline on, but a page costs no session write of its own."""
    start = int(START.timestamp())
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client()
        key = session_key(client)

        def stored() -> tuple[int, dt.datetime]:
            row = Session.objects.get(session_key=key)
            return row.get_decoded()[LAST_SEEN_AT], row.expire_date

        at_sign_in = stored()
        assert at_sign_in[0] == start
        clock.shift(dt.timedelta(seconds=59))
        assert client.get(PAGE).status_code == 200
        assert stored() == at_sign_in  # nothing written: neither the stamp nor the expiry

        clock.shift(dt.timedelta(seconds=1))
        assert client.get(PAGE).status_code == 200
        last_seen, expires = stored()
        assert last_seen == start + 60
        assert expires == at_sign_in[1] + dt.timedelta(minutes=1)  # the session was saved


def test_after_thirty_minutes_idle_the_person_is_told_why_and_the_end_is_logged(
    member, security_events
):
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client()
        clock.shift(dt.timedelta(minutes=30, seconds=1))
        response = client.get(PAGE, follow=True)

    assert response.redirect_chain == [(SENT_TO_SIGN_IN, 302)]
    assert ENDED in response.content.decode()
    assert "session_expired" in security_events()


# 12 hours in all ----------------------------------------------------------------------


def test_twelve_hours_after_sign_in_the_session_ends_even_with_activity_every_few_minutes(
    member,
):
    """The idle limit alone would keep this session alive for ever: this is the 12 hours."""
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client()
        key = session_key(client)
        answers = set()
        while dt.datetime.now(dt.UTC) < START + dt.timedelta(hours=12):
            clock.shift(dt.timedelta(minutes=5))
            answers.add(client.get(PAGE).status_code)
        assert answers == {200}  # up to and including 12 hours after signing in

        clock.shift(dt.timedelta(minutes=5))
        stolen = replay(key).get(PAGE)
        response = client.get(PAGE, follow=True)

    assert is_refused(stolen)
    assert stolen.wsgi_request.user.is_anonymous
    assert response.redirect_chain == [(SENT_TO_SIGN_IN, 302)]
    assert "_auth_user_id" not in client.session
    assert not Session.objects.filter(session_key=key).exists()


def test_when_the_twelve_hours_end_the_owner_is_told_why_and_sent_back_after_signing_in(
    member, security_events
):
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client()
        for _ in range(12 * 4):  # a request every quarter of an hour
            clock.shift(dt.timedelta(minutes=15))
            assert client.get(PAGE).status_code == 200
        clock.shift(dt.timedelta(seconds=1))

        refused = client.get(PAGE, follow=True)
        again = client.post(
            SENT_TO_SIGN_IN, {"login": "owner@example.org", "password": PASSWORD, "next": PAGE}
        )
        clock.shift(dt.timedelta(minutes=5))
        afterwards = client.get(PAGE)

    assert refused.redirect_chain == [(SENT_TO_SIGN_IN, 302)]
    assert ENDED in refused.content.decode()
    assert security_events().count("session_expired") == 1
    assert again.status_code == 302 and again["Location"] == PAGE
    assert afterwards.status_code == 200  # the new sign-in starts a new 12 hours


# Signing out and changing the password -------------------------------------------------


def test_signing_out_ends_every_session_of_that_person_and_no_one_elses(member, other_member_user):
    laptop, phone = signed_in_client(), signed_in_client()
    someone_else = signed_in_client("other@example.org")
    laptop_key, phone_key = session_key(laptop), session_key(phone)
    assert laptop_key != phone_key
    assert laptop.get(PAGE).status_code == 200 and phone.get(PAGE).status_code == 200
    assert UserSession.objects.filter(user=member).count() == 2

    response = laptop.post(LOGOUT)

    assert response.status_code == 302
    assert is_refused(phone.get(PAGE))
    assert is_refused(laptop.get(PAGE))
    assert is_refused(replay(laptop_key).get(PAGE))
    assert is_refused(replay(phone_key).get(PAGE))
    assert not Session.objects.filter(session_key__in=[laptop_key, phone_key]).exists()
    assert list(UserSession.objects.purge_and_list(member)) == []  # none live anywhere
    assert someone_else.get(PAGE).status_code == 200


def test_changing_the_password_ends_every_other_session_but_keeps_this_one(member):
    laptop, phone = signed_in_client(), signed_in_client()
    assert phone.get(PAGE).status_code == 200

    response = laptop.post(
        CHANGE_PASSWORD,
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert laptop.get(PAGE).status_code == 200
    assert is_refused(phone.get(PAGE))
    assert signed_in_client(password=NEW_PASSWORD).get(PAGE).status_code == 200
