"""The portal's roles, and the helpers every view uses to check them.

Roles are Django groups created by a migration. Every view starts with its access
check, in one of two ways:

- one of the decorators below (role_required, staff_required, reporter_required),
  for pages that are not about one object;
- a call, on its first line, to its object type's helper (actions.access.get_action,
  say), which answers 404 for an object the user may not see and 403 for a change
  the role may not make. Object-level rules live in those helpers, which use these
  role checks.

Pages open to everybody say so with login_not_required. tests/portal/
test_access_one_way.py holds every view of the URLconf to this.
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


def can_report(user) -> bool:
    """VRU staff or the chair: the one "staff or chair" rule.

    They record key updates and decisions, and finalise, compare and export the
    quarterly SVRP update.
    """
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

    wrapper.access_check = "role_required"
    return wrapper


def staff_required(view):
    """Allow VRU staff only; anyone else signed in gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_vru_staff(request.user):
            raise PermissionDenied("Only VRU staff can do this.")
        return view(request, *args, **kwargs)

    wrapper.access_check = "staff_required"
    return wrapper


def reporter_required(view):
    """Allow the chair and VRU staff only (can_report); anyone else signed in gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_report(request.user):
            raise PermissionDenied("Only the chair and VRU staff can do this.")
        return view(request, *args, **kwargs)

    wrapper.access_check = "reporter_required"
    return wrapper
