"""How log lines and error reports are written; loaded by LOGGING before the apps are.

In production every line is one JSON object (LOG_FORMAT=json), so that a log store can
search by field: the time in UTC to the millisecond, the level, the logger, the message,
the id of the request or job that caused it (core.requestid) and, for an exception, its
class and traceback under "exc". A security event (core.security) keeps its own fields
in place of the message: event, user id, client address and path.

`make run` (DEBUG on) writes plain text instead, easier to read in a terminal.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from core import requestid


def utc_time(record: logging.LogRecord) -> str:
    """The record's time as `2026-12-02T09:15:00.123Z`."""
    stamp = dt.datetime.fromtimestamp(record.created, tz=dt.UTC)
    return stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def request_id_of(record: logging.LogRecord) -> str:
    """The id RequestIdFilter put on the record, else the one it belongs to."""
    return getattr(record, "request_id", "") or requestid.of_record(record)


class JsonFormatter(logging.Formatter):
    """One JSON object a line, with the time in UTC."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": utc_time(record), "level": record.levelname, "logger": record.name}
        security = getattr(record, "security", None)
        if security:
            line.update(security)
        else:
            line["message"] = record.getMessage()
        if request_id := request_id_of(record):
            line["request_id"] = request_id
        if record.exc_info and record.exc_info[0] is not None:
            line["exc"] = {
                "class": record.exc_info[0].__name__,
                "traceback": self.formatException(record.exc_info),
            }
        return json.dumps(line, default=str)


class TextFormatter(logging.Formatter):
    """`09:15:00 WARNING django.request [id] Not Found: /x/`, for a terminal."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s%(request_id_text)s %(message)s", "%H:%M:%S"
        )

    def format(self, record: logging.LogRecord) -> str:
        request_id = request_id_of(record)
        record.request_id_text = f" [{request_id}]" if request_id else ""
        security = getattr(record, "security", None)
        text = super().format(record)
        if security:
            text += " " + json.dumps(security, default=str)
        return text


def sentry_before_send(event: dict, hint: dict) -> dict:
    """Keep what a request carried out of an error report: its query string (a calendar
    feed's token), its body (the names and emails a form was given) and its cookies.

    `send_default_pii=False` already leaves out the user, the client's address, cookies
    and the sensitive headers; this covers what it still sends.
    """
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("query_string", "data", "cookies"):
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
    return event
