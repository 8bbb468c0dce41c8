"""A group's ToR goes to its seats as a background job, on the real queue (the `job_queue`
fixture): the page returns at once with nothing sent and shows the send queued; the
worker builds the Word and PDF and sends one copy to each seat holder, recording each
send; a seat whose email failed is tried again later, and only that seat; a mail server
that keeps failing ends the job failed, nothing recorded, on VRU staff's dashboard."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import smtplib

import docx
import pytest
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from pypdf import PdfReader

from core.models import Job
from members.models import Membership
from tests.factories import MembershipFactory, PersonFactory, london
from tests.smtp_sink import REFUSING
from tracker.models import TorSend, TorText

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 5, 14)
ATTACHED = [f"terms-of-reference-comms-working-group-v2.{ext}" for ext in ("docx", "pdf")]
ZOE = ("Zoë Ŵyn", "zoe@example.org")


@pytest.fixture(autouse=True)
def may_2024(clock):
    clock.move_to(london(2024, 5, 14, 9))


@pytest.fixture
def group(working_group):
    working_group.tor_version = "V2"
    working_group.tor_published = dt.date(2023, 11, 1)
    working_group.save()
    TorText.objects.create(group=working_group, introduction="The introduction as sent.")
    return working_group


@pytest.fixture
def zoe_seat(group, staff_user):
    """An unsent seat; the staff persona's own seat is unsent too."""
    return MembershipFactory(
        group=group,
        role_title="Regional Communications Lead",
        person=PersonFactory(full_name=ZOE[0], email=ZOE[1]),
    )


@pytest.fixture
def refusing_mail_server(settings):
    settings.EMAIL_BACKEND = REFUSING
    settings.JOB_RETRY_DELAYS = [60]


def tor_page(group) -> str:
    return reverse("tor:group", args=[group.pk])


def words(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def assert_the_tor_attached(message) -> None:
    (word_name, word, _), (pdf_name, pdf, pdf_type) = message.attachments
    assert [word_name, pdf_name] == ATTACHED
    assert pdf_type == "application/pdf"
    paragraphs = [p.text for p in docx.Document(io.BytesIO(word)).paragraphs]
    assert "The introduction as sent." in paragraphs
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "The introduction as sent." in " ".join(text.split())


def assert_no_personal_data(job: Job) -> None:
    held = json.dumps(job.arguments, ensure_ascii=False)
    assert "@" not in held and "Zoë" not in held and "Staff" not in held


def test_every_unsent_seat_is_queued_then_sent_by_the_worker(
    group, zoe_seat, staff_client, staff_user, mailoutbox, job_queue
):
    response = staff_client.post(reverse("tor:send_unsent", args=[group.pk]))

    assert response.status_code == 302
    assert response["Location"] == tor_page(group)
    assert mailoutbox == []
    assert not TorSend.objects.exists()
    job = Job.objects.get()
    assert job.state == Job.State.QUEUED
    assert set(job.arguments) == {"group_id", "version_id"}
    assert (job.arguments["group_id"], job.requested_by) == (group.pk, staff_user)
    assert_no_personal_data(job)
    page = words(staff_client.get(tor_page(group)))
    assert (
        "Queued: ToR V2 of the Communications Working Group to every seat not yet sent it. "
        "This page shows when it is done."
    ) in page
    assert f'id="job-{job.pk}"' in page

    job_queue.run()

    assert sorted(message.to[0] for message in mailoutbox) == [
        "staff@example.org",
        "zoe@example.org",
    ]
    for message in mailoutbox:
        assert_the_tor_attached(message)
    assert sorted(TorSend.objects.values_list("email", flat=True)) == [
        "staff@example.org",
        "zoe@example.org",
    ]
    assert TorSend.objects.filter(sent_by=staff_user).count() == 2
    assert Membership.objects.get(pk=zoe_seat.pk).tor_sent_on == TODAY
    job.refresh_from_db()
    assert (job.state, job.outcome) == (Job.State.DONE, "V2 of the ToR was sent to 2 people.")
    page = words(staff_client.get(tor_page(group)))
    assert "Done" in page and "V2 of the ToR was sent to 2 people." in page


def test_one_seat_is_queued_then_sent_by_the_worker(
    group, zoe_seat, staff_client, mailoutbox, job_queue
):
    response = staff_client.post(reverse("tor:send_seat", args=[zoe_seat.pk]))

    assert response.status_code == 302
    assert mailoutbox == []
    job = Job.objects.get()
    assert set(job.arguments) == {"seat_id", "version_id"}
    assert job.arguments["seat_id"] == zoe_seat.pk
    assert_no_personal_data(job)
    seat_words = f"Regional Communications Lead ({zoe_seat.agency.display_name})"
    assert job.description == f"ToR V2 of the Communications Working Group to {seat_words}"
    assert "Queued: ToR V2" in words(staff_client.get(tor_page(group)))

    job_queue.run()

    [message] = mailoutbox
    assert message.to == ["zoe@example.org"]
    assert_the_tor_attached(message)
    send = TorSend.objects.get()
    assert (send.seat, send.email) == (zoe_seat, "zoe@example.org")
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert job.outcome == f"V2 of the ToR was sent to 1 person: {seat_words}."


def test_a_seat_whose_email_failed_is_tried_again_alone(
    group, zoe_seat, staff_client, mailoutbox, job_queue, clock, monkeypatch, settings
):
    settings.JOB_RETRY_DELAYS = [60]
    real_send = EmailMultiAlternatives.send

    def refuse_zoe(message, *args, **kwargs):
        if message.to == ["zoe@example.org"]:
            raise smtplib.SMTPRecipientsRefused({"zoe@example.org": (451, b"Try later")})
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse_zoe)
    staff_client.post(reverse("tor:send_unsent", args=[group.pk]))

    job_queue.run()

    job = Job.objects.get()
    assert job.state == Job.State.RETRYING
    assert job.outcome.startswith(
        "Attempt 1 failed: V2 of the ToR was sent to 1 of 2 seats; the email to Regional "
        f"Communications Lead ({zoe_seat.agency.display_name}) failed. Trying again at"
    )
    assert [message.to for message in mailoutbox] == [["staff@example.org"]]
    assert list(TorSend.objects.values_list("email", flat=True)) == ["staff@example.org"]
    assert Membership.objects.get(pk=zoe_seat.pk).tor_sent_on is None
    assert "Waiting to try again" in words(staff_client.get(tor_page(group)))

    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    clock.shift(dt.timedelta(seconds=61))
    job_queue.run()

    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.DONE, 2)
    assert job.outcome == "V2 of the ToR was sent to 1 person more at attempt 2."
    # The staff persona had it at the first attempt, and only then.
    assert [message.to for message in mailoutbox] == [["staff@example.org"], ["zoe@example.org"]]
    assert sorted(TorSend.objects.values_list("email", flat=True)) == [
        "staff@example.org",
        "zoe@example.org",
    ]
    assert Membership.objects.get(pk=zoe_seat.pk).tor_sent_on == TODAY


def test_a_retry_that_finds_every_seat_sent_is_done(
    group, zoe_seat, staff_client, mailoutbox, job_queue, clock, monkeypatch, settings
):
    settings.JOB_RETRY_DELAYS = [60]
    real_send = EmailMultiAlternatives.send

    def refuse_zoe(message, *args, **kwargs):
        if message.to == ["zoe@example.org"]:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse_zoe)
    staff_client.post(reverse("tor:send_unsent", args=[group.pk]))
    job_queue.run()
    # Meanwhile staff sent it to her outside the portal and entered the date by hand.
    Membership.objects.filter(pk=zoe_seat.pk).update(tor_sent_on=TODAY)
    clock.shift(dt.timedelta(seconds=61))

    job_queue.run()

    job = Job.objects.get()
    assert job.state == Job.State.DONE
    assert job.outcome == "V2 of the ToR has gone to every seat with somebody to send to."
    assert [message.to for message in mailoutbox] == [["staff@example.org"]]


def test_a_failing_mail_server_is_tried_again_then_the_tor_send_is_reported_to_staff(
    group, zoe_seat, staff_client, mailoutbox, job_queue, clock, refusing_mail_server
):
    staff_client.post(reverse("tor:send_unsent", args=[group.pk]))

    job_queue.run()
    job = Job.objects.get()
    assert job.state == Job.State.RETRYING
    clock.shift(dt.timedelta(seconds=61))
    job_queue.run()

    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.FAILED, 2)
    assert job.outcome.startswith(
        "Failed after 2 attempts: V2 of the ToR was sent to 0 of 2 seats; the email to "
    )
    assert f"Regional Communications Lead ({zoe_seat.agency.display_name})" in job.outcome
    assert mailoutbox == []
    assert not TorSend.objects.exists()
    assert Membership.objects.get(pk=zoe_seat.pk).tor_sent_on is None
    dashboard = words(staff_client.get(reverse("dashboard")))
    assert "Sends that failed" in dashboard
    assert "ToR V2 of the Communications Working Group to every seat not yet sent it" in dashboard


def test_a_second_send_while_the_first_is_on_its_way_is_refused(
    group, zoe_seat, staff_client, mailoutbox, job_queue
):
    url = reverse("tor:send_unsent", args=[group.pk])
    staff_client.post(url)

    response = staff_client.post(url, follow=True)

    assert "is on its way already" in words(response)
    assert Job.objects.count() == 1
    job_queue.run()
    assert len(mailoutbox) == 2


def test_the_distribution_list_send_comes_back_to_it(
    group, zoe_seat, staff_client, mailoutbox, job_queue
):
    back = f"{reverse('members:distribution_list')}?group={group.pk}"

    response = staff_client.post(reverse("tor:send_seat", args=[zoe_seat.pk]), {"next": back})

    assert response["Location"] == back
    assert "Queued: ToR V2" in words(staff_client.get(back))
    assert mailoutbox == []
