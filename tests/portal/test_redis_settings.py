"""With REDIS_URL set, the cache and the sessions live in Redis (sessions written through to
the database); without it, the local-memory cache and database sessions. Database
connections are kept and checked before reuse either way."""

from __future__ import annotations

import json
import os
import socket
import uuid

import pytest
import redis
from allauth.usersessions.models import UserSession
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import PASSWORD
from tests.fresh_python import run_python

REDIS_TEST_URL = "redis://127.0.0.1:6379/15"
CACHED_DB = "django.contrib.sessions.backends.cached_db"
SESSIONS_IN_REDIS = "django.contrib.sessions.cached_db"
PAGE = "/actions/mine/"


def settings_with(**environment: str) -> dict:
    """The settings a fresh interpreter builds from this environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "CONN_"))}
    env.update(environment, DJANGO_SETTINGS_MODULE="vrp_portal.settings")
    env.setdefault("REDIS_URL", "")  # a .env file must not add one
    probe = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps({'caches': s.CACHES, 'session_engine': s.SESSION_ENGINE, "
        "'database': s.DATABASES['default']}, default=str))"
    )
    result = run_python(probe, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_with_redis_the_cache_and_the_sessions_live_there():
    built = settings_with(REDIS_URL="redis://cache.internal:6379/2")

    cache = built["caches"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/2"
    assert cache["KEY_PREFIX"] == "vrp"
    assert 0 < cache["OPTIONS"]["socket_connect_timeout"] <= 5
    assert 0 < cache["OPTIONS"]["socket_timeout"] <= 5
    assert built["session_engine"] == CACHED_DB


def test_two_deployments_on_one_redis_give_their_own_key_prefix():
    built = settings_with(REDIS_URL="redis://cache.internal:6379/2", REDIS_KEY_PREFIX="vrp-test")

    assert built["caches"]["default"]["KEY_PREFIX"] == "vrp-test"


def test_without_redis_each_process_has_its_own_cache_and_sessions_are_in_the_database():
    built = settings_with()

    assert built["caches"] == {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    assert built["session_engine"] == "django.contrib.sessions.backends.db"


def test_database_connections_are_kept_and_checked_before_reuse():
    built = settings_with()

    assert built["database"]["CONN_MAX_AGE"] == 60
    assert built["database"]["CONN_HEALTH_CHECKS"] is True


def test_the_health_check_can_be_turned_off():
    built = settings_with(CONN_HEALTH_CHECKS="False")

    assert built["database"]["CONN_HEALTH_CHECKS"] is False


# Against the real Redis ------------------------------------------------------------------


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


class SessionsInRedis:
    """The sessions this test keeps in Redis, found by its own key prefix."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.server = redis.Redis.from_url(REDIS_TEST_URL)

    def keys(self) -> set[str]:
        """The session keys held."""
        pattern = f"{self.prefix}:*:{SESSIONS_IN_REDIS}*"
        return {
            key.decode().rsplit(SESSIONS_IN_REDIS, 1)[1] for key in self.server.scan_iter(pattern)
        }

    def forget(self) -> None:
        """What a restart of a Redis without persistence does."""
        for key in self.server.scan_iter(f"{self.prefix}:*"):
            self.server.delete(key)


@pytest.fixture
def in_redis(settings):
    """The Redis cache and cached_db sessions, under a key prefix of this test's own (db
    15); its keys, and only those, are deleted after."""
    prefix = f"vrp-test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    settings.SESSION_ENGINE = CACHED_DB
    sessions = SessionsInRedis(prefix)
    yield sessions
    sessions.forget()
    sessions.server.close()


def sign_in(email: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302, "the sign-in form refused the credentials"
    return client


def session_key(client: Client) -> str:
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


@pytest.mark.skipif(not redis_answers(), reason="needs Redis on 127.0.0.1:6379")
@pytest.mark.django_db
class TestSessionsInRedis:
    def test_a_signed_in_page_is_served_from_the_session_in_redis(self, member_user, in_redis):
        client = sign_in(member_user.email)
        key = session_key(client)

        assert in_redis.keys() == {key}
        assert Session.objects.filter(session_key=key).exists()  # written through
        with CaptureQueriesContext(connection) as queries:
            response = client.get(PAGE)
        assert response.status_code == 200
        assert response.context["user"] == member_user
        assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]

    def test_a_redis_restart_signs_nobody_out(self, member_user, in_redis):
        client = sign_in(member_user.email)
        key = session_key(client)
        in_redis.forget()

        response = client.get(PAGE)

        assert response.status_code == 200
        assert response.context["user"] == member_user
        assert in_redis.keys() == {key}  # read back from the database into Redis

    def test_signing_out_ends_the_persons_sessions_in_redis_and_the_database(
        self, member_user, in_redis
    ):
        laptop, phone = sign_in(member_user.email), sign_in(member_user.email)
        keys = {session_key(laptop), session_key(phone)}
        assert in_redis.keys() == keys
        assert UserSession.objects.filter(user=member_user).count() == 2

        laptop.post("/accounts/logout/")

        assert not in_redis.keys() & keys
        assert not Session.objects.filter(session_key__in=keys).exists()
        assert phone.get(PAGE).status_code == 302
