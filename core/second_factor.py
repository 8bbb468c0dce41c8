"""Who must use a second factor, and whether they have one."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest

from core.permissions import CHAIR, VRU_STAFF, role_names

# Set in the session once the signed-in person is known to have a second factor:
# authenticators are never removed from under a person who must have one.
HAS_SECOND_FACTOR = "vrp_has_second_factor"
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def second_factor_enforced() -> bool:
    """Always outside development; the demo may turn it off (REQUIRE_SECOND_FACTOR)."""
    return settings.REQUIRE_SECOND_FACTOR or not settings.DEBUG


def second_factor_required(user) -> bool:
    """VRU staff, the chair, superusers and anyone who can use the admin."""
    if not second_factor_enforced():
        return False
    if user.is_superuser or user.is_staff:
        return True
    return bool(role_names(user) & {VRU_STAFF, CHAIR})


def user_has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def has_second_factor(request: HttpRequest) -> bool:
    """Whether the signed-in person has set up a second factor; asked once a session."""
    if request.session.get(HAS_SECOND_FACTOR):
        return True
    if user_has_second_factor(request.user):
        request.session[HAS_SECOND_FACTOR] = True
        return True
    return False
