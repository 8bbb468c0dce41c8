"""A meeting's invitation, update or cancellation goes from a background job (meetings.jobs):
the page returns at once, the meeting page shows the send until it is done, and a failing
mail server is tried again, then reported to VRU staff with nothing recorded as sent."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import Job
from meetings.models import InvitationSend
from tests.factories import MembershipFactory, PersonFactory
from tests.smtp_sink import REFUSING

pytestmark = pytest.mark.django_db

ADDRESSES = ["chair@example.org", "owner@example.org", "staff@example.org", "zara@example.org"]
AGENDA = "1. Welcome\n2. Partner updates"


@pytest.fixture
def seats(working_group, member_user, chair_user, staff_user):
    MembershipFactory(
        group=working_group, person=PersonFactory(full_name="Zara Seat", email="zara@example.org")
    )
    return working_group.memberships.all()


def _send(client, meeting, agenda: str = AGENDA):
    meeting.refresh_from_db()
    return client.post(
        reverse("meetings:invitation", args=[meeting.pk]),
        {"agenda": agenda, "sequence": meeting.sequence},
    )


def _page(client, meeting) -> str:
    response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_the_page_returns_at_once_and_the_worker_sends_to_each_seat_holder(
    job_queue, staff_client, staff_user, upcoming_meeting, seats
):
    response = _send(staff_client, upcoming_meeting)

    assert response.status_code == 302
    assert response["Location"] == upcoming_meeting.get_absolute_url()
    assert mail.outbox == []
    assert not InvitationSend.objects.exists()
    queued = Job.objects.get()
    assert queued.state == Job.State.QUEUED
    assert queued.description == f"Invitation: {upcoming_meeting}"
    assert queued.arguments == {"meeting_id": upcoming_meeting.pk, "agenda": AGENDA}
    assert queued.requested_by == staff_user
    page = _page(staff_client, upcoming_meeting)
    assert f"Queued: Invitation: {upcoming_meeting}. This page shows when it is done." in page
    assert "Sending: invitations and action notes" in page and "Queued" in page

    job_queue.run()

    assert sorted(message.to[0] for message in mail.outbox) == ADDRESSES
    assert all(len(message.to) == 1 for message in mail.outbox)
    sent = InvitationSend.objects.get()
    assert (sent.kind, sent.sent_by, sent.agenda) == ("invitation", staff_user, AGENDA)
    assert sorted(sent.recipients) == ADDRESSES
    queued.refresh_from_db()
    outcome = "Invitation sent to 4 people, with the meeting's calendar file attached."
    assert (queued.state, queued.outcome) == (Job.State.DONE, outcome)
    page = _page(staff_client, upcoming_meeting)
    assert "Done" in page and "Invitation sent to 4 people, with the meeting" in page
    assert '<td data-label="What">Invitation</td>' in page


def test_the_job_record_holds_no_name_or_address(job_queue, staff_client, upcoming_meeting, seats):
    _send(staff_client, upcoming_meeting)
    job_queue.run()

    done = Job.objects.get()
    record = json.dumps([done.arguments, done.description, done.outcome]).lower()
    for personal in ("zara", "owner", "chair", "staff", "example.org"):
        assert personal not in record


def test_the_meeting_is_sent_as_it_is_when_the_job_runs(
    job_queue, staff_client, upcoming_meeting, seats
):
    _send(staff_client, upcoming_meeting)
    upcoming_meeting.location = "Police HQ, Eastleigh"
    upcoming_meeting.save()

    job_queue.run()

    assert all("Police HQ, Eastleigh" in message.body for message in mail.outbox)


def test_a_failing_mail_server_is_tried_again_then_reported_with_nothing_recorded(
    job_queue, staff_client, upcoming_meeting, seats, settings, clock
):
    settings.EMAIL_BACKEND = REFUSING
    settings.JOB_RETRY_DELAYS = [60]

    _send(staff_client, upcoming_meeting)
    job_queue.run()

    queued = Job.objects.get()
    assert queued.state == Job.State.RETRYING
    wait = queued.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=50) < wait <= dt.timedelta(seconds=60)
    when = timezone.localtime(queued.next_attempt_at).strftime("%H:%M")
    page = _page(staff_client, upcoming_meeting)
    assert "Waiting to try again" in page and f"Trying again at {when}." in page
    assert not InvitationSend.objects.exists()

    clock.shift(dt.timedelta(seconds=61))
    job_queue.run()

    queued.refresh_from_db()
    assert queued.state == Job.State.FAILED
    assert queued.outcome.startswith("Failed after 2 attempts: the mail server")
    assert mail.outbox == []
    assert not InvitationSend.objects.exists()
    page = _page(staff_client, upcoming_meeting)
    assert "The invitation has not been sent yet." in page
    dashboard = " ".join(staff_client.get(reverse("dashboard")).content.decode().split())
    assert "Sends that failed" in dashboard
    assert f"Invitation: {upcoming_meeting}: Failed after 2 attempts" in dashboard


def test_a_send_on_its_way_is_not_queued_twice(job_queue, staff_client, upcoming_meeting, seats):
    _send(staff_client, upcoming_meeting)
    again = _send(staff_client, upcoming_meeting, "Another agenda")

    assert again.status_code == 302
    assert Job.objects.count() == 1
    assert "last send is still on its way" in _page(staff_client, upcoming_meeting)
    job_queue.run()
    assert len(mail.outbox) == len(ADDRESSES)


def test_nobody_to_send_to_is_said_at_once_and_nothing_queued(
    job_queue, staff_client, upcoming_meeting, working_group
):
    working_group.memberships.all().delete()

    response = _send(staff_client, upcoming_meeting)

    assert response.status_code == 200
    assert "Nobody holding a seat on this group has an email address" in response.content.decode()
    assert not Job.objects.exists()


def test_only_staff_see_the_sends_on_the_meeting_page(
    job_queue, staff_client, member_client, chair_client, upcoming_meeting, seats
):
    _send(staff_client, upcoming_meeting)

    assert "Sending: invitations and action notes" in _page(staff_client, upcoming_meeting)
    for client in (member_client, chair_client):
        page = _page(client, upcoming_meeting)
        assert "Sending: invitations and action notes" not in page
        assert f"Invitation: {upcoming_meeting}" not in page
