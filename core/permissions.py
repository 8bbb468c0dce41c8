"""The portal's roles, and the helpers every view uses to check them.

Roles are Django groups created by a migration. Object-level rules (who may
update which action, say) live beside each app's views, in one helper per
object type, and use these role checks.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied

VRU_STAFF = "VRU staff"
CHAIR = "Chair"
MEMBER = "Member"
ROLES = (VRU_STAFF, CHAIR, MEMBER)


def role_names(user) -> frozenset[str]:
    """The user's role names, read once per request and cached on the user."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_vrp_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._vrp_roles = cached
    return cached


def is_vru_staff(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or VRU_STAFF in role_names(user)


def is_chair(user) -> bool:
    return CHAIR in role_names(user)


def has_role(user) -> bool:
    """Whether the user holds a portal role; a superuser counts as VRU staff.

    A signed-in account with no role (made in the admin, say) sees no portal data.
    """
    return is_vru_staff(user) or bool(role_names(user) & set(ROLES))


def can_view_all(user) -> bool:
    """Staff and the chair see everything; members see what they own."""
    return is_vru_staff(user) or is_chair(user)


def can_report(user) -> bool:
    """Finalise and export the quarterly SVRP update."""
    return is_vru_staff(user) or is_chair(user)


def person_of(user):
    """The Person a signed-in user is, or None (a superuser need not be one)."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except AttributeError:  # RelatedObjectDoesNotExist is an AttributeError too
        return None


def user_display_name(user) -> str:
    """How a user is named to others: their person's name, else their account's name.

    Never the email address, which only VRU staff see: an account with no person (a
    superuser, say) and no name is "a portal administrator".
    """
    if user is None:
        return ""
    person = person_of(user)
    if person is not None:
        return person.full_name
    return user.get_full_name() or "a portal administrator"


def role_required(view):
    """Allow anyone holding a portal role; a signed-in account without one gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not has_role(request.user):
            raise PermissionDenied("Your account has no role in the portal yet.")
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view):
    """Allow VRU staff only; anyone else signed in gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_vru_staff(request.user):
            raise PermissionDenied("Only VRU staff can do this.")
        return view(request, *args, **kwargs)

    return wrapper


def reporter_required(view):
    """Allow the chair and VRU staff only."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_report(request.user):
            raise PermissionDenied("Only the chair and VRU staff can do this.")
        return view(request, *args, **kwargs)

    return wrapper
