"""Anonymising a person who has left: nothing names them any more, and every figure
(in finalised quarterly updates too) stays exactly as it was."""

import datetime as dt
import json
import logging

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.db import connection, models
from django.db.models.functions import Cast
from django.test import Client

from actions.models import Action, ActionUpdate
from core.logformat import JsonFormatter
from core.models import AccountEvent
from core.permissions import CHAIR, MEMBER, VRU_STAFF
from core.quarters import Quarter
from meetings.models import Attendance
from members.models import Membership, Person
from tests.access import CLIENT_FIXTURES, STAFF, assert_access
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    give_second_factor,
    london,
)
from tracker.models import QuarterlyReport
from tracker.report import report_build, report_finalise

pytestmark = pytest.mark.django_db

NOW = london(2024, 9, 10, 12)
Q1 = Quarter(2024, 1)
NAME, EMAIL = "Olwen Ashdown", "olwen.ashdown@example.org"
TRACES = ("ashdown", "olwen")  # neither may be found anywhere once she is anonymised


def url(person) -> str:
    return f"/members/people/{person.pk}/anonymise/"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def events(caplog):
    caplog.set_level(logging.INFO, logger="vrp.security")
    security = logging.getLogger("vrp.security")
    security.addHandler(caplog.handler)
    formatter = JsonFormatter()
    yield lambda: [
        json.loads(formatter.format(record))
        for record in caplog.records
        if record.name == "vrp.security"
    ]
    security.removeHandler(caplog.handler)


@pytest.fixture
def leaver(working_group, staff_user, chair_user, other_member_user):
    """Olwen left in the summer: her seat ended, her actions done; she attended and wrote
    updates in Q1, which the chair has finalised."""
    user = UserFactory(email="olwen@old-agency.example.org", roles=[MEMBER])
    person = PersonFactory(
        full_name=NAME, email="olwen@old-agency.example.org", job_title="Comms Lead", user=user
    )
    # Her job title and email changed while she was here: her history holds both.
    person.job_title = "Head of Comms"
    person.save()
    person.email = EMAIL
    person.save()
    user.email = EMAIL
    user.first_name, user.last_name = "Olwen", "Ashdown"
    user.save()  # the account record now says "olwen@old-agency… → olwen.ashdown@…"
    give_second_factor(user)
    SocialAccount.objects.create(
        user=user, provider="microsoft", uid="entra-olwen", extra_data={"name": NAME}
    )
    UserSession.objects.create(
        user=user, session_key="olwen-session", ip="192.0.2.9", user_agent="Edge"
    )
    seat = MembershipFactory(
        group=working_group,
        agency=person.agency,
        person=person,
        role_title="Communications Lead, Southern Region",
        start_date=dt.date(2023, 4, 1),
    )
    other_seat = other_member_user.person.memberships.get()
    for day in (dt.date(2024, 4, 16), dt.date(2024, 6, 18)):
        meeting = MeetingFactory(
            group=working_group,
            starts_at=london(day.year, day.month, day.day),
            ends_at=london(day.year, day.month, day.day, 12),
            status="held",
        )
        Attendance.objects.create(meeting=meeting, membership=seat, person=person, status="present")
        Attendance.objects.create(
            meeting=meeting,
            membership=other_seat,
            person=other_seat.person,
            status="deputy",
            deputy_name="Dee Puty",
        )
    with time_machine.travel(london(2024, 4, 20), tick=False):
        done = Action.objects.create(
            group=working_group,
            title="Share the campaign toolkit",
            owner=person,
            agency=person.agency,
            due_date=dt.date(2024, 5, 1),
        )
        overdue = Action.objects.create(
            group=working_group,
            title="Brief the council",
            owner=other_member_user.person,
            agency=other_member_user.person.agency,
            due_date=dt.date(2024, 5, 1),
        )
    ActionUpdate.objects.create(
        action=done, author=user, author_name=NAME, text="Toolkit shared", new_status="done"
    )
    Action.objects.filter(pk=done.pk).update(status="done", completed_on=dt.date(2024, 6, 1))
    ActionUpdate.objects.create(action=overdue, author=user, author_name=NAME, text="Chased")
    with time_machine.travel(london(2024, 7, 2), tick=False):
        report_finalise(group=working_group, quarter=Q1, by=chair_user)
    Membership.objects.filter(pk=seat.pk).update(end_date=dt.date(2024, 7, 31))
    return Person.objects.get(pk=person.pk)


def _figures(group, staff_client) -> dict:
    """Every figure of the update and every finalised snapshot, byte for byte."""
    table = QuarterlyReport._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, CAST(content AS TEXT) FROM {table} ORDER BY id")  # noqa: S608
        stored = cursor.fetchall()
    return {
        "live": report_build(group=group, quarter=Q1, now=NOW),
        "next quarter": report_build(group=group, quarter=Quarter(2024, 2), now=NOW),
        "stored": stored,
        "downloads": [
            staff_client.get(f"/reports/quarterly/2024-25/q1/report.{extension}").content
            for extension in ("json", "csv")
        ],
        "attendance": list(Attendance.objects.order_by("pk").values()),
        "actions": list(Action.objects.order_by("pk").values()),
        "seats": list(Membership.objects.order_by("pk").values()),
    }


def _traces() -> list[str]:
    """Every text in the database (any app's table) that still names Olwen."""
    found = []
    for model in apps.get_models():
        texts = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        for field in texts:
            rows = model._base_manager.annotate(_text=Cast(field.name, models.TextField()))
            for trace in TRACES:
                for value in rows.filter(_text__icontains=trace).values_list("_text", flat=True):
                    found.append(f"{model._meta.label}.{field.name}: {value[:80]}")
    return found


def test_every_figure_and_every_finalised_update_stays_exactly_as_it_was(
    staff_client, leaver, working_group
):
    before = _figures(working_group, staff_client)
    assert before["stored"] and before["live"]["attendance_totals"]["present"] == 2

    response = staff_client.post(url(leaver))

    assert response.status_code == 302
    after = _figures(working_group, staff_client)
    assert after == before


def test_nothing_names_them_any_more(staff_client, leaver, staff_user, events):
    user = leaver.user
    old_token = leaver.calendar_token
    assert _traces()  # the test can see her before

    response = staff_client.post(url(leaver), follow=True)

    assert _traces() == []
    leaver.refresh_from_db()
    user.refresh_from_db()
    assert (leaver.full_name, leaver.email, leaver.job_title, leaver.is_active) == (
        f"Former member {leaver.pk}",
        f"former-{leaver.pk}@invalid.example",
        "",
        False,
    )
    assert leaver.calendar_token != old_token
    assert (user.email, user.get_full_name(), user.is_active) == (leaver.email, "", False)
    assert not user.has_usable_password()
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [
        leaver.email
    ]
    assert not Authenticator.objects.filter(user=user).exists()
    assert not SocialAccount.objects.filter(user=user).exists()
    assert not UserSession.objects.filter(user=user).exists()
    # Her history, the updates she wrote and her account record carry the new name.
    assert {row.full_name for row in Person.history.filter(id=leaver.pk)} == {leaver.full_name}
    assert set(ActionUpdate.objects.values_list("author_name", flat=True)) == {leaver.full_name}
    assert set(ActionUpdate.history.values_list("author_name", flat=True)) == {leaver.full_name}
    anonymised = AccountEvent.objects.get(subject=user, kind=AccountEvent.Kind.ANONYMISED)
    assert anonymised.actor == staff_user
    [line] = [line for line in events() if line["event"] == "person_anonymised"]
    assert (line["user_id"], line["person_id"]) == (staff_user.pk, leaver.pk)
    message = f"Olwen Ashdown is anonymised: the portal now calls them “Former member {leaver.pk}”"
    assert message in response.content.decode()


def test_a_person_without_an_account_is_anonymised_too(staff_client):
    person = PersonFactory(full_name=NAME, email=EMAIL)

    staff_client.post(url(person))

    person.refresh_from_db()
    assert person.full_name == f"Former member {person.pk}"
    assert _traces() == []


def test_staff_are_asked_to_confirm_first(staff_client, leaver):
    response = staff_client.get(url(leaver))

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Anonymise Olwen Ashdown</h1>" in page
    assert f"former-{leaver.pk}@invalid.example" in page
    assert 'method="post"' in page
    leaver.refresh_from_db()
    assert leaver.full_name == NAME


def test_it_rejects_other_methods(staff_client, leaver):
    assert staff_client.put(url(leaver)).status_code == 405


@pytest.mark.parametrize("persona", list(CLIENT_FIXTURES))
def test_only_vru_staff_may_anonymise(request, persona, leaver):
    client = request.getfixturevalue(CLIENT_FIXTURES[persona])

    response = client.post(url(leaver))

    assert_access(
        response,
        persona=persona,
        allowed=STAFF,
        status=302,
        method="post",
        before=NAME,
        state=lambda: Person.objects.get(pk=leaver.pk).full_name,
    )


@pytest.mark.parametrize("role", [VRU_STAFF, CHAIR])
def test_staff_cannot_anonymise_staff_or_the_chair_but_a_superuser_can(staff_client, role):
    user = UserFactory(email="left@example.org", roles=[role])
    person = PersonFactory(full_name=NAME, email="left@example.org", user=user)

    assert staff_client.get(url(person)).status_code == 403
    assert staff_client.post(url(person)).status_code == 403
    person.refresh_from_db()
    assert person.full_name == NAME

    root = Client()
    root.force_login(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))
    assert root.post(url(person)).status_code == 302
    person.refresh_from_db()
    assert person.full_name == f"Former member {person.pk}"


def test_an_administrators_account_is_a_superusers_to_anonymise(staff_client):
    user = UserFactory(email="admin.left@example.org", is_staff=True)
    person = PersonFactory(full_name=NAME, email="admin.left@example.org", user=user)

    assert staff_client.post(url(person)).status_code == 403


def test_someone_who_still_holds_a_seat_or_owes_an_action_is_not_anonymised(
    staff_client, member_user, working_group
):
    person = member_user.person
    Action.objects.create(
        group=working_group,
        title="Still to do",
        owner=person,
        agency=person.agency,
        due_date=NOW.date(),
    )

    page = staff_client.get(url(person)).content.decode()
    response = staff_client.post(url(person), follow=True)

    for text in (page, response.content.decode()):
        assert "Owner still holds 1 seat: end each seat" in text
        assert "Owner still owns 1 outstanding action" in text
    assert "Anonymise Owner</button>" not in page
    person.refresh_from_db()
    assert person.full_name == "Owner"


def test_anonymising_twice_changes_nothing_more(staff_client, leaver):
    staff_client.post(url(leaver))
    leaver.refresh_from_db()
    events_before = AccountEvent.objects.count()

    response = staff_client.post(url(leaver), follow=True)

    assert f"Former member {leaver.pk} is anonymised already." in response.content.decode()
    assert AccountEvent.objects.count() == events_before


def test_an_anonymised_person_cannot_be_reactivated(staff_client, leaver):
    staff_client.post(url(leaver))

    response = staff_client.post(f"/members/people/{leaver.pk}/reactivate/", follow=True)

    leaver.refresh_from_db()
    assert leaver.is_active is False
    assert "is anonymised and cannot be reactivated" in response.content.decode()
    assert "Reactivate" not in response.content.decode().split("<h1>")[1]


def test_the_persons_page_offers_it_once_they_are_deactivated(staff_client, leaver):
    person_url = f"/members/people/{leaver.pk}/"
    link = f'href="{url(leaver)}"'
    assert link not in staff_client.get(person_url).content.decode()

    staff_client.post(f"/members/people/{leaver.pk}/deactivate/")

    assert link in staff_client.get(person_url).content.decode()
