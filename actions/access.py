"""Who may do what with an action: the one place for the object rules.

Decided rules, tested as a matrix on every action URL:

- Every signed-in person with a portal role (member, chair, VRU staff) may VIEW
  every action: the log, its exports and the action page. The meeting page shows
  them to members anyway, and the log is the partnership's shared memory.
- Only the action's owner and VRU staff may UPDATE its progress and status.
- Only VRU staff may create, edit, reassign, cancel and reopen actions.
- The chair views everything but changes nothing.

A role-refused change answers 403 and leaves the database as it was; an action
that does not exist (or a user with no portal role) answers 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from actions.models import Action
from core.permissions import has_role, is_vru_staff, person_of


def can_view(user) -> bool:
    """Any signed-in person holding a portal role sees the action log."""
    return has_role(user)


def can_manage(user) -> bool:
    """Create, edit, reassign, cancel and reopen: VRU staff only."""
    return is_vru_staff(user)


def can_update(user, action: Action) -> bool:
    """Post progress and change status: the owner, or VRU staff."""
    if is_vru_staff(user):
        return True
    person = person_of(user)
    return person is not None and action.owner_id == person.pk and can_view(user)


def get_action(request, pk: int, *, to_update: bool = False, to_manage: bool = False) -> Action:
    """The action `pk` if the user may see it (else 404) and do what is asked (else 403)."""
    if not can_view(request.user):
        raise Http404
    action = get_object_or_404(
        Action.objects.with_links().select_related("created_by__person"), pk=pk
    )
    if to_manage and not can_manage(request.user):
        raise PermissionDenied("Only VRU staff can change this action.")
    if to_update and not can_update(request.user, action):
        raise PermissionDenied("Only the action's owner and VRU staff can update it.")
    return action
