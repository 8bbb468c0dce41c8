import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client

from meetings.models import Meeting
from tests.factories import GroupFactory, MeetingFactory, MembershipFactory, UserFactory
from tests.meetings.conftest import days_from_now

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def events(response) -> list:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def test_one_meeting_needs_sign_in(client, upcoming_meeting):
    assert client.get(f"/meetings/{upcoming_meeting.pk}.ics").status_code == 302


def test_one_meeting_parses_back_with_london_times(member_client, working_group, settings):
    settings.SITE_URL = "https://vrp.example.org"
    meeting = MeetingFactory(
        group=working_group,
        starts_at=dt.datetime(2099, 7, 14, 10, 0, tzinfo=LONDON),
        ends_at=dt.datetime(2099, 7, 14, 11, 30, tzinfo=LONDON),
        format=Meeting.Format.IN_PERSON,
        location="Police HQ, Eastleigh",
        host_agency=working_group.memberships.first().agency,
    )

    response = member_client.get(f"/meetings/{meeting.pk}.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert calendar["REFRESH-INTERVAL"].to_ical() == b"PT12H"
    [event] = events(response)
    assert event["UID"] == f"meeting-{meeting.pk}@vrp.example.org"
    assert event.decoded("DTSTART") == dt.datetime(2099, 7, 14, 10, 0, tzinfo=LONDON)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.decoded("DTEND").hour == 11
    assert str(event["SUMMARY"]) == "Comms Working Group meeting"
    assert str(event["LOCATION"]) == "Police HQ, Eastleigh"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]) == f"https://vrp.example.org/meetings/{meeting.pk}/"
    assert event["SEQUENCE"] == 0


def test_a_teams_meeting_gives_its_link_as_the_location(member_client, working_group):
    meeting = MeetingFactory(group=working_group, online_link="https://teams.example.org/m/1")

    [event] = events(member_client.get(f"/meetings/{meeting.pk}.ics"))

    assert str(event["LOCATION"]) == "https://teams.example.org/m/1"
    assert "Join online: https://teams.example.org/m/1" in str(event["DESCRIPTION"])


def test_a_moved_and_then_cancelled_meeting_updates_calendars(
    staff_client, member_client, upcoming_meeting
):
    url = f"/meetings/{upcoming_meeting.pk}/edit/"
    form = staff_client.get(url).context["form"]
    data = {n: form[n].value() for n in form.fields if form[n].value() is not None}
    data["host_agency"] = ""

    staff_client.post(url, {**data, "start_time": "14:00", "end_time": "15:00"})
    [moved] = events(member_client.get(f"/meetings/{upcoming_meeting.pk}.ics"))
    upcoming_meeting.refresh_from_db()  # the edit page opened again, on the moved meeting
    staff_client.post(
        url,
        {
            **data,
            "start_time": "14:00",
            "end_time": "15:00",
            "status": "cancelled",
            "version": upcoming_meeting.version,
        },
    )
    [cancelled] = events(member_client.get(f"/meetings/{upcoming_meeting.pk}.ics"))

    assert moved["SEQUENCE"] == 1
    assert moved.decoded("DTSTART").astimezone(LONDON).hour == 14
    assert (cancelled["SEQUENCE"], str(cancelled["STATUS"])) == (2, "CANCELLED")
    assert str(cancelled["SUMMARY"]).startswith("Cancelled: ")
    assert cancelled["UID"] == moved["UID"]


def test_the_feed_lists_the_meetings_of_the_persons_groups(member_user, working_group):
    own = MeetingFactory(group=working_group)
    cancelled = MeetingFactory(group=working_group, status=Meeting.Status.CANCELLED)
    long_ago = MeetingFactory(group=working_group, starts_at=days_from_now(-800))
    MeetingFactory(group=GroupFactory())  # a group without the member
    token = member_user.person.calendar_token

    response = Client().get("/meetings/calendar.ics", {"token": token})

    by_uid = {str(e["UID"]).split("@")[0]: e for e in events(response)}
    assert set(by_uid) == {f"meeting-{own.pk}", f"meeting-{cancelled.pk}"}
    assert str(by_uid[f"meeting-{cancelled.pk}"]["STATUS"]) == "CANCELLED"
    assert f"meeting-{long_ago.pk}" not in by_uid
    assert "no-cache" in response["Cache-Control"]


def test_the_feed_includes_a_task_and_finish_group_where_the_person_has_a_seat(member_user):
    task_group = GroupFactory(kind="task_finish", parent=GroupFactory())
    MembershipFactory(group=task_group, person=member_user.person)
    meeting = MeetingFactory(group=task_group)

    response = Client().get("/meetings/calendar.ics", {"token": member_user.person.calendar_token})

    assert [str(e["UID"]) for e in events(response)][-1].startswith(f"meeting-{meeting.pk}@")


@pytest.mark.parametrize("token", [None, "", "not-the-token"])
def test_the_feed_refuses_a_missing_or_wrong_token(member_user, token):
    params = {} if token is None else {"token": token}

    assert Client().get("/meetings/calendar.ics", params).status_code == 404


def test_the_feed_refuses_a_revoked_token(member_client, member_user):
    old = member_user.person.calendar_token

    response = member_client.post("/meetings/calendar/reset/", follow=True)

    member_user.person.refresh_from_db()
    new = member_user.person.calendar_token
    assert new != old
    assert "the old one no longer works" in response.content.decode()
    assert Client().get("/meetings/calendar.ics", {"token": old}).status_code == 404
    assert Client().get("/meetings/calendar.ics", {"token": new}).status_code == 200


def test_the_feed_refuses_a_person_who_has_left(member_user):
    person = member_user.person
    person.is_active = False
    person.save()

    response = Client().get("/meetings/calendar.ics", {"token": person.calendar_token})

    assert response.status_code == 404


def test_the_calendar_page_shows_the_persons_own_feed_address(member_client, member_user, settings):
    settings.SITE_URL = "https://vrp.example.org"

    content = member_client.get("/meetings/calendar/").content.decode()

    token = member_user.person.calendar_token
    assert f"https://vrp.example.org/meetings/calendar.ics?token={token}" in content


def test_the_calendar_page_needs_sign_in(client):
    assert client.get("/meetings/calendar/").status_code == 302


def test_resetting_rejects_get(member_client, member_user):
    token = member_user.person.calendar_token

    assert member_client.get("/meetings/calendar/reset/").status_code == 405
    member_user.person.refresh_from_db()
    assert member_user.person.calendar_token == token


def test_an_account_without_a_person_has_no_feed(db):
    client = Client()
    client.force_login(UserFactory(is_superuser=True))

    assert "has no calendar feed" in client.get("/meetings/calendar/").content.decode()
    assert client.post("/meetings/calendar/reset/").status_code == 404
