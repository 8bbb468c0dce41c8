"""Planning a group's year of meetings: VRU staff only, like every change to the schedule."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from core.permissions import staff_required
from meetings import services
from meetings.access import default_group
from meetings.forms import PlanFormSet, PlanRowForm
from members.models import Group


def _chosen_group(value: str | None) -> Group | None:
    if value and value.isdigit():
        return get_object_or_404(Group.objects.active(), pk=value)
    return default_group()


@staff_required
def meeting_plan(request):
    group = _chosen_group(request.POST.get("group") or request.GET.get("group"))
    if group is None:
        return render(request, "meetings/plan.html", {"group": None})
    warnings: list[str] = []
    if request.method == "POST":
        formset = PlanFormSet(request.POST, prefix="plan", group=group)
        if formset.is_valid():
            planned = [form.to_meeting(group) for form in formset if form.cleaned_data["include"]]
            warnings = services.rule_warnings(group, planned)
            if request.POST.get("step") != "check":
                services.meetings_plan(group=group, meetings=planned, by=request.user)
                count = len(planned)
                messages.success(
                    request,
                    f"{count} meeting{'s' if count != 1 else ''} of the {group.name} scheduled.",
                )
                for warning in warnings:
                    messages.warning(request, warning)
                return redirect(f"{reverse('meetings:list')}?group={group.pk}")
    else:
        proposal = services.plan_proposal(group)
        formset = PlanFormSet(initial=[PlanRowForm.initial_for(m) for m in proposal], prefix="plan")
    return render(
        request,
        "meetings/plan.html",
        {
            "group": group,
            "groups": Group.objects.active().select_related("parent"),
            "formset": formset,
            "warnings": warnings,
            "checked": request.method == "POST",
            "hosts": services.hosting_rota(group),
            "now": timezone.now(),
        },
    )
