"""The container's liveness check: exit 0 when the local portal answers /healthz/ with 200.

The Dockerfile's HEALTHCHECK and compose.yaml's web services run it. It uses only the
standard library, as the slim image has no curl. The request carries what the production
settings ask of a real one, or the portal would refuse it before reaching the view:

- `X-Forwarded-Proto: https`, because with DEBUG off plain http is redirected to https
  (SECURE_SSL_REDIRECT); the TLS proxy sends the same header.
- a Host the deployment allows: the first of ALLOWED_HOSTS, as settings.py reads it.

A redirect is not followed: it means the check was answered by something other than the
view, so it fails like any other answer but 200. HEALTHCHECK_URL points the check
elsewhere (the tests use it).
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8000/healthz/"
TIMEOUT_SECONDS = 3


def allowed_host() -> str:
    """The first host ALLOWED_HOSTS names, usable as a Host header.

    "*" allows any host, and ".example.org" allows example.org and its subdomains; the
    default is settings.py's own ("localhost").
    """
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    first = hosts[0] if hosts else "localhost"
    if first == "*":
        return "localhost"
    return first.lstrip(".")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError for the 3xx answer


def healthy(url: str) -> bool:
    """Whether `url` answers 200 within the timeout."""
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's, http by default
        url, headers={"Host": allowed_host(), "X-Forwarded-Proto": "https"}
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        # HTTPError (any answer but 2xx) is a URLError; a refused connection or a
        # timeout is an OSError.
        return False


def main() -> int:
    url = os.environ.get("HEALTHCHECK_URL", DEFAULT_URL)
    if healthy(url):
        return 0
    print(f"unhealthy: {url}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
