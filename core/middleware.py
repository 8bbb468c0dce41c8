"""Session lifetimes, the second-factor rule and private caching, applied to every request."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control

from core import requestid
from core.second_factor import has_second_factor, second_factor_required
from core.security import log_event

SIGNED_IN_AT = "vrp_signed_in_at"
LAST_SEEN_AT = "vrp_last_seen_at"
# How often, at most, activity moves the idle deadline on (one session write).
TOUCH_EVERY = 60


def start_session_clock(request: HttpRequest) -> None:
    """Mark the session as signed in now: called at every sign-in."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def signed_in_within(request: HttpRequest, seconds: int) -> bool:
    """Whether the session signed in (with every factor it needed) in the last `seconds`."""
    signed_in_at = request.session.get(SIGNED_IN_AT)
    return signed_in_at is not None and time.time() - signed_in_at < seconds


class RequestIdMiddleware:
    """Serve each request under one id, written on every log line it causes and returned
    as `X-Request-ID`, so that a person's report of an error leads to its lines.

    A proxy's (or client's) X-Request-ID is kept when it is well formed (short, and safe
    to write in a log: core.requestid.accepted); otherwise the portal makes one. Jobs the
    request queues carry the id on (core.jobs). Early in MIDDLEWARE, so that what the
    middlewares below it log carries the id too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = requestid.accepted(request.headers.get("X-Request-ID"))
        # Also on the request: Django logs a 4xx response after this has returned.
        request.request_id = request_id
        with requestid.bound(request_id):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class SessionLifetimeMiddleware:
    """End a session after 30 minutes idle or 12 hours in all (ASVS 3.3.1, 3.3.2).

    The idle deadline slides with activity but is written at most once a minute,
    so a page costs no session write of its own. Both limits are checked here, on
    the server, whatever the cookie or the session store say.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            signed_in_at = session.get(SIGNED_IN_AT)
            last_seen_at = session.get(LAST_SEEN_AT)
            if signed_in_at is None or last_seen_at is None:
                start_session_clock(request)
            elif (
                now - signed_in_at > settings.SESSION_ABSOLUTE_AGE
                or now - last_seen_at > settings.SESSION_IDLE_AGE
            ):
                log_event("session_expired", request)
                logout(request)
                messages.info(request, "Your session has ended. Sign in again to carry on.")
                return redirect_to_login(request.get_full_path())
            elif now - last_seen_at >= TOUCH_EVERY:
                session[LAST_SEEN_AT] = now
        return self.get_response(request)


# Reachable before a required second factor is set up: setting it up, and leaving.
OPEN_BEFORE_SECOND_FACTOR = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/static/",
    "/healthz/",
    "/readyz/",
    "/privacy/",
    "/accessibility/",
    "/partnership.css",
)


class SecondFactorRequiredMiddleware:
    """VRU staff, the chair and superusers reach nothing until they have a second factor.

    Until then every page sends them to set up an authenticator app (or a security
    key), from where they can also sign out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN_BEFORE_SECOND_FACTOR)
            and second_factor_required(user)
            and not has_second_factor(request)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class PrivateNoStoreMiddleware:
    """Every response to a signed-in person says `Cache-Control: private, no-store`.

    Pages, CSV, Word, Excel and PDF downloads, calendar files, redirects and errors
    alike: they carry personal data (UK GDPR), so no shared proxy may keep them and
    no browser may write them to disk, where the next person at a shared computer
    could find them after signing out. Directives a view set itself are kept.

    Static files never reach this: whitenoise answers them earlier in MIDDLEWARE,
    with their hashed names cached for a year. Nor does a response its view marked
    `public` (the partnership's stylesheet, core.branding): it is the same for all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        public = "public" in response.get("Cache-Control", "")
        # Signed in before the view, or by it (the answer to a sign-in).
        if (signed_in or request.user.is_authenticated) and not public:
            patch_cache_control(response, private=True, no_store=True)
        return response
