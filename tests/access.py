"""The access matrix's one rule, shared by every app's access tests."""

from collections.abc import Callable
from typing import Any

# Each persona's test client fixture (conftest.py), and the signed-in personas.
CLIENT_FIXTURES = {
    "anonymous": "client",
    "owner": "member_client",
    "other_member": "other_member_client",
    "chair": "chair_client",
    "staff": "staff_client",
}
ALL = {"owner", "other_member", "chair", "staff"}
STAFF = {"staff"}


def assert_access(
    response,
    *,
    persona: str,
    allowed: set[str],
    status: int,
    method: str,
    before: Any,
    state: Callable[[], Any],
) -> None:
    """Anonymous visitors go to sign in and a refused role gets 403, both changing nothing;
    an allowed role gets `status`, and its POST changes something."""
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert state() == before
    elif persona in allowed:
        assert response.status_code == status
        if method == "post":
            assert state() != before
    else:
        assert response.status_code == 403
        assert state() == before
