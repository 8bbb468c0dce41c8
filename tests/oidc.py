"""A real OpenID Connect provider on 127.0.0.1, standing in for Microsoft Entra ID.

It is oidc-provider-mock's Flask app, served by werkzeug on a free port in a thread.
Its own `run_server_in_thread` binds "localhost" (which may resolve to ::1 or to
nothing without a network); making the server ourselves keeps it on 127.0.0.1. An
http address on a loopback IP is secure transport to authlib (RFC 8252), so no
AUTHLIB_INSECURE_TRANSPORT is needed.

The portal reaches the provider's discovery, token and userinfo endpoints over real
HTTP with `requests`; a test plays the browser: it takes the portal's redirect to the
authorization endpoint, picks the identity there (as a person would by signing in to
Microsoft) and brings the redirect back to the portal's callback.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import oidc_provider_mock
import requests
import werkzeug.serving

TIMEOUT = 10  # seconds: a local server, so only a hang would take this long.


@dataclass(frozen=True)
class OpenIDProvider:
    #: The issuer's address, e.g. http://127.0.0.1:54321 (what the portal calls server_url).
    url: str

    def add_identity(self, **claims: object) -> str:
        """Register an identity with these claims (email, email_verified, xms_edov...);
        returns its subject (`sub`), new each time."""
        sub = f"entra-{uuid.uuid4()}"
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=TIMEOUT)
        response.raise_for_status()
        return sub

    def authorise(self, authorization_url: str, sub: str) -> str:
        """Sign in as `sub` at the authorization endpoint the portal sent the browser to;
        returns where the provider sends the browser back (the portal's callback)."""
        assert authorization_url.startswith(f"{self.url}/oauth2/authorize?"), authorization_url
        response = requests.post(
            authorization_url, data={"sub": sub}, allow_redirects=False, timeout=TIMEOUT
        )
        assert response.status_code == 302, response.text
        return response.headers["Location"]


@contextmanager
def running_provider() -> Iterator[OpenIDProvider]:
    server = werkzeug.serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(), threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield OpenIDProvider(url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def local_path(url: str) -> str:
    """The path and query of an absolute URL on the portal, for Django's test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
