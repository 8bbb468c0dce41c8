"""Every log line is one JSON object carrying the id of the request (or job) that caused it,
and each response says that id in X-Request-ID; no line carries personal data."""

from __future__ import annotations

import io
import json
import logging
import os
import re

import pytest
from django.contrib.auth.decorators import login_not_required
from django.test import Client
from django.urls import path

from core import requestid
from core.logformat import TextFormatter
from core.security import log_event
from tests.fresh_python import run_python

pytestmark = pytest.mark.django_db

UTC_MILLISECONDS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
INCOMING = "edge-4f1c2a9b-7d3e"


@login_not_required
def fails(request):
    raise ValueError("the view failed")


# The URLconf of the tests marked `urls(__name__)`: one view that fails.
urlpatterns = [path("fails/", fails)]


class Written:
    """What one handler LOGGING configured writes, formatter and filters as they are."""

    def __init__(self, handler: logging.StreamHandler):
        self.handler = handler
        self.stream = io.StringIO()

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]

    def text(self) -> str:
        return self.stream.getvalue()


def _written(logger_name: str | None, handler_name: str):
    [handler] = [h for h in logging.getLogger(logger_name).handlers if h.name == handler_name]
    written = Written(handler)
    previous = handler.setStream(written.stream)
    yield written
    handler.setStream(previous)


@pytest.fixture
def console():
    """The lines of the console handler (the root logger's), where every logger but the
    security log writes."""
    yield from _written(None, "console")


@pytest.fixture
def security_log():
    yield from _written("vrp.security", "security")


# The request id ---------------------------------------------------------------------------


def test_every_response_carries_a_request_id(client):
    response = client.get("/healthz/")

    assert requestid.WELL_FORMED.fullmatch(response["X-Request-ID"])
    assert client.get("/healthz/")["X-Request-ID"] != response["X-Request-ID"]


def test_a_well_formed_incoming_request_id_is_kept(client):
    response = client.get("/healthz/", HTTP_X_REQUEST_ID=INCOMING)

    assert response["X-Request-ID"] == INCOMING


@pytest.mark.parametrize(
    "incoming",
    ['edge-4f1c2a9b\n{"level": "CRITICAL"}', "a" * 500, "short", "name@example.org"],
    ids=["newline", "overlong", "too short", "not a token"],
)
def test_a_malformed_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/healthz/", HTTP_X_REQUEST_ID=incoming)

    assert response["X-Request-ID"] != incoming
    assert requestid.WELL_FORMED.fullmatch(response["X-Request-ID"])


# JSON lines ------------------------------------------------------------------------------


def test_a_line_is_one_json_object_with_utc_time_level_logger_and_message(console):
    logging.getLogger("portal.example").warning("Something to look at: %s", "the queue")

    [line] = console.lines()
    assert UTC_MILLISECONDS.fullmatch(line["time"])
    assert line["level"] == "WARNING"
    assert line["logger"] == "portal.example"
    assert line["message"] == "Something to look at: the queue"
    assert "request_id" not in line  # nothing was being served


def test_a_line_carries_the_id_of_what_is_being_served(console):
    """A job runs under the id of the request that queued it (core.jobs binds it)."""
    with requestid.bound(INCOMING):
        logging.getLogger("core.jobs").warning("A job failed")

    [line] = console.lines()
    assert line["request_id"] == INCOMING


def test_an_exception_is_written_with_its_class_and_traceback(console):
    try:
        raise KeyError("missing")
    except KeyError:
        logging.getLogger("portal.example").exception("It failed")

    [line] = console.lines()
    assert line["message"] == "It failed"
    assert line["exc"]["class"] == "KeyError"
    assert line["exc"]["traceback"].startswith("Traceback (most recent call last):")


@pytest.mark.urls(__name__)
def test_a_server_error_is_one_line_with_the_path_and_request_id_but_not_the_query(console):
    client = Client(raise_request_exception=False)

    response = client.get("/fails/", {"email": "lena.lead@example.org"}, HTTP_X_REQUEST_ID=INCOMING)

    assert response.status_code == 500
    [line] = [line for line in console.lines() if line["logger"] == "django.request"]
    assert line["level"] == "ERROR"
    assert line["message"] == "Internal Server Error: /fails/"
    assert line["request_id"] == INCOMING
    assert line["exc"]["class"] == "ValueError"
    assert "lena.lead" not in console.text()


def test_a_not_found_line_carries_the_request_id_though_django_writes_it_last(client, console):
    response = client.get(
        "/nowhere/", {"email": "lena.lead@example.org"}, HTTP_X_REQUEST_ID=INCOMING
    )

    assert response.status_code == 404
    [line] = [line for line in console.lines() if line["logger"] == "django.request"]
    assert (line["level"], line["message"]) == ("WARNING", "Not Found: /nowhere/")
    assert line["request_id"] == INCOMING
    assert "lena.lead" not in console.text()


def test_a_security_event_keeps_its_fields_and_carries_the_request_id(
    member_client, member_user, security_log
):
    response = member_client.get("/members/people/new/", HTTP_X_REQUEST_ID=INCOMING)

    assert response.status_code == 403
    [line] = [line for line in security_log.lines() if line["event"] == "forbidden"]
    assert UTC_MILLISECONDS.fullmatch(line["time"])
    assert line["user_id"] == member_user.pk
    assert line["client_ip"] == "127.0.0.1"
    assert line["path"] == "/members/people/new/"
    assert line["request_id"] == INCOMING
    assert member_user.email not in security_log.text()


def test_a_security_event_outside_a_request_has_no_request_id(security_log):
    log_event("second_factor_reset", user_id=7)

    [line] = security_log.lines()
    assert (line["event"], line["user_id"]) == ("second_factor_reset", 7)
    assert "request_id" not in line


def test_a_text_line_reads_as_time_level_logger_request_id_and_message():
    record = logging.makeLogRecord(
        {"name": "portal.example", "levelname": "WARNING", "msg": "Look at %s", "args": ("it",)}
    )

    with requestid.bound(INCOMING):
        text = TextFormatter().format(record)

    assert re.fullmatch(rf"\d\d:\d\d:\d\d WARNING portal.example \[{INCOMING}\] Look at it", text)


# LOG_FORMAT ------------------------------------------------------------------------------


def console_formatter(**environment: str) -> str:
    """The class of the console handler's formatter a fresh interpreter configures, or the
    error that stopped it."""
    env = {k: v for k, v in os.environ.items() if k not in ("LOG_FORMAT", "DEBUG")}
    env.update(environment, DJANGO_SETTINGS_MODULE="vrp_portal.settings")
    probe = (
        "import django, logging; django.setup(); "
        "[h] = [h for h in logging.getLogger().handlers if h.name == 'console']; "
        "print(type(h.formatter).__name__)"
    )
    result = run_python(probe, env)
    return result.stdout.strip() if result.returncode == 0 else result.stderr


@pytest.mark.parametrize(
    ("environment", "formatter"),
    [
        ({"DEBUG": "False"}, "JsonFormatter"),
        ({"DEBUG": "True"}, "TextFormatter"),
        ({"DEBUG": "False", "LOG_FORMAT": "text"}, "TextFormatter"),
        ({"DEBUG": "True", "LOG_FORMAT": "json"}, "JsonFormatter"),
    ],
    ids=["production", "development", "text asked for", "json asked for"],
)
def test_log_format_is_json_in_production_and_text_in_development(environment, formatter):
    assert console_formatter(**environment) == formatter


def test_an_unknown_log_format_stops_start_up():
    assert "LOG_FORMAT must be json or text" in console_formatter(LOG_FORMAT="xml")
