"""The members app's background jobs (core.jobs): the invitation to sign in.

A job's arguments are ids only: the person's name and address are read when it runs,
so the job's record holds no personal data, and an address changed meanwhile is the
one used.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from core import jobs
from core.emails import NotSent
from core.models import Job
from members import services
from members.models import Person

INVITATION_SENT = "Invitation sent."


@jobs.job
def send_invitation(job: Job, *, person_id: int, by_id: int | None) -> str:
    """Email the person their invitation to choose a password (services.person_invite).

    The account was made by the request that queued this; the person is checked again
    here, as they may have been deactivated or chosen a password since.
    """
    person = Person.objects.select_related("user").filter(pk=person_id).first()
    if person is None:
        raise NotSent("Not sent: the person is no longer in the portal.")
    by = get_user_model()._default_manager.filter(pk=by_id).first() if by_id else None
    services.person_invite(person=person, by=by)
    return INVITATION_SENT


# The dotted path core.jobs records for the job.
_INVITATION = f"{send_invitation.__module__}.{send_invitation.__qualname__}"


def invitation_on_its_way(person: Person) -> bool:
    """Whether an invitation to the person is queued, running or waiting to try again:
    a second would only send the same email twice."""
    return jobs.jobs_about(person).filter(function=_INVITATION, state__in=Job.UNFINISHED).exists()
