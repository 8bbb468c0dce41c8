from django.http import Http404
from django.shortcuts import get_object_or_404, render

from actions.models import Action
from vrp_portal.permissions import can_view_all, person_of


def action_list(request):
    actions = Action.objects.select_related("owner", "agency", "group")
    if not can_view_all(request.user):
        actions = actions.owned_by(person_of(request.user))
    return render(request, "actions/list.html", {"actions": actions[:50]})


def my_actions(request):
    actions = Action.objects.outstanding().owned_by(person_of(request.user))
    return render(request, "actions/mine.html", {"actions": actions.select_related("group")})


def action_detail(request, pk: int):
    action = get_object_or_404(Action.objects.select_related("owner", "agency", "group"), pk=pk)
    if not can_view_all(request.user) and action.owner_id != getattr(
        person_of(request.user), "pk", None
    ):
        raise Http404
    return render(request, "actions/detail.html", {"action": action})
