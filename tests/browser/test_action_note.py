"""Staff send a held meeting's action note from its page, and everyone gets it with Word
and PDF copies (the live server shares this process's locmem mail outbox)."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from actions.models import ActionNoteSend
from meetings.models import Attendance
from tests.browser.helpers import assert_accessible, sign_in
from tests.factories import (
    ActionFactory,
    AttendanceFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_staff_send_the_action_note_of_a_held_meeting(page, staff_user, working_group):
    meeting = MeetingFactory(group=working_group, starts_at=timezone.now() - dt.timedelta(days=1))
    seat = MembershipFactory(
        group=working_group,
        role_title="Partnership analyst",
        person=PersonFactory(full_name="Łucja Wójcik", email="lucja@example.org"),
    )
    AttendanceFactory(
        meeting=meeting, membership=seat, person=seat.person, status=Attendance.Status.PRESENT
    )
    ActionFactory(
        group=working_group,
        meeting=meeting,
        owner=seat.person,
        title="Map the summer hotspots",
        due_date=timezone.localdate() + dt.timedelta(days=21),
    )
    ActionFactory(
        group=working_group,
        meeting=meeting,
        owner=staff_user.person,
        title="Brief the schools",
        due_date=timezone.localdate() + dt.timedelta(days=28),
    )

    sign_in(page, "staff@example.org")
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Send the action note").click()

    expect(page.locator("h1")).to_have_text("Action note")
    expect(page.get_by_role("rowheader", name="Map the summer hotspots")).to_be_visible()
    recipients = page.locator("#note-recipients")
    expect(recipients).to_contain_text("Łucja Wójcik (lucja@example.org)")
    expect(recipients).to_contain_text("Staff (staff@example.org)")
    assert_accessible(page)
    assert mail.outbox == []

    page.get_by_role("button", name="Send the action note to 2 people").click()

    expect(page.get_by_role("status")).to_contain_text("The action note was sent to 2 people.")
    expect(page.locator("#note-sends")).to_contain_text("Sent by Staff on")
    assert sorted(message.to[0] for message in mail.outbox) == [
        "lucja@example.org",
        "staff@example.org",
    ]
    message = mail.outbox[0]
    assert message.subject.startswith("Action note: Comms Working Group, ")
    assert "Map the summer hotspots" in message.body
    assert "Owner: Łucja Wójcik" in message.body
    (docx_name, docx, _), (pdf_name, pdf, _) = message.attachments
    assert docx_name.endswith(".docx") and pdf_name.endswith(".pdf")
    for text in (_docx_text(docx), _pdf_text(pdf)):
        for words in ("Map the summer hotspots", "Łucja Wójcik", "Brief the schools", "Staff"):
            assert words in text
    assert sorted(ActionNoteSend.objects.get().recipients) == [
        "lucja@example.org",
        "staff@example.org",
    ]

    page.goto(f"/meetings/{meeting.pk}/")
    expect(page.locator("#action-note")).to_contain_text("The action note was last sent on")
    expect(page.get_by_role("link", name="Send it again")).to_be_visible()
