"""Who the client is, what counts as one login, and the security event log.

Security events are structured lines on the `vrp.security` logger: UTC time, the
event's name, the user's id (never an email or a name), the client's address and
the path. They are what an incident responder needs and nothing more (UK GDPR).
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from core.models import normalise_email

logger = logging.getLogger("vrp.security")


def posted_next(request: HttpRequest, default: str) -> str:
    """The page a form asks to return to (its posted `next`), if it is a path on this
    site; `default` otherwise, so that no form can send anyone to another site."""
    wanted = request.POST.get("next", "")
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


def client_ip(request: HttpRequest) -> str:
    """The client's address: from X-Forwarded-For only behind configured proxies.

    With TRUSTED_PROXY_COUNT = n, the n-th address from the right of
    X-Forwarded-For is the client (each trusted proxy appends the address it saw);
    anything further left was written by the client and is ignored. With 0, the
    header is ignored and the connection's own address is the client.
    """
    address = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        if len(hops) >= count:
            address = hops[-count]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return "unknown"


def login_email(request: HttpRequest, credentials: dict | None) -> str:
    """The email a sign-in attempt names, as the lock-out counts it: one spelling."""
    credentials = credentials or {}
    email = credentials.get("email") or credentials.get("username")
    if email is None and request is not None:
        email = request.POST.get("login", "")
    return normalise_email(email)


def log_event(event: str, request: HttpRequest | None = None, *, user_id=None, **extra) -> None:
    """Write one security event. `extra` must hold no personal data."""
    record = {"event": event, "user_id": user_id}
    if request is not None:
        if user_id is None and getattr(request, "user", None) is not None:
            record["user_id"] = request.user.pk if request.user.is_authenticated else None
        record["client_ip"] = client_ip(request)
        record["path"] = request.path
    record.update(extra)
    logger.info(event, extra={"security": record})
