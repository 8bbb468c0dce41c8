"""The finalised update and the quarter's SVRP pack go to the SVRP as background jobs, on
the real queue (the `job_queue` fixture): the page returns at once with nothing sent and
shows the send queued; the worker builds the Word and PDF and sends one copy to each
person; a failing mail server is tried again, then the send is failed, nothing is
recorded as sent, and VRU staff see it on their dashboard."""

from __future__ import annotations

import datetime as dt
import html
import io
import json

import docx
import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.models import Job
from members.models import Group
from tests.factories import GroupFactory, MembershipFactory, PersonFactory
from tests.smtp_sink import REFUSING
from tests.tracker.fixtures import QUARTER
from tracker.models import ReportSend
from tracker.report import report_finalise, report_reissue

pytestmark = pytest.mark.django_db

SVRP_PEOPLE = (("Łucja Wójcik", "lucja@example.org"), ("Ann Lee", "ann@example.org"))
ADDRESSES = sorted(email for _name, email in SVRP_PEOPLE)
PACK = "/reports/svrp-pack/2024-25/q1/"
PACK_SEND = f"{PACK}send/"


@pytest.fixture
def svrp(db):
    board = GroupFactory(name="Strategic Violence Reduction Partnership", kind=Group.Kind.SVRP)
    for name, email in SVRP_PEOPLE:
        MembershipFactory(group=board, person=PersonFactory(full_name=name, email=email))
    return board


@pytest.fixture
def finalised(quarter_data, chair_user):
    return report_finalise(group=quarter_data.group, quarter=QUARTER, by=chair_user)


@pytest.fixture
def urls(quarter_data):
    base = f"/reports/quarterly/2024-25/q1/%s?group={quarter_data.group.pk}"
    return {"send": base % "send/", "update": base % ""}


@pytest.fixture
def refusing_mail_server(settings):
    settings.EMAIL_BACKEND = REFUSING
    settings.JOB_RETRY_DELAYS = [60]


def words(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def word_text(data: bytes) -> str:
    return "\n".join(paragraph.text for paragraph in docx.Document(io.BytesIO(data)).paragraphs)


def assert_no_personal_data(job: Job) -> None:
    held = json.dumps(job.arguments, ensure_ascii=False)
    assert "@" not in held
    for name, _email in SVRP_PEOPLE:
        assert name not in held and name.split()[0] not in held
    assert "Chair" not in held


def assert_one_copy_each(mailoutbox) -> None:
    assert sorted(address for message in mailoutbox for address in message.to) == ADDRESSES


# The quarterly update.


def test_the_update_is_queued_then_sent_by_the_worker_with_its_word_and_pdf(
    svrp, finalised, chair_client, chair_user, urls, mailoutbox, job_queue
):
    response = chair_client.post(urls["send"])

    assert response.status_code == 302
    assert response["Location"] == urls["update"]
    assert mailoutbox == []
    assert not ReportSend.objects.exists()
    job = Job.objects.get()
    assert job.state == Job.State.QUEUED
    assert job.arguments == {"report_id": finalised.pk}
    assert job.requested_by == chair_user
    assert_no_personal_data(job)
    page = words(chair_client.get(response["Location"]))
    assert (
        "Queued: Issue 1 of the Communications Working Group's 2024-25 Q1 update to the SVRP. "
        "This page shows when it is done."
    ) in page
    assert f'id="job-{job.pk}"' in page and 'hx-trigger="every 2s"' in page

    job_queue.run()

    assert_one_copy_each(mailoutbox)
    for message in mailoutbox:
        (word_name, word, _), (pdf_name, pdf, pdf_type) = message.attachments
        assert word_name == "svrp-update-comms-working-group-2024-25-q1.docx"
        assert pdf_name == "svrp-update-comms-working-group-2024-25-q1.pdf"
        assert pdf_type == "application/pdf"
        assert "Communications Working Group" in word_text(word)
        assert "Communications Working Group" in pdf_text(pdf)
        assert "2024-25 Q1" in pdf_text(pdf)
    sent = ReportSend.objects.get()
    assert (sent.kind, sent.report, sent.sent_by) == ("update", finalised, chair_user)
    assert sent.recipients == ADDRESSES
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.DONE, 1)
    outcome = (
        "Issue 1 of the 2024-25 Q1 update was sent to 2 people on the SVRP's distribution list."
    )
    assert job.outcome == outcome
    update = words(chair_client.get(urls["update"]))
    assert "Done" in update and outcome in update
    assert "hx-trigger" not in update
    assert outcome in words(chair_client.get(urls["send"]))


def test_a_failing_mail_server_is_tried_again_then_the_update_send_is_reported_to_staff(
    svrp, finalised, chair_client, staff_client, urls, mailoutbox, job_queue, clock,
    refusing_mail_server,
):  # fmt: skip
    chair_client.post(urls["send"])

    job_queue.run()

    job = Job.objects.get()
    assert job.state == Job.State.RETRYING
    assert job.outcome.startswith("Attempt 1 failed: the mail server could not be reached")
    assert "Waiting to try again" in words(chair_client.get(urls["update"]))
    clock.shift(dt.timedelta(seconds=61))
    job_queue.run()

    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.FAILED, 2)
    assert job.outcome == (
        "Failed after 2 attempts: the mail server could not be reached or refused the "
        "message (SMTPServerDisconnected)."
    )
    assert mailoutbox == []
    assert not ReportSend.objects.exists()
    dashboard = words(staff_client.get(reverse("dashboard")))
    assert "Sends that failed" in dashboard
    assert "Issue 1 of the Communications Working Group's 2024-25 Q1 update to the SVRP" in (
        dashboard
    )
    assert "Not sent from the portal yet." in words(chair_client.get(urls["send"]))


def test_a_second_send_while_the_first_is_on_its_way_is_refused(
    svrp, finalised, chair_client, urls, mailoutbox, job_queue
):
    chair_client.post(urls["send"])

    response = chair_client.post(urls["send"])

    assert response.status_code == 200
    assert "is on its way to the SVRP already" in words(response)
    assert Job.objects.count() == 1
    job_queue.run()
    assert_one_copy_each(mailoutbox)


def test_an_issue_replaced_before_the_worker_sends_it_is_not_sent(
    svrp, finalised, chair_client, chair_user, quarter_data, urls, mailoutbox, job_queue
):
    chair_client.post(urls["send"])
    report_reissue(group=quarter_data.group, quarter=QUARTER, by=chair_user, reason="Corrected.")

    job_queue.run()

    job = Job.objects.get()
    assert job.state == Job.State.FAILED
    assert job.outcome == (
        "Not sent: issue 1 was replaced by issue 2 before it went. Check the current issue, "
        "then send it."
    )
    assert mailoutbox == []
    assert not ReportSend.objects.exists()


def test_nobody_to_send_the_update_to_is_refused_at_once_with_nothing_queued(
    finalised, chair_client, urls, job_queue
):
    response = chair_client.post(urls["send"])

    assert "nobody with an email address" in words(response)
    assert not Job.objects.exists()


def test_members_do_not_see_the_updates_sends(svrp, finalised, chair_client, member_client, urls):
    chair_client.post(urls["send"])

    assert "Issue 1 of the Communications" in words(chair_client.get(urls["update"]))
    assert "Issue 1 of the Communications" not in words(member_client.get(urls["update"]))


# The SVRP pack.


def signature(client) -> str:
    return client.get(PACK).context["pack"].signature


def test_the_pack_is_queued_then_put_together_and_sent_by_the_worker(
    svrp, finalised, staff_client, staff_user, mailoutbox, job_queue
):
    read = signature(staff_client)

    response = staff_client.post(PACK_SEND, {"signature": read})

    assert response.status_code == 302
    assert response["Location"] == PACK
    assert mailoutbox == []
    assert not ReportSend.objects.exists()
    job = Job.objects.get()
    assert job.arguments == {"year": 2024, "quarter": 1, "signature": read}
    assert job.requested_by == staff_user
    assert_no_personal_data(job)
    page = words(staff_client.get(PACK))
    assert "Queued: The 2024-25 Q1 SVRP pack to the SVRP. This page shows when it is done." in (
        page
    )
    assert f'id="job-{job.pk}"' in page

    job_queue.run()

    assert_one_copy_each(mailoutbox)
    for message in mailoutbox:
        (word_name, word, _), (pdf_name, pdf, _) = message.attachments
        assert (word_name, pdf_name) == ("svrp-pack-2024-25-q1.docx", "svrp-pack-2024-25-q1.pdf")
        assert "Communications Working Group: status and asks" in word_text(word)
        assert "SVRP pack" in pdf_text(pdf)
        assert "Communications Working Group" in pdf_text(pdf)
    sent = ReportSend.objects.get()
    assert (sent.kind, sent.year, sent.quarter, sent.sent_by) == ("pack", 2024, 1, staff_user)
    assert sent.recipients == ADDRESSES
    job.refresh_from_db()
    outcome = (
        "The 2024-25 Q1 SVRP pack was sent, as Word and PDF, to 2 people on the SVRP's "
        "distribution list."
    )
    assert (job.state, job.outcome) == (Job.State.DONE, outcome)
    page = words(staff_client.get(PACK))
    assert "Done" in page and outcome in page


def test_a_failing_mail_server_is_tried_again_then_the_pack_send_is_reported_to_staff(
    svrp, finalised, chair_client, staff_client, mailoutbox, job_queue, clock,
    refusing_mail_server,
):  # fmt: skip
    chair_client.post(PACK_SEND, {"signature": signature(chair_client)})

    job_queue.run()
    job = Job.objects.get()
    assert job.state == Job.State.RETRYING
    clock.shift(dt.timedelta(seconds=61))
    job_queue.run()

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.outcome.startswith("Failed after 2 attempts: the mail server")
    assert mailoutbox == []
    assert not ReportSend.objects.exists()
    dashboard = words(staff_client.get(reverse("dashboard")))
    assert "Sends that failed" in dashboard
    assert "The 2024-25 Q1 SVRP pack to the SVRP" in dashboard
    page = words(chair_client.get(PACK))
    assert "Failed" in page and "The pack has not been sent from the portal yet." in page


def test_a_second_pack_send_while_the_first_is_on_its_way_is_refused(
    svrp, finalised, staff_client, mailoutbox, job_queue
):
    read = signature(staff_client)
    staff_client.post(PACK_SEND, {"signature": read})

    response = staff_client.post(PACK_SEND, {"signature": read}, follow=True)

    assert "The 2024-25 Q1 pack is on its way to the SVRP already" in words(response)
    assert Job.objects.count() == 1
    job_queue.run()
    assert_one_copy_each(mailoutbox)


def test_a_pack_changed_before_the_worker_sends_it_is_not_sent(
    svrp, finalised, staff_client, chair_user, quarter_data, mailoutbox, job_queue
):
    staff_client.post(PACK_SEND, {"signature": signature(staff_client)})
    report_reissue(group=quarter_data.group, quarter=QUARTER, by=chair_user, reason="Corrected.")

    job_queue.run()

    job = Job.objects.get()
    assert job.state == Job.State.FAILED
    assert job.outcome.startswith(
        "The pack was not sent. The 2024-25 Q1 pack changed while you were reading it"
    )
    assert mailoutbox == []
    assert not ReportSend.objects.exists()


def test_members_do_not_see_the_packs_sends(svrp, finalised, staff_client, member_client):
    staff_client.post(PACK_SEND, {"signature": signature(staff_client)})

    assert "The 2024-25 Q1 SVRP pack to the SVRP" in words(staff_client.get(PACK))
    assert "The 2024-25 Q1 SVRP pack to the SVRP" not in words(member_client.get(PACK))
