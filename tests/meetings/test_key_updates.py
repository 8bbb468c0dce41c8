import pytest

from meetings.models import KeyUpdate
from members.models import Group
from tests.factories import (
    GroupFactory,
    KeyUpdateFactory,
    MeetingFactory,
    QuarterlyReportFactory,
    london,
)

pytestmark = pytest.mark.django_db

DATA = {"kind": "decision", "text": "The brand guidelines were approved.", "for_svrp": "on"}


def test_adding_rejects_get(staff_client, past_meeting):
    assert staff_client.get(f"/meetings/{past_meeting.pk}/key-updates/").status_code == 405


@pytest.mark.parametrize("persona", ["owner", "other_member"])
def test_members_cannot_add_or_edit_key_updates(persona_clients, persona, past_meeting):
    client = persona_clients[persona]
    update = KeyUpdateFactory(meeting=past_meeting, text="As it was")

    assert client.post(f"/meetings/{past_meeting.pk}/key-updates/", DATA).status_code == 403
    edit_url = f"/meetings/{past_meeting.pk}/key-updates/{update.pk}/edit/"
    assert client.get(edit_url).status_code == 403
    assert client.post(edit_url, DATA).status_code == 403
    assert list(KeyUpdate.objects.values_list("text", flat=True)) == ["As it was"]


@pytest.mark.parametrize("persona", ["chair", "staff"])
def test_the_chair_and_staff_add_a_key_update_flagged_for_the_svrp(
    persona_clients, persona, past_meeting
):
    response = persona_clients[persona].post(
        f"/meetings/{past_meeting.pk}/key-updates/", DATA, follow=True
    )

    update = KeyUpdate.objects.get()
    assert (update.meeting, update.kind, update.for_svrp) == (past_meeting, "decision", True)
    assert update.created_by.email == f"{persona}@example.org"
    assert response.redirect_chain[-1][0] == f"/meetings/{past_meeting.pk}/#key-updates"
    assert "Decision added" in response.content.decode()


def test_an_empty_key_update_is_refused_on_the_meeting_page(chair_client, past_meeting):
    response = chair_client.post(
        f"/meetings/{past_meeting.pk}/key-updates/", {"kind": "update", "text": ""}
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not KeyUpdate.objects.exists()


def test_the_chair_edits_a_key_update_and_unflags_it(chair_client, past_meeting):
    update = KeyUpdateFactory(meeting=past_meeting)
    url = f"/meetings/{past_meeting.pk}/key-updates/{update.pk}/edit/"

    assert chair_client.get(url).status_code == 200
    chair_client.post(url, {"kind": "update", "text": "Reworded", "version": update.version})

    update.refresh_from_db()
    assert (update.text, update.for_svrp) == ("Reworded", False)


def test_a_key_update_is_edited_only_through_its_own_meeting(chair_client, past_meeting):
    elsewhere = KeyUpdateFactory()

    response = chair_client.get(f"/meetings/{past_meeting.pk}/key-updates/{elsewhere.pk}/edit/")

    assert response.status_code == 404


def test_a_key_update_longer_than_a_report_can_carry_is_refused(staff_client, past_meeting):
    data = {**DATA, "text": "x" * 2001}

    response = staff_client.post(f"/meetings/{past_meeting.pk}/key-updates/", data)

    assert response.status_code == 200
    assert "Ensure this value has at most 2000 characters" in response.content.decode()
    assert not KeyUpdate.objects.exists()


# A key update in a quarter whose SVRP update was finalised -----------------------------

FINALISED = (
    "The Communications Working Group&#x27;s 2024-25 Q1 update was finalised on 10 July 2024: "
    "a key update added or changed now reaches the SVRP only if the update is re-issued."
)


@pytest.fixture
def finalised_meeting(clock, working_group):
    """A June 2024 meeting, whose quarter (2024-25 Q1) was finalised on 10 July."""
    clock.move_to(london(2024, 7, 15, 9))
    QuarterlyReportFactory(
        group=working_group, year=2024, quarter=1, finalised_at=london(2024, 7, 10)
    )
    return MeetingFactory(group=working_group, starts_at=london(2024, 6, 11))


@pytest.fixture
def open_meeting(clock, working_group):
    """A July 2024 meeting: its quarter (2024-25 Q2) has not been finalised."""
    clock.move_to(london(2024, 7, 15, 9))
    QuarterlyReportFactory(group=working_group, year=2024, quarter=1)
    return MeetingFactory(group=working_group, starts_at=london(2024, 7, 9))


def test_the_meeting_page_warns_before_adding_to_a_finalised_quarter(
    chair_client, finalised_meeting
):
    content = chair_client.get(f"/meetings/{finalised_meeting.pk}/").content.decode()

    assert FINALISED in content


def test_members_see_no_notice_as_they_cannot_add(member_client, finalised_meeting):
    content = member_client.get(f"/meetings/{finalised_meeting.pk}/").content.decode()

    assert "reaches the SVRP only if the update is re-issued" not in content


def test_adding_to_a_finalised_quarter_says_it_waits_for_a_re_issue(
    staff_client, finalised_meeting
):
    response = staff_client.post(
        f"/meetings/{finalised_meeting.pk}/key-updates/", DATA, follow=True
    )

    assert KeyUpdate.objects.get().meeting == finalised_meeting
    content = response.content.decode()
    assert f"Decision added to Comms Working Group – Tuesday 11 June 2024. {FINALISED}" in content
    assert "alert-warning" in content


def test_an_update_not_for_the_svrp_needs_no_re_issue(staff_client, finalised_meeting):
    data = {**DATA, "for_svrp": ""}

    response = staff_client.post(
        f"/meetings/{finalised_meeting.pk}/key-updates/", data, follow=True
    )

    content = response.content.decode()
    assert "Decision added to Comms Working Group – Tuesday 11 June 2024." in content
    assert content.count("reaches the SVRP only if the update is re-issued") == 1  # the note


def test_editing_in_a_finalised_quarter_warns_before_and_after_saving(
    chair_client, finalised_meeting
):
    update = KeyUpdateFactory(meeting=finalised_meeting, for_svrp=True)
    url = f"/meetings/{finalised_meeting.pk}/key-updates/{update.pk}/edit/"

    assert FINALISED in chair_client.get(url).content.decode()

    # Taking it out of the SVRP's update misses the sent update just as much.
    response = chair_client.post(
        url, {"kind": "update", "text": "Reworded", "version": update.version}, follow=True
    )

    update.refresh_from_db()
    assert (update.text, update.for_svrp) == ("Reworded", False)
    assert f"Key update updated. {FINALISED}" in response.content.decode()


def test_a_quarter_not_finalised_gives_no_warning(chair_client, open_meeting):
    detail = f"/meetings/{open_meeting.pk}/"
    update = KeyUpdateFactory(meeting=open_meeting, for_svrp=True)
    edit = f"{detail}key-updates/{update.pk}/edit/"

    page = chair_client.get(detail).content.decode()
    edit_page = chair_client.get(edit).content.decode()
    added = chair_client.post(f"{detail}key-updates/", DATA, follow=True).content.decode()

    for content in (page, edit_page, added):
        assert "re-issued" not in content
    assert "Decision added to Comms Working Group – Tuesday 9 July 2024." in added
    assert "alert-warning" not in added


def test_a_task_and_finish_meeting_warns_of_its_working_group_s_finalised_update(
    chair_client, finalised_meeting, working_group
):
    task = GroupFactory(
        name="Campaign Task Group", kind=Group.Kind.TASK_AND_FINISH, parent=working_group
    )
    meeting = MeetingFactory(group=task, starts_at=london(2024, 6, 18))

    assert FINALISED in chair_client.get(f"/meetings/{meeting.pk}/").content.decode()
