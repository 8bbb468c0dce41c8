"""/healthz/ says the process answers, touching nothing; /readyz/ says whether it can serve:
the database, Redis when configured, and no migration waiting. Both answer anybody, over
plain http too, and give nothing away about what failed."""

import socket
import uuid
from unittest import mock

import pytest
from django.db import OperationalError, connection, connections
from django.db.migrations.recorder import MigrationRecorder

from core.permissions import VRU_STAFF
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REDIS_TEST_URL = "redis://127.0.0.1:6379/15"
READY = b"ready\ndatabase: ok\nredis: skipped\nmigrations: ok\n"


def redis_cache(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"vrp-test-{uuid.uuid4().hex[:12]}",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def closed_port() -> int:
    """A port on this machine that nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def assert_never_cached(response) -> None:
    assert "no-store" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


# /healthz/ -------------------------------------------------------------------------------


def test_healthz_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert_never_cached(response)


def test_healthz_answers_while_the_database_is_down(client):
    with mock.patch.object(connections["default"], "cursor", side_effect=OperationalError):
        response = client.get("/healthz/")

    assert response.status_code == 200


def test_healthz_answers_head_and_refuses_post(client):
    assert client.head("/healthz/").status_code == 200
    assert client.post("/healthz/").status_code == 405


# /readyz/ --------------------------------------------------------------------------------


def test_readyz_is_ready_when_the_database_answers_and_every_migration_is_applied(client):
    response = client.get("/readyz/")

    assert response.status_code == 200
    assert response.content == READY
    assert response["Content-Type"].startswith("text/plain")
    assert_never_cached(response)


def test_readyz_answers_head_and_refuses_post(client):
    assert client.head("/readyz/").status_code == 200
    assert client.post("/readyz/").status_code == 405


def test_readyz_is_not_ready_when_the_database_is_down(client):
    down = OperationalError('could not connect to server "db.internal" (10.0.0.5)')
    with mock.patch.object(connections["default"], "cursor", side_effect=down):
        response = client.get("/readyz/")

    assert response.status_code == 503
    assert response.content == (
        b"not ready\ndatabase: unavailable\nredis: skipped\nmigrations: unknown\n"
    )


def test_readyz_is_not_ready_while_a_migration_is_unapplied(client):
    # The sessions app has one migration: without its row it is waiting to be applied.
    MigrationRecorder(connection).migration_qs.filter(app="sessions").delete()

    response = client.get("/readyz/")

    assert response.status_code == 503
    assert response.content == (b"not ready\ndatabase: ok\nredis: skipped\nmigrations: unapplied\n")


def test_readyz_is_not_ready_when_redis_does_not_answer(client, settings):
    port = closed_port()
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{port}/15")

    response = client.get("/readyz/")

    assert response.status_code == 503
    assert response.content == (b"not ready\ndatabase: ok\nredis: unavailable\nmigrations: ok\n")
    assert str(port).encode() not in response.content


@pytest.mark.skipif(not redis_answers(), reason="needs Redis on 127.0.0.1:6379")
def test_readyz_checks_redis_when_the_cache_is_redis(client, settings):
    """Its probe key lives 10 seconds, under this test's own key prefix."""
    settings.CACHES = redis_cache(REDIS_TEST_URL)

    response = client.get("/readyz/")

    assert response.status_code == 200
    assert response.content == b"ready\ndatabase: ok\nredis: ok\nmigrations: ok\n"


# Both ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/healthz/", "/readyz/"])
def test_the_health_checks_answer_plain_http_when_https_is_required(client, settings, path):
    """The container's HEALTHCHECK calls them over http from inside the container."""
    settings.SECURE_SSL_REDIRECT = True

    assert client.get(path).status_code == 200
    assert client.get("/privacy/").status_code == 301  # everything else moves to https


@pytest.mark.parametrize("path", ["/healthz/", "/readyz/"])
def test_the_health_checks_answer_before_a_required_second_factor_is_set_up(client, path):
    UserFactory(email="lead@example.org", roles=[VRU_STAFF], second_factor=False)
    client.post("/accounts/login/", {"login": "lead@example.org", "password": PASSWORD})
    assert client.get("/").status_code == 302  # sent to set up the second factor

    assert client.get(path).status_code == 200
