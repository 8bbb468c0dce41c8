import datetime as dt

import pytest
from django.utils import timezone

from meetings.models import Meeting
from tests.factories import AgencyFactory, MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def meeting_data(group, **changes) -> dict:
    data = {
        "group": group.pk,
        "date": "2099-06-09",
        "start_time": "10:00",
        "end_time": "11:30",
        "format": "teams",
        "host_agency": "",
        "location": "",
        "online_link": "https://teams.example.org/meet/comms",
        "status": "scheduled",
    }
    return {**data, **changes}


@pytest.mark.parametrize("persona", ["owner", "other_member", "chair"])
def test_only_staff_may_create_or_edit(persona_clients, persona, working_group, past_meeting):
    client = persona_clients[persona]
    before = list(Meeting.objects.values())

    assert client.get("/meetings/new/").status_code == 403
    assert client.post("/meetings/new/", meeting_data(working_group)).status_code == 403
    assert client.get(f"/meetings/{past_meeting.pk}/edit/").status_code == 403
    edit = client.post(f"/meetings/{past_meeting.pk}/edit/", meeting_data(working_group))
    assert edit.status_code == 403
    assert list(Meeting.objects.values()) == before


def test_staff_schedule_a_meeting_in_london_time(staff_client, working_group):
    response = staff_client.post("/meetings/new/", meeting_data(working_group), follow=True)

    meeting = Meeting.objects.get()
    assert response.redirect_chain[-1][0] == f"/meetings/{meeting.pk}/"
    assert timezone.localtime(meeting.starts_at).isoformat() == "2099-06-09T10:00:00+01:00"
    assert meeting.ends_at - meeting.starts_at == dt.timedelta(minutes=90)
    assert meeting.online_link == "https://teams.example.org/meet/comms"
    assert "Meeting scheduled" in response.content.decode()


def test_a_meeting_must_end_after_it_starts(staff_client, working_group):
    response = staff_client.post("/meetings/new/", meeting_data(working_group, end_time="09:00"))

    assert response.status_code == 200
    assert "The meeting must end after it starts." in response.content.decode()
    assert not Meeting.objects.exists()


def test_an_edit_that_moves_the_meeting_bumps_the_calendar_sequence(
    staff_client, working_group, upcoming_meeting
):
    url = f"/meetings/{upcoming_meeting.pk}/edit/"
    form = staff_client.get(url).context["form"]
    unchanged = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    unchanged["host_agency"] = ""

    staff_client.post(url, unchanged)
    upcoming_meeting.refresh_from_db()
    assert upcoming_meeting.sequence == 0

    # Each save is made from the edit page as it is now, on the meeting's current version.
    staff_client.post(
        url,
        {
            **unchanged,
            "start_time": "13:00",
            "end_time": "14:00",
            "version": upcoming_meeting.version,
        },
    )
    upcoming_meeting.refresh_from_db()
    assert timezone.localtime(upcoming_meeting.starts_at).hour == 13
    assert upcoming_meeting.sequence == 1

    response = staff_client.post(
        url,
        {**unchanged, "status": "cancelled", "version": upcoming_meeting.version},
        follow=True,
    )
    upcoming_meeting.refresh_from_db()
    assert upcoming_meeting.status == "cancelled"
    assert upcoming_meeting.sequence == 2
    assert "Calendars will show the change." in response.content.decode()


def test_a_meeting_never_moves_group(staff_client, upcoming_meeting):
    other = MembershipFactory().group
    url = f"/meetings/{upcoming_meeting.pk}/edit/"
    form = staff_client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}

    staff_client.post(url, {**data, "group": other.pk, "host_agency": ""})

    upcoming_meeting.refresh_from_db()
    assert upcoming_meeting.group != other


def test_breaking_the_in_person_rule_is_allowed_with_a_warning(staff_client, working_group):
    for weeks in (30, 20):
        MeetingFactory(group=working_group, starts_at=timezone.now() - dt.timedelta(weeks=weeks))

    response = staff_client.post("/meetings/new/", meeting_data(working_group), follow=True)

    assert Meeting.objects.count() == 3
    content = response.content.decode()
    assert "should be in person: every third meeting is held in person." in content
    assert "alert-warning" in content


def test_an_in_person_meeting_when_one_is_due_has_no_warning(staff_client, working_group):
    host = MembershipFactory(group=working_group, agency=AgencyFactory()).agency
    for weeks in (30, 20):
        MeetingFactory(group=working_group, starts_at=timezone.now() - dt.timedelta(weeks=weeks))

    response = staff_client.post(
        "/meetings/new/",
        meeting_data(working_group, format="in_person", host_agency=host.pk, location="HQ"),
        follow=True,
    )

    assert "should be in person" not in response.content.decode()
    assert "alert-warning" not in response.content.decode()


def test_a_meeting_that_has_not_started_cannot_be_marked_held(
    staff_client, working_group, upcoming_meeting
):
    response = staff_client.post("/meetings/new/", meeting_data(working_group, status="held"))

    assert response.status_code == 200
    assert "has not started yet, so it cannot have been held" in response.content.decode()
    assert list(Meeting.objects.all()) == [upcoming_meeting]

    url = f"/meetings/{upcoming_meeting.pk}/edit/"
    form = staff_client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    staff_client.post(url, {**data, "host_agency": "", "status": "held"})
    upcoming_meeting.refresh_from_db()
    assert upcoming_meeting.status == "scheduled"


def test_a_past_meeting_may_be_entered_as_held(staff_client, working_group):
    staff_client.post(
        "/meetings/new/", meeting_data(working_group, date="2024-06-11", status="held")
    )

    assert Meeting.objects.get().status == "held"


def test_a_second_meeting_of_the_group_on_the_same_day_is_refused(staff_client, working_group):
    staff_client.post("/meetings/new/", meeting_data(working_group))

    response = staff_client.post(
        "/meetings/new/", meeting_data(working_group, start_time="14:00", end_time="15:00")
    )

    assert response.status_code == 200
    assert (
        "The Communications Working Group already has a meeting on Tuesday 9 June 2099"
        in response.content.decode()
    )
    assert Meeting.objects.count() == 1


def test_a_cancelled_meeting_leaves_its_day_free(staff_client, working_group):
    staff_client.post("/meetings/new/", meeting_data(working_group, status="cancelled"))

    staff_client.post(
        "/meetings/new/", meeting_data(working_group, start_time="14:00", end_time="15:00")
    )

    assert sorted(Meeting.objects.values_list("status", flat=True)) == ["cancelled", "scheduled"]
