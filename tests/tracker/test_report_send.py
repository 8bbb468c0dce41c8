"""The chair sends the finalised update to the SVRP's distribution list from the portal."""

from io import BytesIO

import pytest
from docx import Document

from members.models import Group
from tests.factories import GroupFactory, MembershipFactory, PersonFactory
from tests.tracker.fixtures import QUARTER
from tracker.models import ReportSend
from tracker.report import report_finalise
from tracker.sending import send_update, svrp_recipients

pytestmark = pytest.mark.django_db


@pytest.fixture
def svrp(db):
    board = GroupFactory(name="Strategic Violence Reduction Partnership", kind=Group.Kind.SVRP)
    for name, email in (("Łucja Wójcik", "lucja@example.org"), ("Ann Lee", "ann@example.org")):
        MembershipFactory(group=board, person=PersonFactory(full_name=name, email=email))
    MembershipFactory(group=board, person=None)  # a vacant seat
    return board


@pytest.fixture
def finalised(quarter_data, chair_user):
    return report_finalise(group=quarter_data.group, quarter=QUARTER, by=chair_user)


def test_the_distribution_list_is_the_svrps_seat_holders_once_each(svrp, working_group):
    person = svrp.memberships.exclude(person=None).first().person
    MembershipFactory(group=svrp, person=person, role_title="Second seat")
    MembershipFactory(group=working_group, person=PersonFactory(email="wg@example.org"))

    assert [r.email for r in svrp_recipients()] == ["ann@example.org", "lucja@example.org"]


def test_each_person_gets_their_own_copy_with_word_and_pdf_and_the_send_is_recorded(
    svrp, finalised, chair_user, mailoutbox
):
    sent = send_update(report=finalised, by=chair_user)

    assert sorted(message.to[0] for message in mailoutbox) == [
        "ann@example.org",
        "lucja@example.org",
    ]
    message = mailoutbox[0]
    assert message.subject == (
        "Communications Working Group: quarterly update to the SVRP, 2024-25 Q1"
    )
    names = [name for name, _content, _type in message.attachments]
    assert names == [
        "svrp-update-comms-working-group-2024-25-q1.docx",
        "svrp-update-comms-working-group-2024-25-q1.pdf",
    ]
    word = Document(BytesIO(message.attachments[0][1]))
    assert any("Communications Working Group" in p.text for p in word.paragraphs)
    assert message.attachments[1][1].startswith(b"%PDF")
    assert sent == ReportSend.objects.get()
    assert (sent.kind, sent.report, sent.sent_by) == ("update", finalised, chair_user)
    assert sent.recipients == ["ann@example.org", "lucja@example.org"]


def test_with_nobody_to_send_to_nothing_is_sent_or_recorded(finalised, chair_user, mailoutbox):
    with pytest.raises(ValueError, match="nobody with an email address"):
        send_update(report=finalised, by=chair_user)

    assert mailoutbox == []
    assert not ReportSend.objects.exists()


@pytest.fixture
def send_url(quarter_data):
    return f"/reports/quarterly/2024-25/q1/send/?group={quarter_data.group.pk}"


def test_the_chair_sees_who_will_get_it_then_sends_it_from_the_portal(
    svrp, finalised, chair_client, send_url, mailoutbox
):
    page = chair_client.get(send_url).content.decode()

    assert "Łucja Wójcik (lucja@example.org)" in page
    assert "svrp-update-comms-working-group-2024-25-q1.pdf" in page
    assert "Not sent from the portal yet." in page

    response = chair_client.post(send_url, follow=True)

    said = response.content.decode()
    assert "Issue 1 of the 2024-25 Q1 update was sent to 2 people" in said
    assert len(mailoutbox) == 2
    listed = " ".join(chair_client.get(send_url).content.decode().split())
    assert "Issue 1, sent by Chair on" in listed
    assert "to 2: ann@example.org, lucja@example.org" in listed


def test_with_an_empty_distribution_list_the_page_says_so_and_sends_nothing(
    finalised, staff_client, send_url, mailoutbox
):
    assert "there is nobody to send it to" in staff_client.get(send_url).content.decode()

    response = staff_client.post(send_url, follow=True)

    assert "nobody with an email address" in response.content.decode()
    assert mailoutbox == []


def test_only_a_finalised_update_is_sent(svrp, quarter_data, chair_client, send_url, mailoutbox):
    assert chair_client.get(send_url).status_code == 404
    assert chair_client.post(send_url).status_code == 404
    assert mailoutbox == []


def test_members_may_not_send_it(svrp, finalised, member_client, send_url, mailoutbox):
    assert member_client.get(send_url).status_code == 403
    assert member_client.post(send_url).status_code == 403
    assert mailoutbox == []
