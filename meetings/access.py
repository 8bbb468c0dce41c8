"""Who may see a meeting, checked first in every view about one."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from core.permissions import has_role
from meetings.models import Meeting
from members.models import Group


def get_meeting(request, pk: int, queryset=None) -> Meeting:
    """Every portal role sees every meeting; an account with no role sees none (404)."""
    if not has_role(request.user):
        raise Http404
    queryset = queryset if queryset is not None else Meeting.objects.all()
    return get_object_or_404(queryset.select_related("group__parent", "host_agency"), pk=pk)


def default_group() -> Group | None:
    """The group a new meeting, the plan and monitoring open on: the default working
    group, or the first active group where there is none yet (the SVRP alone, say)."""
    return Group.objects.default_working_group() or Group.objects.active().first()
