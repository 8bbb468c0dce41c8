"""The members app's background jobs (core.jobs): the invitation to sign in.

A job's arguments are ids only: the person's name and address are read when it runs,
so the job's record holds no personal data, and an address changed meanwhile is the
one used.
"""

from __future__ import annotations

from core import jobs
from core.emails import NotSent
from core.models import Job
from members import services
from members.models import Person

INVITATION_SENT = "Invitation sent."


@jobs.job
def send_invitation(job: Job, *, person_id: int) -> str:
    """Email the person their invitation to choose a password (services.person_invite).

    The account was made by the request that queued this; the person is checked again
    here, as they may have been deactivated or chosen a password since.
    """
    person = Person.objects.select_related("user").filter(pk=person_id).first()
    if person is None:
        raise NotSent("Not sent: the person is no longer in the portal.")
    by = job.requested_by
    services.person_invite(person=person, by=by)
    return INVITATION_SENT
