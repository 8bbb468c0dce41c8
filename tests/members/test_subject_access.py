"""A person's subject access export (UK GDPR Article 15): everything held about them,
as JSON and as a Word document, for VRU staff only, private and logged by user id."""

import io
import json

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.test import Client
from docx import Document

from actions.models import ReminderSent
from meetings.models import Attendance
from members import gdpr
from members.models import Person
from tests.access import CLIENT_FIXTURES, STAFF, assert_access
from tests.factories import (
    TOTP_SECRET,
    ActionFactory,
    ActionUpdateFactory,
    KeyUpdateFactory,
    MeetingFactory,
    PersonFactory,
    give_second_factor,
    london,
)

pytestmark = pytest.mark.django_db

NOW = london(2024, 9, 10, 12)


def url(person, extension="json"):
    return f"/members/people/{person.pk}.{extension}"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def held(member_user, staff_user, working_group):
    """Something of every kind the portal holds about the owner."""
    person = member_user.person
    member_user.last_login = london(2024, 9, 1, 9)
    member_user.save(update_fields=["last_login"])
    give_second_factor(member_user)
    UserSession.objects.create(
        user=member_user,
        session_key="secret-session-key-of-the-owner",
        ip="192.0.2.7",
        user_agent="Firefox on the owner's laptop",
    )
    meeting = MeetingFactory(
        group=working_group, starts_at=london(2024, 6, 4), ends_at=london(2024, 6, 4, 12)
    )
    Attendance.objects.create(
        meeting=meeting,
        membership=person.memberships.get(),
        person=person,
        status=Attendance.Status.APOLOGIES,
    )
    action = ActionFactory(group=working_group, owner=person, title="Draft the winter campaign")
    ActionUpdateFactory(action=action, author=member_user, text="Designer booked for October")
    KeyUpdateFactory(meeting=meeting, created_by=member_user, text="Campaign agreed by partners")
    ReminderSent.objects.create(
        person=person, action=action, kind=ReminderSent.Kind.DUE_IN_7_DAYS, for_date=NOW.date()
    )
    # A staff edit, with its author recorded in the history.
    person.job_title = "Head of Communications"
    person.save()
    # An action they created for someone else: a record naming them in another way.
    ActionFactory(group=working_group, created_by=member_user, title="Ask the council for data")
    return person


def test_staff_export_everything_held_about_a_person_as_json(staff_client, held, member_user):
    response = staff_client.get(url(held))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="subject-access-person-{held.pk}.json"'
    )
    data = json.loads(response.content)
    assert data["person"] == {
        "id": held.pk,
        "full_name": "Owner",
        "email": "owner@example.org",
        "job_title": "Head of Communications",
        "agency": held.agency.name,
        "active": True,
        "no_reminder_emails": False,
        "anonymised": False,
    }
    account = data["account"]
    assert account["email"] == "owner@example.org"
    assert account["roles"] == ["Member"]
    assert account["last_sign_in"] == "2024-09-01T09:00:00+01:00"
    assert account["password_set"] is True
    assert [factor["type"] for factor in data["second_factors"]] == ["TOTP Authenticator"]
    assert data["email_addresses"] == [
        {"email": "owner@example.org", "confirmed": True, "primary": True}
    ]
    assert data["sessions"][0]["address"] == "192.0.2.7"
    [seat] = data["seats"]
    assert seat["group"] == "Communications Working Group"
    assert seat["position"] == "Member"
    [attended] = data["attendance"]
    assert attended["status"] == "Apologies"
    assert attended["meeting"].endswith("Tuesday 4 June 2024")
    [owned] = data["actions_owned"]
    assert (owned["title"], owned["status"]) == ("Draft the winter campaign", "Open")
    [written] = data["action_updates_written"]
    assert written["text"] == "Designer booked for October"
    [key_update] = data["key_updates_written"]
    assert key_update["text"] == "Campaign agreed by partners"
    [reminder] = data["reminders_sent"]
    assert reminder["kind"] == "Due in 7 days"
    assert data["history"][0]["fields"] == [
        "Job title: Communications Lead → Head of Communications"
    ]
    assert any(event["kind"] == "Role changed" for event in data["account_events"])
    [created] = data["other_records"]  # roles are shown with the account, not here
    assert (created["record"], created["as"]) == ("action", "created by")
    assert created["description"] == "Ask the council for data"
    assert data["export"]["made_by"] == "Staff"


def test_the_export_holds_no_secret(staff_client, held, member_user):
    text = staff_client.get(url(held)).content.decode()

    held.refresh_from_db()
    assert held.calendar_token not in text
    assert "calendar_token" not in text
    assert member_user.password not in text
    assert TOTP_SECRET not in text
    assert "secret-session-key-of-the-owner" not in text


def test_the_word_document_holds_the_same(staff_client, held):
    response = staff_client.get(url(held, "docx"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for title in (
        "Person",
        "Sign-in account",
        "Second factors (by type only)",
        "Seats",
        "Attendance",
        "Actions owned",
        "Action updates written",
        "Key updates and decisions recorded",
        "Reminder emails sent",
        "History of the person's record",
        "Account record",
        "Other records naming them",
    ):
        assert title in headings
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"owner@example.org", "Draft the winter campaign", "Apologies"} <= cells
    assert "Tuesday 4 June 2024" in " ".join(cells)
    held.refresh_from_db()
    assert not any(held.calendar_token in cell for cell in cells)


@pytest.mark.parametrize("extension", ["json", "docx"])
@pytest.mark.parametrize("persona", list(CLIENT_FIXTURES))
def test_only_vru_staff_may_export(request, persona, extension, member_user):
    """The person themselves included: a subject access request goes through VRU staff."""
    client = request.getfixturevalue(CLIENT_FIXTURES[persona])
    request.getfixturevalue("staff_user")

    response = client.get(url(member_user.person, extension))

    assert_access(
        response,
        persona=persona,
        allowed=STAFF,
        status=200,
        method="get",
        before=None,
        state=lambda: None,
    )


def test_an_unknown_person_is_not_found(staff_client):
    assert staff_client.get("/members/people/999999.json").status_code == 404


def test_it_rejects_post(staff_client, member_user):
    assert staff_client.post(url(member_user.person)).status_code == 405


def test_the_export_is_private_and_logged_by_user_id(staff_client, staff_user, held, events):
    response = staff_client.get(url(held, "docx"))

    assert response["Cache-Control"] == "private, no-store"
    [line] = [line for line in events() if line["event"] == "subject_access_export"]
    assert (line["user_id"], line["person_id"], line["format"]) == (staff_user.pk, held.pk, "docx")
    assert "owner@example.org" not in json.dumps(line) and "Owner" not in json.dumps(line)


def test_a_person_without_an_account(staff_client):
    person = PersonFactory(full_name="Nadia Noaccount", email="nadia@example.org")

    data = json.loads(staff_client.get(url(person)).content)

    assert data["person"]["email"] == "nadia@example.org"
    assert data["account"] is None
    assert data["second_factors"] == data["account_events"] == data["actions_owned"] == []
    document = Document(io.BytesIO(staff_client.get(url(person, "docx")).content))
    assert "No sign-in account." in [p.text for p in document.paragraphs]


def test_every_record_pointing_at_a_person_or_account_is_exported(django_user_model):
    """A relation added later is exported too: as a section, or among the other records."""
    sections = {(label, field) for _key, _title, label, field, _shown in gdpr.SECTIONS}
    relations = {*gdpr.relations_to(Person), *gdpr.relations_to(django_user_model)}

    assert sections <= relations  # every section names a real relation
    assert ("actions.Action", "created_by") in relations - sections - gdpr.SHOWN_ELSEWHERE


def test_a_staff_member_sees_the_links_on_the_persons_page(staff_client, member_client, held):
    page = staff_client.get(f"/members/people/{held.pk}/").content.decode()
    assert f'href="/members/people/{held.pk}.json"' in page
    assert f'href="/members/people/{held.pk}.docx"' in page

    page = member_client.get(f"/members/people/{held.pk}/").content.decode()
    assert f"/members/people/{held.pk}.json" not in page


def test_second_factors_are_named_by_type_only(staff_client, held):
    data = json.loads(staff_client.get(url(held)).content)

    assert set(data["second_factors"][0]) == {"type", "added", "last_used"}


def test_it_is_usable_by_a_staff_member_who_is_also_the_subject(staff_user):
    client = Client()
    client.force_login(staff_user)

    data = json.loads(client.get(url(staff_user.person)).content)

    assert data["account"]["roles"] == ["VRU staff"]
