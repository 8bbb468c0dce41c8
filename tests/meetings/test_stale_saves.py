"""Two staff edit the same meeting, key update or register at once: the second save,
started from the version before the first, is refused (409) and shown the current
version; nothing the first saved is overwritten."""

import pytest
from django.utils import timezone

from meetings.models import Attendance, KeyUpdate, Meeting
from tests.factories import KeyUpdateFactory, MembershipFactory
from tests.stale import hidden_version, page_data, second_staff_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague_client(working_group):
    return second_staff_client(working_group)


def _edit_url(meeting) -> str:
    return f"/meetings/{meeting.pk}/edit/"


def test_the_second_of_two_meeting_edits_is_refused_and_shown_the_current_version(
    staff_client, colleague_client, upcoming_meeting
):
    url = _edit_url(upcoming_meeting)
    mine = page_data(staff_client.get(url).context["form"])
    theirs = page_data(colleague_client.get(url).context["form"])
    first = colleague_client.post(url, {**theirs, "start_time": "13:00", "end_time": "14:00"})
    saved = Meeting.objects.values().get(pk=upcoming_meeting.pk)

    response = staff_client.post(url, {**mine, "location": "Civic Offices, Portsmouth"})

    content = response.content.decode()
    assert first.status_code == 302
    assert response.status_code == 409
    assert Meeting.objects.values().get(pk=upcoming_meeting.pk) == saved
    assert timezone.localtime(Meeting.objects.get().starts_at).hour == 13
    assert "Somebody else changed this meeting" in content
    assert "The current version" in content
    assert "<td>13:00</td>" in content  # what is saved now, beside the start time typed
    assert 'value="Civic Offices, Portsmouth"' in content  # what was typed, kept
    assert hidden_version(response.context["form"]) in content
    assert response.context["form"]["version"].value() == saved["version"]


def test_after_the_conflict_saving_again_applies_the_changes(
    staff_client, colleague_client, upcoming_meeting
):
    url = _edit_url(upcoming_meeting)
    mine = page_data(staff_client.get(url).context["form"])
    colleague_client.post(url, page_data(colleague_client.get(url).context["form"], location="A"))
    refused = staff_client.post(url, {**mine, "location": "B"})

    response = staff_client.post(url, page_data(refused.context["form"]))

    assert response.status_code == 302
    assert Meeting.objects.get().location == "B"


def test_the_register_marking_the_meeting_held_makes_an_open_edit_stale(
    staff_client, colleague_client, past_meeting
):
    """Saving the register marks a past meeting held: an edit opened before must not put
    it back to "scheduled" unseen."""
    seat = MembershipFactory(group=past_meeting.group)
    url = _edit_url(past_meeting)
    mine = page_data(staff_client.get(url).context["form"])
    colleague_client.post(
        f"/meetings/{past_meeting.pk}/attendance/",
        {f"seat-{seat.pk}-status": "present", "register-version": past_meeting.register_version},
    )

    response = staff_client.post(url, {**mine, "location": "Fareham"})

    assert response.status_code == 409
    assert Meeting.objects.get().status == Meeting.Status.HELD


def test_the_same_edit_sent_twice_is_not_a_conflict(staff_client, upcoming_meeting):
    url = _edit_url(upcoming_meeting)
    data = page_data(staff_client.get(url).context["form"], location="Civic Offices")

    assert staff_client.post(url, data).status_code == 302
    assert staff_client.post(url, data).status_code == 302
    assert Meeting.objects.get().location == "Civic Offices"


def test_an_edit_without_a_version_is_not_saved(staff_client, upcoming_meeting):
    url = _edit_url(upcoming_meeting)
    data = page_data(staff_client.get(url).context["form"], location="Civic Offices")
    del data["version"]

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "This page is out of date" in response.content.decode()
    assert Meeting.objects.get().location == upcoming_meeting.location


def test_the_second_of_two_key_update_edits_is_refused_and_shown_the_current_version(
    staff_client, chair_client, past_meeting
):
    update = KeyUpdateFactory(meeting=past_meeting, text="Campaign agreed.")
    url = f"/meetings/{past_meeting.pk}/key-updates/{update.pk}/edit/"
    mine = page_data(staff_client.get(url).context["form"])
    theirs = page_data(chair_client.get(url).context["form"])
    chair_client.post(url, {**theirs, "text": "Campaign agreed for May."})
    saved = KeyUpdate.objects.values().get(pk=update.pk)

    response = staff_client.post(url, {**mine, "text": "Campaign postponed."})

    content = response.content.decode()
    assert response.status_code == 409
    assert KeyUpdate.objects.values().get(pk=update.pk) == saved
    assert "Somebody else changed this key update" in content
    assert "<td>Campaign agreed for May.</td>" in content
    assert "Campaign postponed.</textarea>" in content
    assert hidden_version(response.context["form"]) in content


# The register: the attendance rows of a meeting, saved as one unit -------------------


def _register_url(meeting) -> str:
    return f"/meetings/{meeting.pk}/attendance/"


def _register_page(client, meeting) -> dict:
    """The register as the page posts it when opened now: every seat as it shows."""
    response = client.get(_register_url(meeting))
    data = {"register-version": response.context["version_form"]["version"].value()}
    for seat in response.context["seats"]:
        data.update(page_data(seat.form))
    return data


@pytest.fixture
def seats(past_meeting, staff_user, member_user, other_member_user):
    return list(past_meeting.expected_memberships().order_by("pk"))


def test_the_second_of_two_first_registers_is_refused_and_shown_the_current_version(
    staff_client, colleague_client, past_meeting, seats
):
    mine = _register_page(staff_client, past_meeting)
    theirs = _register_page(colleague_client, past_meeting)
    first = colleague_client.post(
        _register_url(past_meeting), {**theirs, **{f"seat-{s.pk}-status": "present" for s in seats}}
    )
    saved = list(Attendance.objects.values())

    response = staff_client.post(
        _register_url(past_meeting),
        {**mine, **{f"seat-{s.pk}-status": "absent" for s in seats}},
    )

    content = response.content.decode()
    assert first.status_code == 302
    assert response.status_code == 409
    assert list(Attendance.objects.values()) == saved
    assert "Somebody else changed this register" in content
    assert "The current version" in content
    rows = response.context["conflict"]["differences"]
    assert [(row.current, row.yours) for row in rows] == [("Present", "Absent")] * len(seats)
    assert 'name="register-version" value="2"' in content
    # What was typed is still chosen, for saving again on purpose.
    assert {seat.form["status"].value() for seat in response.context["seats"]} == {"absent"}


def test_a_stale_register_keeps_what_was_typed_and_the_current_rows_for_the_rest(
    staff_client, colleague_client, past_meeting, seats
):
    first_seat, second_seat = seats[0], seats[1]
    mine = _register_page(staff_client, past_meeting)
    theirs = _register_page(colleague_client, past_meeting)
    colleague_client.post(
        _register_url(past_meeting), {**theirs, f"seat-{first_seat.pk}-status": "present"}
    )

    refused = staff_client.post(
        _register_url(past_meeting), {**mine, f"seat-{second_seat.pk}-status": "apologies"}
    )
    again = staff_client.post(_register_url(past_meeting), _posted_register(refused))

    assert refused.status_code == 409
    # The seat left blank is not a difference: it keeps the row recorded meanwhile.
    differences = refused.context["conflict"]["differences"]
    assert [(row.current, row.yours) for row in differences] == [("Not recorded", "Apologies")]
    assert again.status_code == 302
    rows = dict(Attendance.objects.values_list("membership", "status"))
    assert rows == {first_seat.pk: "present", second_seat.pk: "apologies"}


def _posted_register(response) -> dict:
    """What the (409) register page posts when saved again as it is shown."""
    data = {"register-version": response.context["version_form"]["version"].value()}
    for seat in response.context["seats"]:
        data.update(page_data(seat.form))
    return data


def test_a_register_saved_since_is_reported_before_judging_the_rows(
    staff_client, colleague_client, past_meeting, seats
):
    """A seat recorded meanwhile cannot be blank: the page says the register changed,
    rather than blaming the staff member for a blank they could not have known of."""
    mine = _register_page(staff_client, past_meeting)
    colleague_client.post(
        _register_url(past_meeting),
        {**_register_page(colleague_client, past_meeting), f"seat-{seats[0].pk}-status": "absent"},
    )
    data = {**mine, f"seat-{seats[1].pk}-status": "present", f"seat-{seats[0].pk}-status": ""}

    response = staff_client.post(_register_url(past_meeting), data)

    assert response.status_code == 409
    assert "a recorded seat cannot be left blank" not in response.content.decode()
    assert Attendance.objects.get().status == "absent"


def test_the_same_register_sent_twice_is_saved_once(staff_client, past_meeting, seats):
    data = {
        **_register_page(staff_client, past_meeting),
        **{f"seat-{s.pk}-status": "present" for s in seats},
    }

    first = staff_client.post(_register_url(past_meeting), data)
    second = staff_client.post(_register_url(past_meeting), data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert Attendance.history.count() == len(seats)
    past_meeting.refresh_from_db()
    assert past_meeting.register_version == 2


def test_a_meeting_edit_does_not_make_an_open_register_stale(
    staff_client, colleague_client, past_meeting, seats
):
    mine = _register_page(staff_client, past_meeting)
    url = _edit_url(past_meeting)
    colleague_client.post(url, page_data(colleague_client.get(url).context["form"], location="A"))

    response = staff_client.post(
        _register_url(past_meeting), {**mine, f"seat-{seats[0].pk}-status": "present"}
    )

    assert response.status_code == 302
    assert Attendance.objects.get().status == "present"
    assert Meeting.objects.get().location == "A"


def test_the_register_page_carries_its_version(staff_client, past_meeting, seats):
    Meeting.objects.filter(pk=past_meeting.pk).update(register_version=7)

    content = staff_client.get(_register_url(past_meeting)).content.decode()

    assert 'name="register-version" value="7"' in content
