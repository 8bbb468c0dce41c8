"""Read queries that more than one view of more than one app asks."""

from __future__ import annotations

from django.http import Http404

from members.models import Group, first_set_up


def choose_working_group(request) -> tuple[Group | None, list[Group]]:
    """The working group a page shows, and every one it could show.

    `?group=<id>` picks one; without it, `Group.objects.default_working_group()`. An id
    that is not an active working group is 404.
    """
    groups = list(Group.objects.working_groups())
    wanted = request.GET.get("group")
    if not wanted:
        return first_set_up(groups), groups
    for group in groups:
        if str(group.pk) == wanted:
            return group, groups
    raise Http404("No such working group.")
