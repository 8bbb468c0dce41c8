"""A meeting's action note: its content, its recipients, who may send it, and its sends."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from actions.action_note import note_recipients
from actions.models import Action, ActionNoteSend
from meetings.models import Attendance, KeyUpdate
from tests.factories import (
    ActionFactory,
    AttendanceFactory,
    GroupFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    london,
)

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def scene(clock, working_group, staff_user, member_user):
    """A meeting held this morning with its register saved, its actions, matters arising
    from the meeting before, and a key decision."""
    clock.move_to(london(2024, 5, 14, 15))
    today = timezone.localdate()
    meeting = MeetingFactory(
        group=working_group, starts_at=london(2024, 5, 14, 10), ends_at=london(2024, 5, 14, 11)
    )
    previous = MeetingFactory(
        group=working_group, starts_at=london(2024, 4, 16, 10), ends_at=london(2024, 4, 16, 11)
    )
    older = MeetingFactory(
        group=working_group, starts_at=london(2024, 1, 16, 10), ends_at=london(2024, 1, 16, 11)
    )
    owner = member_user.person
    AttendanceFactory(
        meeting=meeting,
        membership=owner.memberships.get(),
        person=owner,
        status=Attendance.Status.PRESENT,
    )
    held_by_deputy = MembershipFactory(
        group=working_group, person=PersonFactory(full_name="Dara Holder", email="dara@example.org")
    )
    AttendanceFactory(
        meeting=meeting,
        membership=held_by_deputy,
        person=held_by_deputy.person,
        status=Attendance.Status.DEPUTY,
        deputy_name="Dee Puty",
    )
    sorry = MembershipFactory(
        group=working_group, person=PersonFactory(full_name="Sam Sorry", email="sam@example.org")
    )
    AttendanceFactory(
        meeting=meeting, membership=sorry, person=sorry.person, status=Attendance.Status.APOLOGIES
    )
    # Attended, but has since left the group: still gets the note of a meeting they were at.
    former = MembershipFactory(
        group=working_group,
        person=PersonFactory(full_name="Fran Former", email="fran@example.org"),
        end_date=today - dt.timedelta(days=1),
    )
    AttendanceFactory(
        meeting=meeting, membership=former, person=former.person, status=Attendance.Status.PRESENT
    )
    # Holds a seat but is no longer active; and a vacant seat: neither gets the note.
    MembershipFactory(
        group=working_group,
        person=PersonFactory(full_name="Ina Active", email="ina@example.org", is_active=False),
    )
    MembershipFactory(group=working_group, person=None, role_title="Vacant officer")

    ActionFactory(
        group=working_group,
        meeting=meeting,
        owner=owner,
        agency=owner.agency,
        title="Draft the brand guidelines",
        due_date=dt.date(2024, 6, 30),
    )
    ActionFactory(group=working_group, meeting=previous, owner=owner, title="Book the venue")
    ActionFactory(
        group=working_group,
        meeting=older,
        owner=owner,
        title="Print the leaflets",
        status=Action.Status.DONE,
        completed_on=dt.date(2024, 5, 1),
    )
    ActionFactory(
        group=working_group,
        meeting=older,
        owner=owner,
        title="Closed long ago",
        status=Action.Status.DONE,
        completed_on=dt.date(2024, 2, 1),
    )
    ActionFactory(group=GroupFactory(), meeting=None, owner=owner, title="Another group's")
    KeyUpdate.objects.create(
        meeting=meeting, kind=KeyUpdate.Kind.DECISION, text="Adopt the new logo"
    )
    return meeting


def _words(response) -> str:
    """The page's text with its whitespace as one space each, as a reader sees it."""
    return " ".join(response.content.decode().split())


def _url(meeting, name="actions:note") -> str:
    return reverse(name, args=[meeting.pk])


def test_the_page_previews_attendance_actions_matters_arising_and_decisions(staff_client, scene):
    page = _words(staff_client.get(_url(scene)))

    assert "Owner" in page and "Present" in page
    assert "Dee Puty (deputy for Dara Holder)" in page
    assert "Sam Sorry" in page and "Apologies" in page
    assert "Draft the brand guidelines" in page and "30 June 2024" in page
    assert "Book the venue" in page
    assert "Print the leaflets" in page and "Done on 1 May 2024" in page
    assert "Closed long ago" not in page
    assert "Another group's" not in page
    assert "Adopt the new logo" in page
    assert "Send the action note to" in page


def test_recipients_are_those_who_attended_and_the_distribution_list_once_each(scene):
    emails = [recipient.email for recipient in note_recipients(scene)]

    assert sorted(emails) == sorted(
        [
            "owner@example.org",  # attended, and holds a seat: once
            "dara@example.org",  # a deputy came for their seat
            "sam@example.org",  # sent apologies, but holds a seat
            "fran@example.org",  # attended, seat since ended
            "staff@example.org",  # holds a seat
        ]
    )
    assert "ina@example.org" not in emails


@pytest.mark.parametrize("persona", ["owner", "other_member", "chair"])
def test_only_staff_may_see_send_or_download_it(persona_clients, persona, scene):
    client = persona_clients[persona]

    for name in ("actions:note", "actions:note_docx", "actions:note_pdf"):
        assert client.get(_url(scene, name)).status_code == 403
    assert client.post(_url(scene), {"reason": "Because"}).status_code == 403
    assert mail.outbox == []
    assert not ActionNoteSend.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, scene):
    response = client.post(_url(scene))

    assert response.status_code == 302
    assert mail.outbox == []


def test_opening_the_page_never_sends(staff_client, scene):
    assert staff_client.get(_url(scene)).status_code == 200

    assert mail.outbox == []
    assert not ActionNoteSend.objects.exists()


def test_the_downloads_answer_get_only(staff_client, scene):
    assert staff_client.post(_url(scene, "actions:note_docx")).status_code == 405
    assert staff_client.post(_url(scene, "actions:note_pdf")).status_code == 405
    assert mail.outbox == []


def _docx_text(data: bytes) -> str:
    """The words of a Word file: its paragraphs, its tables' cells and its page header."""
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    header = [p.text for p in document.sections[0].header.paragraphs]
    return "\n".join([p.text for p in document.paragraphs] + cells + header)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_sending_emails_each_recipient_the_note_as_word_and_pdf(staff_client, staff_user, scene):
    response = staff_client.post(_url(scene), follow=True)

    assert "The action note was sent to 5 people." in _words(response)
    assert sorted(email for message in mail.outbox for email in message.to) == sorted(
        r.email for r in note_recipients(scene)
    )
    message = mail.outbox[0]
    assert len(message.to) == 1
    assert message.subject == ("Action note: Comms Working Group, Tuesday 14 May 2024, 10:00")
    assert "Draft the brand guidelines" in message.body
    assert "Owner: Owner" in message.body
    html = message.alternatives[0].content
    assert "<strong>Draft the brand guidelines</strong>" in html
    names = [name for name, _, _ in message.attachments]
    assert names == [
        "action-note-comms-working-group-2024-05-14.docx",
        "action-note-comms-working-group-2024-05-14.pdf",
    ]
    (_, docx, docx_type), (_, pdf, pdf_type) = message.attachments
    assert (docx_type, pdf_type) == (DOCX, "application/pdf")
    for text in (_docx_text(docx), _pdf_text(pdf)):
        assert "Draft the brand guidelines" in text
        assert "Book the venue" in text
        assert "Owner" in text
        assert "Dee Puty (deputy for Dara Holder)" in text
        assert "Adopt the new logo" in text
        assert "OFFICIAL" in text
    sent = ActionNoteSend.objects.get()
    assert sent.meeting == scene
    assert sent.sent_by == staff_user
    assert sent.reason == ""
    assert sorted(sent.recipients) == sorted(r.email for r in note_recipients(scene))


def test_sending_it_again_needs_a_reason(staff_client, scene):
    staff_client.post(_url(scene))
    mail.outbox.clear()

    refused = staff_client.post(_url(scene), {"reason": "   "})

    assert refused.status_code == 200
    assert "Say why you are sending the action note again." in _words(refused)
    assert mail.outbox == []
    assert ActionNoteSend.objects.count() == 1

    resent = staff_client.post(_url(scene), {"reason": "The venue action had the wrong owner"})

    assert resent.status_code == 302
    assert len(mail.outbox) == 5
    assert mail.outbox[0].subject.startswith("Updated action note: ")
    assert "Why it was sent again: The venue action had the wrong owner" in mail.outbox[0].body
    latest = ActionNoteSend.objects.first()
    assert latest.reason == "The venue action had the wrong owner"
    page = _words(staff_client.get(_url(scene)))
    assert page.count("Sent by Staff on") == 2
    assert "Why it went again: The venue action had the wrong owner" in page
    assert "Send it again to 5 people" in page


def test_a_failed_send_keeps_the_reason_typed(staff_client, scene, working_group):
    staff_client.post(_url(scene))
    mail.outbox.clear()
    # Nobody left to send it to.
    Attendance.objects.filter(meeting=scene).update(person=None)
    working_group.memberships.update(person=None)

    response = staff_client.post(_url(scene), {"reason": "Corrected due date"})

    page = _words(response)
    assert "Nobody who attended or holds a seat on the group has an email address." in page
    assert "Corrected due date" in page
    assert mail.outbox == []
    assert ActionNoteSend.objects.count() == 1


def test_it_refuses_before_the_register_is_saved(staff_client, working_group, clock):
    clock.move_to(london(2024, 5, 14, 15))
    meeting = MeetingFactory(group=working_group, starts_at=london(2024, 5, 14, 10))

    page = _words(staff_client.get(_url(meeting)))
    posted = _words(staff_client.post(_url(meeting), follow=True))

    assert "The register has not been saved yet" in page
    assert "Send the action note to" not in page
    assert "The register has not been saved yet" in posted
    assert staff_client.get(_url(meeting, "actions:note_docx")).status_code == 404
    assert mail.outbox == []
    assert not ActionNoteSend.objects.exists()


def test_it_refuses_a_meeting_that_has_not_started(staff_client, working_group, staff_user):
    meeting = MeetingFactory(group=working_group, starts_at=timezone.now() + dt.timedelta(days=2))
    AttendanceFactory(
        meeting=meeting,
        membership=staff_user.person.memberships.get(),
        status=Attendance.Status.APOLOGIES,
    )

    response = staff_client.post(_url(meeting))

    assert "The meeting has not started yet" in _words(response)
    assert mail.outbox == []


def test_staff_download_the_word_and_pdf_copies(staff_client, scene):
    docx = staff_client.get(_url(scene, "actions:note_docx"))
    pdf = staff_client.get(_url(scene, "actions:note_pdf"))

    assert docx["Content-Type"] == DOCX
    assert (
        'filename="action-note-comms-working-group-2024-05-14.docx"' in docx["Content-Disposition"]
    )
    assert "Draft the brand guidelines" in _docx_text(docx.content)
    assert pdf["Content-Type"] == "application/pdf"
    assert "Draft the brand guidelines" in _pdf_text(pdf.content)
    assert mail.outbox == []


def test_the_meeting_page_offers_staff_the_note_then_says_when_it_went(
    staff_client, member_client, scene
):
    meeting_url = reverse("meetings:detail", args=[scene.pk])

    assert "Send the action note" in _words(staff_client.get(meeting_url))
    assert "Send the action note" not in _words(member_client.get(meeting_url))

    staff_client.post(_url(scene))
    page = _words(staff_client.get(meeting_url))

    assert "Send it again" in page
    assert "The action note was last sent on Tuesday 14 May 2024" in page
    assert "Send it again" not in _words(member_client.get(meeting_url))
