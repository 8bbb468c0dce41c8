"""Background jobs on the pages they concern.

{% load jobs %}
{% jobs_about meeting %}    the sends of this meeting, newest first, polled while they run
{% failed_jobs %}           VRU staff's dashboard: failures nobody has seen to yet
"""

import datetime as dt

from django import template
from django.utils import timezone

from core import jobs
from core.models import Job
from core.permissions import is_vru_staff

register = template.Library()

# The newest jobs on an object's page; /jobs/ keeps them all.
SHOWN = 5
# How long a failure stays on the dashboard unless someone tries again or dismisses it.
FAILED_SHOWN_FOR = dt.timedelta(days=30)


@register.inclusion_tag("core/partials/jobs_about.html")
def jobs_about(about, heading: str = "Sending"):
    shown = list(jobs.jobs_about(about)[:SHOWN])
    return {"jobs": shown, "heading": heading}


@register.inclusion_tag("core/partials/failed_jobs.html", takes_context=True)
def failed_jobs(context):
    request = context.get("request")
    if request is None or not is_vru_staff(request.user):
        return {"jobs": []}
    failed = Job.objects.filter(
        state=Job.State.FAILED,
        dismissed_at__isnull=True,
        finished_at__gte=timezone.now() - FAILED_SHOWN_FOR,
    )
    shown = list(failed[: SHOWN + 1])
    return {"jobs": shown[:SHOWN], "more": len(shown) > SHOWN}


@register.filter
def job_badge(job: Job) -> str:
    """The badge class of the job's state."""
    return {
        Job.State.DONE: "text-bg-success",
        Job.State.FAILED: "text-bg-danger",
        Job.State.RETRYING: "text-bg-warning",
    }.get(job.state, "text-bg-secondary")
