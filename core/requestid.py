"""The id of the request, or of the background job, being served: one id on every log line
it causes, so that a job's lines can be found from the request that queued it.

The id lives in a context variable: core.middleware sets it for each request (the proxy's
X-Request-ID when it is well formed, else a new one), core.jobs sets it while a job runs
(the id of the request that queued it), and `RequestIdFilter` writes it on each log record.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# What the portal accepts from a proxy's X-Request-ID: short, and safe to write in a log.
WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{8,64}")


def current() -> str:
    """The id of what is being served, or "" outside a request or a job."""
    return _current.get()


def new() -> str:
    return uuid.uuid4().hex


def accepted(value: str | None) -> str:
    """`value` if it is a well-formed id, else a new one."""
    if value and WELL_FORMED.fullmatch(value):
        return value
    return new()


@contextmanager
def bound(value: str) -> Iterator[str]:
    """Serve under the id `value` until the block ends."""
    token = _current.set(value)
    try:
        yield value
    finally:
        _current.reset(token)


def of_record(record: logging.LogRecord) -> str:
    """The id a log record belongs to: the one being served, else its request's.

    Django writes the line of a 4xx response after the last middleware has returned, when
    no id is bound any more; the record still names the request, which carries its id
    (core.middleware.RequestIdMiddleware).
    """
    return current() or getattr(getattr(record, "request", None), "request_id", "") or ""


class RequestIdFilter(logging.Filter):
    """Put the id each record belongs to on it as `request_id` ("" if none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = of_record(record)
        return True
