"""The audit trail: every model keeps its history, the user who made each change is
recorded, and VRU staff see who changed what and when on each object's page."""

import datetime as dt
import re

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.history import SYSTEM, history_entries
from core.quarters import Quarter
from meetings.models import Attendance
from members import gdpr
from members.models import Person
from tests.factories import (
    ActionFactory,
    ActionUpdateFactory,
    AttendanceFactory,
    KeyUpdateFactory,
    MeetingFactory,
    MembershipFactory,
    PerformanceMeasureFactory,
    ToCActivityFactory,
    london,
)
from tracker.report import report_finalise

pytestmark = pytest.mark.django_db

PORTAL_APPS = ("members", "meetings", "actions", "tracker")
MODELS = [
    model
    for app in PORTAL_APPS
    for model in apps.get_app_config(app).get_models()
    if not hasattr(model, "instance_type")  # a historical model itself
]
SECTION = re.compile(r'<section aria-labelledby="history-heading".*?</section>', re.S)


def history_section(response) -> str:
    found = SECTION.search(response.content.decode())
    return found.group() if found else ""


@pytest.mark.parametrize("model", MODELS, ids=[model.__name__ for model in MODELS])
def test_every_model_of_the_portals_apps_keeps_its_history(model):
    assert hasattr(model, "history"), f"{model.__name__} needs history = HistoricalRecords()"


def test_the_history_never_holds_a_calendar_token():
    fields = {field.name for field in Person.history.model._meta.fields}

    assert "full_name" in fields
    assert "calendar_token" not in fields


def _edit_job_title(client, person, job_title):
    return client.post(
        f"/members/people/{person.pk}/edit/",
        {
            "full_name": person.full_name,
            "email": person.email,
            "job_title": job_title,
            "agency": person.agency_id,
            "role": "Member",
            "version": Person.objects.values_list("version", flat=True).get(pk=person.pk),
        },
    )


def test_a_change_made_in_a_page_records_who_made_it(staff_client, staff_user, member_user):
    person = member_user.person

    _edit_job_title(staff_client, person, "Head of Communications")

    latest = Person.history.filter(id=person.pk).latest()
    assert (latest.job_title, latest.history_user) == ("Head of Communications", staff_user)


def test_staff_see_who_changed_what_and_when_by_name(staff_client, member_user):
    person = member_user.person
    with time_machine.travel(london(2024, 3, 5, 10), tick=False):
        _edit_job_title(staff_client, person, "Head of Communications")

    section = history_section(staff_client.get(f"/members/people/{person.pk}/"))

    assert "<h2" in section and ">History</h2>" in section
    assert "Tuesday 5 March 2024, 10:00" in section
    assert "<td>Staff</td>" in section
    assert "Job title: Communications Lead" in section and "Head of Communications" in section
    assert "staff@example.org" not in section  # people are named, never by their email


@pytest.mark.parametrize("persona", ["member_client", "other_member_client", "chair_client"])
def test_nobody_but_vru_staff_sees_it(request, persona, member_user):
    client = request.getfixturevalue(persona)

    response = client.get(f"/members/people/{member_user.person.pk}/")

    assert response.status_code == 200
    assert 'id="history-heading"' not in response.content.decode()


@pytest.fixture
def pages(working_group, member_user):
    """Each object's page, with one change recorded on it."""
    meeting = MeetingFactory(group=working_group)
    action = ActionFactory(group=working_group, owner=member_user.person)
    measure = PerformanceMeasureFactory(group=working_group)
    activity = ToCActivityFactory(group=working_group)
    meeting.location = "Fire headquarters"
    meeting.save()
    action.title = "Draft the campaign plan"
    action.save()
    measure.title = "Reach of the campaign"
    measure.save()
    activity.title = "Publish the toolkit"
    activity.save()
    working_group.mission = "Tell the story of the partnership"
    working_group.save()
    person = member_user.person
    person.job_title = "Head of Communications"
    person.save()
    return {
        f"/meetings/{meeting.pk}/": "Location: (empty) → Fire headquarters",
        f"/actions/{action.pk}/": "Title: Action",
        f"/tracker/measures/{measure.pk}/": "Title: Measure",
        f"/tracker/?group={working_group.pk}": "Title: Activity",
        f"/meetings/groups/{working_group.pk}/": "Mission: (empty) → Tell the story",
        f"/members/people/{person.pk}/": "Job title: Communications Lead → Head",
    }


def test_each_objects_page_shows_its_history_to_staff(staff_client, pages):
    for url, change in pages.items():
        section = history_section(staff_client.get(url))
        assert change in section.replace('<span aria-hidden="true">→</span>', "→").replace(
            '<span class="visually-hidden">changed to</span>', ""
        ), url
        assert SYSTEM in section, url  # these changes were made with nobody signed in


def test_a_finalised_updates_page_shows_its_history(staff_client, chair_user, working_group):
    with time_machine.travel(london(2024, 7, 2), tick=False):
        report_finalise(group=working_group, quarter=Quarter(2024, 1), by=chair_user)

    with time_machine.travel(london(2024, 7, 3), tick=False):
        response = staff_client.get("/reports/quarterly/2024-25/q1/")

    section = history_section(response)
    assert "History of the finalised update" in section
    assert "<td>Chair</td>" not in section  # created by the service, outside a request
    assert "Created" in section


def test_a_childs_changes_name_the_child(staff_client, working_group, member_user):
    meeting = MeetingFactory(group=working_group, starts_at=london(2024, 6, 4))
    seat = member_user.person.memberships.get()
    attendance = AttendanceFactory(meeting=meeting, membership=seat, person=member_user.person)
    attendance.status = Attendance.Status.APOLOGIES
    attendance.save()
    KeyUpdateFactory(meeting=meeting, text="Toolkit agreed")

    section = history_section(staff_client.get(f"/meetings/{meeting.pk}/"))

    assert f"Attendance: {seat.role_title} at" in section
    assert "Status: Present" in section and "Apologies" in section
    assert "<td>Key update: Toolkit agreed</td>" in section


def test_an_actions_updates_are_in_its_history(staff_client, working_group, member_user):
    action = ActionFactory(group=working_group, owner=member_user.person, title="Book a venue")
    ActionUpdateFactory(action=action, text="Venue booked")

    section = history_section(staff_client.get(f"/actions/{action.pk}/"))

    assert "Action update: Update on Book a venue" in section


def test_a_seat_change_is_in_the_groups_history(staff_client, working_group):
    seat = MembershipFactory(group=working_group, role_title="Youth Justice lead")
    seat.end_date = dt.date(2024, 3, 31)
    seat.save()

    section = history_section(staff_client.get(f"/meetings/groups/{working_group.pk}/"))

    assert "Membership: Youth Justice lead" in section
    assert "End date: (empty)" in section and "31 March 2024" in section


def test_only_the_latest_changes_are_shown(staff_client, member_user):
    person = member_user.person
    for number in range(25):
        person.job_title = f"Title {number}"
        person.save()

    section = history_section(staff_client.get(f"/members/people/{person.pk}/"))

    assert "The latest 20 of 26 recorded changes, newest first." in section
    assert "Title 24" in section
    assert re.search(r"Title 3\b", section) is None


def test_a_save_that_changed_nothing_a_person_edits_is_left_out(member_user):
    person = member_user.person
    person.save()  # the version moves on, nothing else
    person.reset_calendar_token()

    entries, total = history_entries(person)

    assert [entry.kind for entry in entries] == ["Created"]
    assert total == 1


def test_it_costs_the_same_queries_whatever_the_history_holds(working_group):
    def count(meeting) -> int:
        with CaptureQueriesContext(connection) as queries:
            history_entries(meeting, meeting.attendances, meeting.key_updates)
        return len(queries)

    small = MeetingFactory(group=working_group)
    AttendanceFactory(meeting=small)
    KeyUpdateFactory(meeting=small)
    large = MeetingFactory(group=working_group)
    for _ in range(8):
        attendance = AttendanceFactory(meeting=large)
        attendance.status = Attendance.Status.ABSENT
        attendance.save()
        KeyUpdateFactory(meeting=large)

    assert count(large) == count(small)


def test_a_person_who_made_a_change_and_was_then_anonymised_is_named_by_their_pseudonym(
    staff_client, member_user, working_group
):
    action = ActionFactory(group=working_group, owner=member_user.person)
    member_user.person.memberships.update(end_date=dt.date(2020, 1, 1), start_date=None)
    action.status = "cancelled"
    action.cancelled_reason = "No longer needed"
    action.save()
    action.history.update(history_user=member_user)
    action.owner = ActionFactory(group=working_group).owner
    action.save()
    gdpr.person_anonymise(person=member_user.person, by=None)

    section = history_section(staff_client.get(f"/actions/{action.pk}/"))

    assert f"Former member {member_user.person.pk}" in section
    assert "Owner</td>" not in section
