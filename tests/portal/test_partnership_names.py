"""Every email, document and admin page names the partnership and the portal from settings
(PARTNERSHIP_NAME, PARTNERSHIP_SHORT_NAME, PORTAL_NAME), never in code: another
partnership's deployment shows not one word of the first one's.

Emails are built outside a request as often as in one (the worker, management commands),
so these tests build them by the portal's own functions, as the jobs do.
"""

import datetime as dt
import io
import json
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from actions.action_note import send_action_note
from core.quarters import Quarter
from meetings.invitations import invitation_send
from meetings.models import Attendance
from members.gdpr import subject_access, subject_access_docx
from members.models import Group
from members.services import invitation_account, person_invite
from tests.factories import (
    ActionFactory,
    AttendanceFactory,
    GroupFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    london,
)
from tests.meetings.conftest import days_from_now
from tracker.models import TorText
from tracker.report import report_build
from tracker.report_versions import render_file
from tracker.tor_sending import tor_send_to_seat

pytestmark = pytest.mark.django_db

PORTAL = "Northshire portal"
NAME = "Northshire and Eastport Violence Reduction Partnership"
SHORT_NAME = "NEVRP"
# The first partnership's names, and the portal's default name: none may reach the second.
FIRST_PARTNERSHIP = ("VRP portal", "Hampshire", "HIPS")

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SNAPSHOTS = Path(__file__).resolve().parents[1] / "tracker" / "snapshots"
DOCUMENTS = ["docx", "pdf", "xlsx"]


@pytest.fixture
def northshire(settings):
    """The second partnership's names. settings.py derives allauth's subject prefix and the
    authenticator app's issuer from PORTAL_NAME at start-up (test_second_partnership checks
    that in a fresh interpreter), so they are set here as it would set them."""
    settings.PORTAL_NAME = PORTAL
    settings.PARTNERSHIP_NAME = NAME
    settings.PARTNERSHIP_SHORT_NAME = SHORT_NAME
    settings.ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{PORTAL}: "
    settings.MFA_TOTP_ISSUER = PORTAL
    settings.SITE_URL = "https://portal.northshire.example"


def words_of(message) -> str:
    """Everything a reader sees of an email: subject, text, HTML and any text attachment
    (a calendar file)."""
    parts = [message.subject, message.body]
    parts += [content for content, _mimetype in getattr(message, "alternatives", [])]
    parts += [
        content.decode() if isinstance(content, bytes) else content
        for _filename, content, mimetype in message.attachments
        if mimetype.startswith("text/")
    ]
    return "\n".join(parts)


def assert_names_only_the_second(message) -> None:
    words = words_of(message)
    for old in FIRST_PARTNERSHIP:
        assert old not in words, f"{old!r} in {message.subject!r}"


def html_of(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


# Emails


def test_no_email_template_names_a_partnership_in_words():
    """The templates name the portal and the partnership by `partnership.*` only."""
    folders = [
        *TEMPLATES.glob("*/email"),
        *TEMPLATES.glob("*/emails"),
        TEMPLATES / "mfa" / "recovery_codes",
    ]
    templates = [path for folder in folders for path in folder.glob("*.*")]
    assert len(templates) > 40
    named = [
        f"{path.relative_to(TEMPLATES)}: {old}"
        for path in templates
        for old in FIRST_PARTNERSHIP
        if old in path.read_text()
    ]
    assert named == []


def test_an_invitation_names_the_portal_and_the_partnership(northshire, staff_user):
    person = PersonFactory(full_name="Nia Newcomer", email="nia@example.org")
    invitation_account(person=person)

    person_invite(person=person, by=staff_user)

    [message] = mail.outbox
    assert message.subject == f"Your invitation to the {PORTAL}"
    invited = f"has invited you to the portal of the {NAME}."
    assert invited in message.body
    assert invited in html_of(message)
    assert f"<title>Your invitation to the {PORTAL}</title>" in html_of(message)
    assert_names_only_the_second(message)


def test_the_invitation_still_names_the_default_partnership(staff_user):
    person = PersonFactory(email="nia@example.org")
    invitation_account(person=person)

    person_invite(person=person, by=staff_user)

    [message] = mail.outbox
    assert message.subject == "Your invitation to the VRP portal"
    assert (
        "the portal of the Hampshire, Isle of Wight, Portsmouth and Southampton Violence "
        "Reduction Partnership. There" in message.body
    )


def remind(today: dt.date) -> None:
    call_command("send_action_reminders", "--today", today.isoformat(), stdout=StringIO())


def test_action_reminders_name_the_portal(northshire):
    due = dt.date(2025, 3, 14)  # a Friday
    owner = PersonFactory(full_name="Olu Owner", email="olu@example.org")
    ActionFactory(owner=owner, title="Share the toolkit", due_date=due)
    ActionFactory(owner=owner, title="Map partners", due_date=due - dt.timedelta(days=20))

    # Each day also brings its week's digest: Map partners is overdue throughout.
    remind(due - dt.timedelta(days=7))
    remind(due)
    remind(due + dt.timedelta(days=3))  # Monday: Share the toolkit is overdue too

    subjects = [message.subject for message in mail.outbox]
    assert subjects == [
        "Action due in 7 days: Share the toolkit",
        f"You have 1 overdue action in the {PORTAL}",
        "Action due today: Share the toolkit",
        f"You have 1 overdue action in the {PORTAL}",
        f"You have 2 overdue actions in the {PORTAL}",
    ]
    due_soon, _, due_today, _, _ = mail.outbox
    for message in (due_soon, due_today):
        assert f"because you own actions in the {PORTAL}." in message.body
        assert f"because you own actions in the {PORTAL}." in html_of(message)
    for message in mail.outbox:
        assert_names_only_the_second(message)


def test_a_meeting_invitation_names_the_portal(northshire, working_group, member_user, staff_user):
    meeting = MeetingFactory(group=working_group, starts_at=days_from_now(14))

    invitation_send(meeting=meeting, agenda="", by=staff_user)

    [message] = [message for message in mail.outbox if message.to == [member_user.email]]
    assert f"The meeting's page in the {PORTAL}</a>" in html_of(message)
    assert f"PRODID:-//{SHORT_NAME}//{PORTAL}//EN" in words_of(message)
    assert_names_only_the_second(message)


def test_an_action_note_names_the_portal(northshire, working_group, member_user, staff_user):
    meeting = MeetingFactory(group=working_group, starts_at=days_from_now(-1))
    person = member_user.person
    AttendanceFactory(
        meeting=meeting,
        membership=person.memberships.get(),
        person=person,
        status=Attendance.Status.PRESENT,
    )

    send_action_note(meeting=meeting, by=staff_user)

    [message] = [message for message in mail.outbox if message.to == [member_user.email]]
    assert f"The meeting in the {PORTAL}: https://portal.northshire.example/" in message.body
    assert f"The meeting in the {PORTAL}</a>" in html_of(message)
    assert_names_only_the_second(message)


def test_the_terms_of_reference_email_names_the_portal(northshire, working_group, staff_user):
    working_group.tor_version = "V2"
    working_group.tor_published = dt.date(2023, 11, 1)
    working_group.save()
    TorText.objects.create(group=working_group, introduction="The introduction as sent.")
    seat = MembershipFactory(
        group=working_group, person=PersonFactory(full_name="Tam Seat", email="tam@example.org")
    )

    tor_send_to_seat(seat=seat, by=staff_user)

    [message] = mail.outbox
    assert f"You can also read it in the {PORTAL}:\nhttps://portal.northshire.example/" in (
        message.body
    )
    assert f"Read it in the {PORTAL}</a>" in html_of(message)
    assert_names_only_the_second(message)


def test_a_password_reset_names_the_portal_and_the_partnership(northshire, member_user):
    response = Client().post(reverse("account_reset_password"), {"email": member_user.email})

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject.startswith(f"{PORTAL}: ")
    assert f"reset the password of your {PORTAL} account." in message.body
    assert message.body.rstrip().endswith(f"Violence Reduction Unit\n{NAME}")
    assert "https://portal.northshire.example/accounts/password/reset/key/" in message.body
    assert_names_only_the_second(message)


def test_a_password_reset_still_names_the_default_partnership(member_user):
    Client().post(reverse("account_reset_password"), {"email": member_user.email})

    [message] = mail.outbox
    assert message.subject.startswith("VRP portal: ")
    assert "reset the password of your VRP portal account." in message.body
    assert message.body.rstrip().endswith(
        "Violence Reduction Unit\nHampshire, Isle of Wight, Portsmouth and Southampton "
        "Violence Reduction Partnership"
    )


def test_the_downloaded_recovery_codes_name_the_portal(northshire):
    user = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    RecoveryCodes.activate(user)
    client = Client()
    client.force_login(user)

    response = client.get(reverse("mfa_download_recovery_codes"))

    assert response.status_code == 200
    assert response.content.decode().startswith(f"{PORTAL} recovery codes\n")


# Documents


def stored_update(version: int) -> dict:
    """A finalised update of `version` as the snapshot tests keep it. Version 1 names no
    author; a later one is made without one (no chair seat was filled): the documents then
    name the portal that made them."""
    report = json.loads((SNAPSHOTS / f"v{version}" / "report.json").read_text())
    if "document" in report:
        report["document"]["author"] = ""
    return report


def authors(data: dict[str, bytes]) -> dict[str, str]:
    """The author each document's metadata gives, read as Word, Acrobat and Excel read it."""
    return {
        "docx": Document(io.BytesIO(data["docx"])).core_properties.author,
        "pdf": PdfReader(io.BytesIO(data["pdf"])).metadata.author,
        "xlsx": openpyxl.load_workbook(io.BytesIO(data["xlsx"])).properties.creator,
    }


@pytest.mark.parametrize("version", [1, 2])
def test_a_quarterly_update_without_an_author_is_authored_by_the_portal(northshire, version):
    report = stored_update(version)

    files = {extension: render_file(report, extension) for extension in DOCUMENTS}

    assert authors(files) == {"docx": PORTAL, "pdf": PORTAL, "xlsx": PORTAL}


def test_the_update_pdf_is_made_by_the_portal(northshire):
    pdf = render_file(stored_update(2), "pdf")

    assert PdfReader(io.BytesIO(pdf)).metadata.creator == PORTAL


def test_a_quarterly_update_is_still_authored_by_the_default_portal():
    files = {extension: render_file(stored_update(2), extension) for extension in DOCUMENTS}

    assert authors(files) == {"docx": "VRP portal", "pdf": "VRP portal", "xlsx": "VRP portal"}


def test_a_subject_access_export_names_the_portal(northshire, member_user, staff_user):
    data = subject_access(member_user.person, by=staff_user)

    document = Document(io.BytesIO(subject_access_docx(data)))

    assert document.core_properties.author == PORTAL
    words = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert f"Everything the {PORTAL} holds about this person" in words
    assert "VRP portal" not in words


# The quarterly update's distribution


QUARTER = Quarter(2024, 1)


def distribution_of(group: Group) -> list[str]:
    report = report_build(
        group=group, quarter=QUARTER, today=dt.date(2024, 7, 15), now=london(2024, 7, 15, 9)
    )
    return report["document"]["distribution"]


def test_an_update_goes_to_the_board_its_group_sits_under():
    board = GroupFactory(
        name="Northshire and Eastport Partnership Board",
        short_name="NE Board",
        kind=Group.Kind.SVRP,
    )
    working = GroupFactory(name="Youth Engagement Working Group", parent=board)
    task = GroupFactory(name="Summer Outreach", kind=Group.Kind.TASK_AND_FINISH, parent=working)

    assert distribution_of(working) == [
        "Northshire and Eastport Partnership Board (NE Board)",
        "Youth Engagement Working Group: its distribution list",
    ]
    assert distribution_of(task)[0] == "Northshire and Eastport Partnership Board (NE Board)"
    assert distribution_of(board)[0] == "Northshire and Eastport Partnership Board (NE Board)"


def test_a_board_without_a_short_name_is_named_in_full():
    board = GroupFactory(name="Northshire Partnership Board", kind=Group.Kind.SVRP)
    working = GroupFactory(parent=board)

    assert distribution_of(working)[0] == "Northshire Partnership Board"


def test_an_update_of_a_group_under_no_board_goes_to_the_svrp_as_before(working_group):
    assert distribution_of(working_group)[0] == "Strategic Violence Reduction Partnership (SVRP)"


def test_the_communications_working_groups_update_goes_where_it_always_has():
    call_command("load_tor", stdout=StringIO())
    group = Group.objects.get(name="Communications Working Group")

    assert distribution_of(group) == [
        "Strategic Violence Reduction Partnership (SVRP)",
        "Communications Working Group: its distribution list",
    ]


# The admin


def test_the_admin_names_the_portal(northshire):
    client = Client()
    client.force_login(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))

    content = client.get("/admin/").content.decode()

    assert f"{PORTAL} administration" in content
    assert f"| {PORTAL} admin</title>" in content
    assert "VRP portal" not in content


def test_the_admin_names_the_default_portal():
    client = Client()
    client.force_login(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))

    content = client.get("/admin/").content.decode()

    assert "VRP portal administration" in content
