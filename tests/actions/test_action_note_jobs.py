"""A meeting's action note goes from a background job (actions.jobs): the worker, not the
page, builds its Word and PDF copies and sends them; the page returns at once and shows the
send until it is done; a failing mail server is tried again, then reported to VRU staff
with nothing recorded as sent."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actions import action_note
from actions.models import ActionNoteSend
from core.models import Job
from meetings.models import Attendance
from tests.factories import AttendanceFactory, MembershipFactory, PersonFactory
from tests.smtp_sink import REFUSING

pytestmark = pytest.mark.django_db

ADDRESSES = ["dara@example.org", "owner@example.org", "staff@example.org"]


@pytest.fixture
def held(meeting, working_group, member_user, staff_user):
    """The meeting of an hour ago, its register saved: the owner was there; Dara and staff
    hold seats."""
    owner = member_user.person
    AttendanceFactory(
        meeting=meeting,
        membership=owner.memberships.get(),
        person=owner,
        status=Attendance.Status.PRESENT,
    )
    MembershipFactory(
        group=working_group, person=PersonFactory(full_name="Dara Holder", email="dara@example.org")
    )
    return meeting


@pytest.fixture
def builds(monkeypatch):
    """How many Word and PDF copies have been built, by extension."""
    counted = {"docx": 0, "pdf": 0}
    for extension, render in list(action_note.RENDERERS.items()):

        def counting(note, extension=extension, render=render):
            counted[extension] += 1
            return render(note)

        monkeypatch.setitem(action_note.RENDERERS, extension, counting)
    return counted


def _url(meeting) -> str:
    return reverse("actions:note", args=[meeting.pk])


def _words(response) -> str:
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_the_page_returns_at_once_and_the_worker_builds_and_sends_the_note(
    job_queue, staff_client, staff_user, held, builds
):
    response = staff_client.post(_url(held))

    assert response.status_code == 302
    assert response["Location"] == _url(held)
    assert mail.outbox == []
    assert builds == {"docx": 0, "pdf": 0}  # the web process built nothing
    assert not ActionNoteSend.objects.exists()
    queued = Job.objects.get()
    assert queued.state == Job.State.QUEUED
    assert queued.description == f"Action note of {held}"
    assert queued.arguments == {"meeting_id": held.pk, "reason": ""}
    assert queued.requested_by == staff_user
    page = _words(staff_client.get(_url(held)))
    assert f"Queued: Action note of {held}. This page shows when it is done." in page
    assert "Sending the action note" in page and "Not sent yet." in page

    job_queue.run()

    assert builds == {"docx": 1, "pdf": 1}  # once, for every recipient's copy
    assert sorted(message.to[0] for message in mail.outbox) == ADDRESSES
    for message in mail.outbox:
        assert [name.rsplit(".", 1)[1] for name, _, _ in message.attachments] == ["docx", "pdf"]
    sent = ActionNoteSend.objects.get()
    assert (sent.meeting, sent.sent_by, sent.reason) == (held, staff_user, "")
    assert sorted(sent.recipients) == ADDRESSES
    queued.refresh_from_db()
    assert (queued.state, queued.outcome) == (
        Job.State.DONE,
        "The action note was sent to 3 people.",
    )
    page = _words(staff_client.get(_url(held)))
    assert "Done" in page and "The action note was sent to 3 people." in page
    assert page.count("Sent by Staff on") == 1


def test_sending_it_again_queues_the_reason_and_says_so(job_queue, staff_client, held):
    staff_client.post(_url(held))
    job_queue.run()
    mail.outbox.clear()

    staff_client.post(_url(held), {"reason": "The venue action had the wrong owner"})

    again = Job.objects.first()
    assert again.description == f"Action note of {held}, sent again"
    assert again.arguments["reason"] == "The venue action had the wrong owner"
    job_queue.run()
    assert len(mail.outbox) == 3
    assert ActionNoteSend.objects.first().reason == "The venue action had the wrong owner"


def test_the_job_record_holds_no_name_or_address(job_queue, staff_client, held):
    staff_client.post(_url(held))
    job_queue.run()

    done = Job.objects.get()
    record = json.dumps([done.arguments, done.description, done.outcome]).lower()
    for personal in ("dara", "holder", "owner", "staff", "example.org"):
        assert personal not in record


def test_a_failing_mail_server_is_tried_again_then_reported_with_nothing_recorded(
    job_queue, staff_client, held, settings, clock
):
    settings.EMAIL_BACKEND = REFUSING
    settings.JOB_RETRY_DELAYS = [60]

    staff_client.post(_url(held))
    job_queue.run()

    queued = Job.objects.get()
    assert queued.state == Job.State.RETRYING
    wait = queued.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=50) < wait <= dt.timedelta(seconds=60)
    when = timezone.localtime(queued.next_attempt_at).strftime("%H:%M")
    page = _words(staff_client.get(_url(held)))
    assert "Waiting to try again" in page and f"Trying again at {when}." in page
    assert not ActionNoteSend.objects.exists()

    clock.shift(dt.timedelta(seconds=61))
    job_queue.run()

    queued.refresh_from_db()
    assert queued.state == Job.State.FAILED
    assert queued.outcome.startswith("Failed after 2 attempts: the mail server")
    assert mail.outbox == []
    assert not ActionNoteSend.objects.exists()
    assert "Not sent yet." in _words(staff_client.get(_url(held)))
    dashboard = _words(staff_client.get(reverse("dashboard")))
    assert "Sends that failed" in dashboard
    assert f"Action note of {held}: Failed after 2 attempts" in dashboard


def test_a_send_on_its_way_is_not_queued_twice(job_queue, staff_client, held):
    staff_client.post(_url(held))
    again = staff_client.post(_url(held), follow=True)

    assert "The action note is already on its way" in _words(again)
    assert Job.objects.count() == 1
    job_queue.run()
    assert len(mail.outbox) == 3


def test_a_register_emptied_while_it_waited_stops_the_send(job_queue, staff_client, held):
    staff_client.post(_url(held))
    held.attendances.all().delete()

    job_queue.run()

    failed = Job.objects.get()
    assert failed.state == Job.State.FAILED
    assert failed.outcome.startswith("The register has not been saved yet")
    assert mail.outbox == []
    assert not ActionNoteSend.objects.exists()


def test_only_staff_see_the_note_being_sent_on_the_meeting_page(
    job_queue, staff_client, member_client, held
):
    staff_client.post(_url(held))
    meeting_url = reverse("meetings:detail", args=[held.pk])

    assert f"Action note of {held}" in _words(staff_client.get(meeting_url))
    member_page = _words(member_client.get(meeting_url))
    assert f"Action note of {held}" not in member_page
    assert "Sending: invitations and action notes" not in member_page
    assert member_client.get(_url(held)).status_code == 403
