import datetime as dt

import pytest
from django.utils import timezone

from meetings.models import Meeting
from members.models import Agency
from tests.factories import AgencyFactory, MeetingFactory, MembershipFactory, london

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


# The in-person rule, before saving -------------------------------------------------

RULE = (
    "The Communications Working Group holds every third meeting in person, hosted by a "
    "different Specified Authority each time."
)
CONFIRM = "Save it anyway: I know this breaks the in-person rule"
DUE = (
    "The meeting on Tuesday 9 June 2099 should be in person: every third meeting is held in person."
)


@pytest.fixture
def rota(working_group, staff_user):
    """Two Specified Authorities to host, Police first in the ToR's table; the staff
    persona's own agency is not one. Two meetings were held online, so the next is due
    in person."""
    Agency.objects.filter(pk=staff_user.person.agency_id).update(
        duty_status=Agency.DutyStatus.NOT_APPLICABLE
    )
    police = MembershipFactory(group=working_group, agency=AgencyFactory(name="Police", order=1))
    fire = MembershipFactory(group=working_group, agency=AgencyFactory(name="Fire", order=2))
    for weeks in (30, 20):
        MeetingFactory(group=working_group, starts_at=timezone.now() - dt.timedelta(weeks=weeks))
    return police.agency, fire.agency


def test_the_form_states_the_rule_and_what_it_expects_before_saving(
    staff_client, working_group, rota
):
    content = staff_client.get(f"/meetings/new/?group={working_group.pk}").content.decode()

    assert RULE in content
    assert (
        "The group&#x27;s next meeting should be in person, and it is Police&#x27;s turn to "
        "host (Fire may host instead)."
    ) in content
    assert 'src="/static/js/meeting-form.js" defer' in content


def test_the_form_says_when_online_is_fine(staff_client, working_group, rota):
    police, _ = rota
    MeetingFactory(
        group=working_group,
        starts_at=timezone.now() - dt.timedelta(weeks=10),
        format=Meeting.Format.IN_PERSON,
        host_agency=police,
    )

    content = staff_client.get(f"/meetings/new/?group={working_group.pk}").content.decode()

    assert (
        "The group&#x27;s next meeting may be online: the next in-person meeting is the "
        "second after it."
    ) in content


def test_a_group_without_the_rule_says_so(staff_client):
    group = MembershipFactory(group__name="Data Task Group", group__in_person_every=0).group

    content = staff_client.get(f"/meetings/new/?group={group.pk}").content.decode()

    assert (
        "The Data Task Group has no in-person rule: any of its meetings may be online." in content
    )


def test_the_rule_hint_answers_the_form_as_typed(staff_client, working_group, rota):
    police, _ = rota
    url = "/meetings/rule-hint/"
    typed = {"group": working_group.pk, "date": "2099-06-09", "start_time": "10:00"}

    online = staff_client.get(url, {**typed, "format": "teams"}).json()
    in_person = staff_client.get(
        url, {**typed, "format": "in_person", "host_agency": police.pk}
    ).json()

    assert online["rule"] == RULE
    assert online["expectation"].startswith(
        "The meeting on Tuesday 9 June 2099 should be in person, and it is Police's turn"
    )
    assert online["verdict"] == "As entered, it breaks the rule:"
    assert online["warnings"] == [DUE]
    assert (in_person["verdict"], in_person["warnings"]) == ("As entered, it keeps the rule.", [])


def test_the_rule_hint_on_an_edit_leaves_the_meeting_itself_out(staff_client, working_group, rota):
    police, _ = rota
    meeting = MeetingFactory(
        group=working_group,
        starts_at=london(2099, 6, 9),
        format=Meeting.Format.IN_PERSON,
        host_agency=police,
    )

    answer = staff_client.get(
        "/meetings/rule-hint/", {"meeting": meeting.pk, "date": "2099-06-09", "format": "teams"}
    ).json()

    assert answer["warnings"] == [DUE]


@pytest.mark.parametrize("persona", ["owner", "chair"])
def test_only_staff_may_ask_the_rule_hint(persona_clients, persona, working_group):
    response = persona_clients[persona].get("/meetings/rule-hint/", {"group": working_group.pk})

    assert response.status_code == 403


def test_the_rule_hint_rejects_post(staff_client):
    assert staff_client.post("/meetings/rule-hint/").status_code == 405


def test_a_meeting_that_breaks_the_rule_is_refused_with_everything_typed_kept(
    staff_client, working_group, rota
):
    data = meeting_data(working_group, location="Room 4")

    response = staff_client.post("/meetings/new/", data)

    assert response.status_code == 200
    assert Meeting.objects.count() == 2
    content = response.content.decode()
    assert "Not saved yet: this meeting breaks the in-person rule." in content
    assert DUE in content
    assert CONFIRM in content
    assert "Change the meeting to keep the rule, or tick this box to save it as it is." in content
    assert 'value="https://teams.example.org/meet/comms"' in content
    assert 'value="Room 4"' in content
    assert 'value="2099-06-09"' in content


def test_ticking_the_box_saves_the_breach_and_the_message_keeps_the_warning(
    staff_client, working_group, rota
):
    response = staff_client.post(
        "/meetings/new/", meeting_data(working_group, confirm_rule="on"), follow=True
    )

    assert Meeting.objects.count() == 3
    content = response.content.decode()
    assert "Meeting scheduled: Comms Working Group – Tuesday 9 June 2099." in content
    assert f"Saved although it breaks the in-person rule: {DUE}" in content


def test_a_meeting_hosted_by_the_last_host_again_is_refused(staff_client, working_group, rota):
    police, _ = rota
    MeetingFactory(
        group=working_group,
        starts_at=timezone.now() - dt.timedelta(weeks=10),
        format=Meeting.Format.IN_PERSON,
        host_agency=police,
    )
    MeetingFactory(group=working_group, starts_at=timezone.now() - dt.timedelta(weeks=5))
    data = meeting_data(working_group, format="in_person", host_agency=police.pk, location="HQ")

    response = staff_client.post("/meetings/new/", data)

    assert "is hosted by Police again" in response.content.decode()
    assert Meeting.objects.count() == 4


def test_an_edit_that_breaks_the_rule_is_refused_until_confirmed(staff_client, working_group, rota):
    police, _ = rota
    meeting = MeetingFactory(
        group=working_group,
        starts_at=london(2099, 6, 9),
        format=Meeting.Format.IN_PERSON,
        host_agency=police,
        location="HQ",
    )
    url = f"/meetings/{meeting.pk}/edit/"
    form = staff_client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    online = {**data, "format": "teams", "host_agency": "", "location": ""}

    refused = staff_client.post(url, online)

    assert CONFIRM in refused.content.decode()
    meeting.refresh_from_db()
    assert meeting.format == Meeting.Format.IN_PERSON

    saved = staff_client.post(url, {**online, "confirm_rule": "on"}, follow=True)

    meeting.refresh_from_db()
    assert meeting.format == Meeting.Format.TEAMS
    assert f"Saved although it breaks the in-person rule: {DUE}" in saved.content.decode()


def test_an_edit_that_leaves_a_confirmed_breach_as_it_was_is_not_asked_again(
    staff_client, working_group, rota
):
    meeting = MeetingFactory(group=working_group, starts_at=london(2099, 6, 9))
    url = f"/meetings/{meeting.pk}/edit/"
    content = staff_client.get(url).content.decode()
    assert "As entered, it breaks the rule:" in content
    form = staff_client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}

    response = staff_client.post(
        url,
        {**data, "host_agency": "", "online_link": "https://teams.example.org/new"},
        follow=True,
    )

    meeting.refresh_from_db()
    assert meeting.online_link == "https://teams.example.org/new"
    assert "Meeting updated" in response.content.decode()
    assert f"Saved although it breaks the in-person rule: {DUE}" in response.content.decode()


# Scheduled or recorded --------------------------------------------------------------


def test_a_meeting_entered_after_it_took_place_is_recorded_not_scheduled(
    staff_client, working_group
):
    response = staff_client.post(
        "/meetings/new/", meeting_data(working_group, date="2024-06-11", status="held"), follow=True
    )

    content = response.content.decode()
    assert "Meeting recorded: Comms Working Group – Tuesday 11 June 2024." in content
    assert "Record who attended on its register." in content
    assert "Meeting scheduled" not in content
    assert "Record attendance" in content


def test_a_past_meeting_left_scheduled_is_recorded_too(staff_client, working_group):
    response = staff_client.post(
        "/meetings/new/", meeting_data(working_group, date="2024-06-11"), follow=True
    )

    assert "Meeting recorded: Comms Working Group – Tuesday 11 June 2024." in (
        response.content.decode()
    )
