"""The invitation to sign in goes from a background job (members.jobs): the page returns at
once, shows the send until it is done, and a failing mail server is tried again, then
reported to VRU staff."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import Job
from core.permissions import CHAIR, MEMBER
from members.models import Person
from tests.factories import AgencyFactory, PersonFactory
from tests.smtp_sink import REFUSING

pytestmark = pytest.mark.django_db


def _invite(person) -> str:
    return reverse("members:person_invite", args=[person.pk])


def _page(person) -> str:
    return reverse("members:person", args=[person.pk])


def _words(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def invited(member_user):
    """The owner persona, who has not chosen a password yet."""
    member_user.set_unusable_password()
    member_user.save()
    return member_user.person


def test_the_page_returns_at_once_and_the_worker_sends_the_invitation(
    job_queue, staff_client, staff_user, invited
):
    response = staff_client.post(_invite(invited))

    assert response.status_code == 302
    assert mail.outbox == []
    queued = Job.objects.get()
    assert queued.state == Job.State.QUEUED
    # Ids only: the person's name and address are read when the job runs.
    assert queued.arguments == {"person_id": invited.pk}
    assert queued.requested_by == staff_user
    page = _words(staff_client.get(_page(invited)))
    assert "Invitation to Owner queued: this page shows when it has been sent." in page
    assert "Queued" in page and f"Invitation to sign in (person no. {invited.pk})" in page

    job_queue.run()

    [message] = mail.outbox
    assert message.to == ["owner@example.org"]
    assert "/accounts/password/reset/key/" in message.body
    queued.refresh_from_db()
    assert (queued.state, queued.outcome) == (Job.State.DONE, "Invitation sent.")
    page = _words(staff_client.get(_page(invited)))
    assert "Done" in page and "Invitation sent." in page


def test_the_account_is_made_by_the_request_and_the_email_by_the_worker(job_queue, staff_client):
    person = PersonFactory(full_name="Noel Noaccount", email="noel@example.org")

    staff_client.post(_invite(person), {"role": CHAIR})

    person.refresh_from_db()
    assert list(person.user.groups.values_list("name", flat=True)) == [CHAIR]
    assert not person.user.has_usable_password()
    assert mail.outbox == []
    page = _words(staff_client.get(_page(person)))
    assert "Invited — they have not chosen a password yet." in page

    job_queue.run()

    assert [message.to for message in mail.outbox] == [["noel@example.org"]]


def test_adding_a_person_with_the_invitation_ticked_queues_it(job_queue, staff_client):
    data = {
        "full_name": "Nia Newcomer",
        "email": "nia.newcomer@example.org",
        "job_title": "Press Officer",
        "agency": AgencyFactory().pk,
        "role": MEMBER,
        "send_invitation": "on",
    }

    response = staff_client.post(reverse("members:person_create"), data, follow=True)

    person = Person.objects.get(email="nia.newcomer@example.org")
    assert response.redirect_chain[-1][0] == _page(person)
    assert "Invitation to Nia Newcomer queued" in _words(response)
    assert mail.outbox == []
    assert Job.objects.get().arguments["person_id"] == person.pk
    job_queue.run()
    assert [message.to for message in mail.outbox] == [["nia.newcomer@example.org"]]


def test_the_job_record_holds_no_name_or_address(job_queue, staff_client, staff_user):
    person = PersonFactory(full_name="Priya Private", email="priya.private@example.org")

    staff_client.post(_invite(person), {"role": MEMBER})
    job_queue.run()

    done = Job.objects.get()
    record = json.dumps([done.arguments, done.description, done.outcome]).lower()
    for personal in ("priya", "private", "example.org", "staff"):
        assert personal not in record
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_is_tried_again_then_reported_to_staff(
    job_queue, staff_client, invited, settings, clock
):
    settings.EMAIL_BACKEND = REFUSING
    settings.JOB_RETRY_DELAYS = [60]

    staff_client.post(_invite(invited))
    job_queue.run()

    queued = Job.objects.get()
    assert queued.state == Job.State.RETRYING
    # The next attempt is a minute after the first: the clock has ticked a little since.
    wait = queued.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=50) < wait <= dt.timedelta(seconds=60)
    when = timezone.localtime(queued.next_attempt_at).strftime("%H:%M")
    page = _words(staff_client.get(_page(invited)))
    assert "Waiting to try again" in page and f"Trying again at {when}." in page
    assert mail.outbox == []

    clock.shift(dt.timedelta(seconds=61))
    job_queue.run()

    queued.refresh_from_db()
    assert queued.state == Job.State.FAILED
    assert queued.outcome == (
        "Failed after 2 attempts: the mail server could not be reached or refused the "
        "message (SMTPServerDisconnected)."
    )
    assert mail.outbox == []
    dashboard = _words(staff_client.get(reverse("dashboard")))
    assert "Sends that failed" in dashboard
    assert f"Invitation to sign in (person no. {invited.pk}): Failed after 2 attempts" in dashboard


def test_a_person_deactivated_while_it_waited_is_not_sent_it(job_queue, staff_client, invited):
    staff_client.post(_invite(invited))
    invited.is_active = False
    invited.save()

    job_queue.run()

    assert mail.outbox == []
    failed = Job.objects.get()
    assert failed.state == Job.State.FAILED
    assert failed.outcome.startswith("Not sent: the person has been deactivated.")


def test_an_invitation_on_its_way_is_not_queued_twice(job_queue, staff_client, invited):
    staff_client.post(_invite(invited))
    again = staff_client.post(_invite(invited), follow=True)

    assert "An invitation to Owner is already on its way" in _words(again)
    assert Job.objects.count() == 1
    job_queue.run()
    assert len(mail.outbox) == 1


def test_a_failed_send_is_shown_on_the_page_of_the_person_at_once(staff_client, invited, settings):
    """Without a worker (the demo, TASKS_BACKEND=immediate), the failure is said at once."""
    settings.EMAIL_BACKEND = REFUSING

    response = staff_client.post(_invite(invited), follow=True)

    page = _words(response)
    assert "The invitation to Owner could not be sent. Failed at the first attempt" in page
    assert "Try again later with “Send the invitation again”." in page
    assert Job.objects.get().state == Job.State.FAILED


def test_only_staff_see_the_invitations_on_a_persons_page(
    job_queue, staff_client, member_client, other_member_user
):
    other = other_member_user.person
    other_member_user.set_unusable_password()
    other_member_user.save()
    staff_client.post(_invite(other))

    description = f"Invitation to sign in (person no. {other.pk})"
    assert description in _words(staff_client.get(_page(other)))
    member_page = member_client.get(_page(other))
    assert member_page.status_code == 200
    assert description not in _words(member_page)
    assert "jobs-heading" not in member_page.content.decode()
