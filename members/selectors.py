"""Read queries that more than one view of more than one app asks."""

from __future__ import annotations

from django.http import Http404

from members.models import Group, Membership, Person, first_set_up


def choose_group(request) -> tuple[Group | None, list[Group]]:
    """The group a page shows (its tracker, quarterly update, distribution list), and
    every one it could show: the active working groups by name, then the SVRP.

    Without `?group=` the page shows `Group.objects.default_working_group()` (the
    first working group set up, picked from the list already read; never the SVRP).
    `?group=<id>` picks any of the choices. A Task and Finish group's id shows its
    working group: one update (and one tracker) covers a working group and its Task
    and Finish groups, so the id stands for the working group. The page is shown, not
    redirected to: the downloads and a tracker's `?page=` answer the same without a
    second request, and the picker marks the working group as chosen. Any other id
    (unknown, not a number, an inactive group, or a Task and Finish group whose own
    or working group is inactive) is 404.
    """
    groups = sorted(
        Group.objects.active()
        .filter(kind__in=[Group.Kind.WORKING, Group.Kind.SVRP])
        .select_related("parent"),
        key=lambda group: (group.kind == Group.Kind.SVRP, group.name, group.pk),
    )
    wanted = request.GET.get("group")
    if not wanted:
        return first_set_up([g for g in groups if g.kind == Group.Kind.WORKING]), groups
    by_id = {str(group.pk): group for group in groups}
    if wanted in by_id:
        return by_id[wanted], groups
    if wanted.isascii() and wanted.isdigit():
        parent_id = (
            Group.objects.active()
            .task_and_finish()
            .filter(pk=int(wanted))
            .values_list("parent_id", flat=True)
            .first()
        )
        if str(parent_id) in by_id:
            return by_id[str(parent_id)], groups
    raise Http404("No such group.")


def covered_groups(group: Group) -> list[Group]:
    """The group and its Task and Finish groups: what its tracker and update cover.

    Only Task and Finish groups: the working groups that report to the SVRP have it
    as their parent too, and their items are their own tracker's, not the SVRP's.
    """
    return [group, *Group.objects.task_and_finish().filter(parent=group).order_by("name", "pk")]


def seat_holders(seats) -> list[Person]:
    """The people holding `seats` (a Membership queryset) that a message can reach:
    active, with an email address, once each however many seats they hold, by name.

    Every email that goes to a group's seats (an invitation, an action note, the
    quarterly update to the SVRP) goes to this list, so they all agree on who is on it.
    """
    rows = seats.reachable().select_related("person")
    people = {seat.person.email.lower(): seat.person for seat in rows}
    return sorted(people.values(), key=lambda person: (person.full_name, person.email))


def group_seat_holders(group_id: int) -> list[Person]:
    """Who holds a current seat on the group and can be written to: its distribution list."""
    return seat_holders(Membership.objects.current().filter(group_id=group_id))
