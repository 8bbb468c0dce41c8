"""Background jobs as people see them: one job's state (polled by its page while it runs),
and VRU staff's list of recent jobs, where a failed one is tried again or dismissed."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core import jobs
from core.models import Job
from core.permissions import can_report, role_required, staff_required

JOBS_PER_PAGE = 25


@require_GET
@never_cache
@role_required
def job_status(request, pk: int):
    """The job's state, to its requester, VRU staff and the chair (who see the sends on
    the pages they share; 404 to others): as a page, or as the fragment its list item
    polls for (htmx)."""
    job = get_object_or_404(Job, pk=pk)
    if not can_report(request.user) and job.requested_by_id != request.user.pk:
        raise Http404
    template = "core/partials/job.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})


@require_GET
@staff_required
def job_list(request):
    """Recent jobs, newest first; `?state=failed` for the failures only."""
    shown = Job.objects.select_related("requested_by").prefetch_related("about")
    state = request.GET.get("state", "")
    if state not in Job.State.values:
        state = ""
    if state:
        shown = shown.filter(state=state)
    page = Paginator(shown, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/job_list.html",
        {"page_obj": page, "state": state, "states": Job.State.choices},
    )


def _failed(pk: int) -> Job:
    return get_object_or_404(Job, pk=pk, state=Job.State.FAILED, dismissed_at__isnull=True)


@require_POST
@staff_required
def job_retry(request, pk: int):
    again = jobs.try_again(_failed(pk), by=request.user)
    messages.success(request, f"Queued again: {again.description}.")
    return redirect("jobs:list")


@require_POST
@staff_required
def job_dismiss(request, pk: int):
    failed = _failed(pk)
    failed.dismissed_at = timezone.now()
    failed.save(update_fields=["dismissed_at"])
    messages.success(request, f"Dismissed: {failed.description}.")
    return redirect("jobs:list")
