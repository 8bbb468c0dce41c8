"""Personas shared by the whole suite: anonymous, member (owner), other member, chair, staff.

Each persona is a signed-in test client with a Person on the working group.
"""

import json
import logging
import os

import pytest
from django.core.cache import cache
from django.test import Client

from core.logformat import JsonFormatter
from core.permissions import CHAIR, MEMBER, VRU_STAFF
from tests.clock import frozen_clock, frozen_instant, real_clock_wanted
from tests.factories import GroupFactory, MembershipFactory, PersonFactory, UserFactory

# Playwright's sync API runs an event loop; Django's ORM calls from tests are still safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "real_clock: runs on the machine's clock instead of the suite's frozen one "
        "(browser tests: Chromium keeps the real time, so cookies would expire)",
    )


def pytest_report_header(config):
    return f"clock: tests start at {frozen_instant().isoformat()} (VRP_TEST_NOW)"


@pytest.fixture(autouse=True)
def clock(request):
    """Every test runs on a clock that starts at `frozen_instant()` and ticks from there.

    Ticking keeps timestamps in order within a test; a test that needs another
    instant moves it: `clock.move_to(london(2024, 5, 14, 9))`, `clock.shift(60)`.
    Tests marked `real_clock` or `browser` keep the machine's clock (None).
    """
    marked = request.node.get_closest_marker("real_clock") or request.node.get_closest_marker(
        "browser"
    )
    if marked or real_clock_wanted():
        yield None
        return
    with frozen_clock() as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _plain_settings(settings):
    """Tests serve static files unhashed, hash passwords quickly and start with an empty
    cache (it holds the sign-in throttles).

    https redirects and sign-in lockouts are off for the suite through the
    environment (pyproject's pytest `env`), so the live server sees it too.
    """
    cache.clear()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def working_group(db):
    return GroupFactory(name="Communications Working Group", short_name="Comms Working Group")


def _persona(group, email, role, *, position="member"):
    user = UserFactory(email=email, roles=[role])
    person = PersonFactory(email=email, full_name=email.split("@")[0].title(), user=user)
    MembershipFactory(group=group, agency=person.agency, person=person, position=position)
    return user


@pytest.fixture
def member_user(working_group):
    """The member who owns the actions under test."""
    return _persona(working_group, "owner@example.org", MEMBER)


@pytest.fixture
def other_member_user(working_group):
    return _persona(working_group, "other@example.org", MEMBER)


@pytest.fixture
def chair_user(working_group):
    return _persona(working_group, "chair@example.org", CHAIR, position="chair")


@pytest.fixture
def staff_user(working_group):
    return _persona(working_group, "staff@example.org", VRU_STAFF, position="officer")


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def member_client(member_user):
    return _client_for(member_user)


@pytest.fixture
def other_member_client(other_member_user):
    return _client_for(other_member_user)


@pytest.fixture
def chair_client(chair_user):
    return _client_for(chair_user)


@pytest.fixture
def staff_client(staff_user):
    return _client_for(staff_user)


@pytest.fixture
def persona_clients(client, member_client, other_member_client, chair_client, staff_client):
    """Every persona by name, for access matrices."""
    return {
        "anonymous": client,
        "owner": member_client,
        "other_member": other_member_client,
        "chair": chair_client,
        "staff": staff_client,
    }


@pytest.fixture
def events(caplog):
    """The security log's lines as the production formatter writes them."""
    caplog.set_level(logging.INFO, logger="vrp.security")
    # The security logger does not propagate to the root (its lines have their own format).
    security = logging.getLogger("vrp.security")
    security.addHandler(caplog.handler)
    formatter = JsonFormatter()

    def lines() -> list[dict]:
        return [
            json.loads(formatter.format(record))
            for record in caplog.records
            if record.name == "vrp.security"
        ]

    yield lines
    security.removeHandler(caplog.handler)


@pytest.fixture
def job_queue(settings):
    """The real queue (django-tasks' database backend) instead of the suite's immediate one:
    a job waits until `job_queue.run()` plays the worker (django-tasks-db's own `db_worker`,
    in batch mode), running every job that is due."""
    from unittest import mock

    from django.core.management import call_command

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }

    class Queue:
        @staticmethod
        def run() -> None:
            # The worker closes connections it thinks stale between jobs; the test's
            # connection holds the test's transaction, so it must stay open.
            with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
                call_command(
                    "db_worker",
                    batch=True,
                    reload=False,
                    startup_delay=False,
                    interval=0,
                    verbosity=0,
                )

    return Queue()
