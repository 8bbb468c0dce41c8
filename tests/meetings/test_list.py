import datetime as dt

import pytest
from django.utils import timezone

from meetings.models import Meeting
from tests.factories import GroupFactory, MeetingFactory
from tests.meetings.conftest import days_from_now, record

pytestmark = pytest.mark.django_db


def test_it_requires_sign_in(client):
    response = client.get("/meetings/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["owner", "other_member", "chair", "staff"])
def test_every_signed_in_role_sees_the_list(persona_clients, persona, upcoming_meeting):
    response = persona_clients[persona].get("/meetings/")

    assert response.status_code == 200
    assert upcoming_meeting.group.display_name in response.content.decode()


def test_only_staff_are_offered_scheduling(member_client, staff_client):
    assert "Schedule a meeting" not in member_client.get("/meetings/").content.decode()
    assert "Schedule a meeting" in staff_client.get("/meetings/").content.decode()


def test_it_shows_upcoming_and_past_with_date_format_host_and_summary(member_client, working_group):
    upcoming = MeetingFactory(
        group=working_group,
        starts_at=timezone.make_aware(dt.datetime(2099, 3, 10, 10, 0)),
        format=Meeting.Format.IN_PERSON,
        host_agency=working_group.memberships.first().agency,
    )
    past = MeetingFactory(group=working_group, starts_at=days_from_now(-30))
    record(past, "present", "present", "deputy", "apologies", "absent")

    response = member_client.get("/meetings/")

    content = response.content.decode()
    assert list(response.context["upcoming"]) == [upcoming]
    assert list(response.context["past"]) == [past]
    assert "Tuesday 10 March 2099, 10:00" in content
    assert "In person" in content
    assert upcoming.host_agency.display_name in content
    # The member's own seat is expected too but was not recorded.
    assert "3 of 6 present (1 by deputy), 1 apology, 1 absent, 1 not recorded" in content


def test_cancelled_upcoming_meetings_are_listed_as_cancelled(member_client, working_group):
    MeetingFactory(group=working_group, status=Meeting.Status.CANCELLED)

    content = member_client.get("/meetings/").content.decode()

    assert "Cancelled" in content


def test_the_group_filter_includes_the_working_groups_task_and_finish_groups(
    member_client, working_group
):
    task_group = GroupFactory(kind="task_finish", parent=working_group, name="Brand T&F")
    other = GroupFactory(name="Another Working Group")
    own = MeetingFactory(group=working_group)
    child = MeetingFactory(group=task_group)
    MeetingFactory(group=other)

    response = member_client.get(f"/meetings/?group={working_group.pk}")
    assert set(response.context["upcoming"]) == {own, child}

    response = member_client.get(f"/meetings/?group={task_group.pk}")
    assert list(response.context["upcoming"]) == [child]
    assert "Brand T&amp;F (Task and Finish group, Comms Working Group)</option>" in (
        response.content.decode()
    )


def test_a_working_group_under_the_svrp_is_not_named_a_task_and_finish_group(member_client):
    svrp = GroupFactory(kind="svrp", name="Strategic Violence Reduction Partnership")
    GroupFactory(parent=svrp, name="Data Working Group")

    content = member_client.get("/meetings/").content.decode()

    assert "Data Working Group</option>" in content


def test_past_meetings_are_paginated_and_keep_the_filter(member_client, working_group):
    for week in range(25):
        MeetingFactory(group=working_group, starts_at=days_from_now(-7 * (week + 1)))

    response = member_client.get(f"/meetings/?group={working_group.pk}&page=2")

    assert len(response.context["past"]) == 5
    assert f"?group={working_group.pk}&amp;page=1" in response.content.decode()


def _make_meetings(group, count: int) -> None:
    for n in range(count):
        meeting = MeetingFactory(group=group, starts_at=days_from_now(-10 * (n + 1)))
        record(meeting, "present", "apologies")
        MeetingFactory(group=group, starts_at=days_from_now(10 * (n + 1)))


def test_the_query_count_is_the_same_at_small_and_ten_times_the_data(
    member_client, working_group, django_assert_num_queries
):
    _make_meetings(working_group, 2)
    member_client.get("/meetings/")  # the session and roles are read once either way
    # The upcoming and past meetings are each counted for their pages.
    with django_assert_num_queries(9) as small:
        member_client.get("/meetings/")

    _make_meetings(working_group, 18)
    with django_assert_num_queries(len(small.captured_queries)):
        response = member_client.get("/meetings/")
    assert len(response.context["upcoming"]) == 20


def test_upcoming_meetings_are_paginated_and_keep_the_filter(member_client, working_group):
    for week in range(60):
        MeetingFactory(group=working_group, starts_at=days_from_now(7 * (week + 1)))

    response = member_client.get(f"/meetings/?group={working_group.pk}")

    content = response.content.decode()
    assert len(response.context["upcoming"]) == 20
    assert "Page 1 of 3" in content
    assert f"?group={working_group.pk}&amp;upcoming_page=2" in content


def test_paging_the_upcoming_meetings_keeps_the_past_meetings_page(member_client, working_group):
    for week in range(25):
        MeetingFactory(group=working_group, starts_at=days_from_now(7 * (week + 1)))
        MeetingFactory(group=working_group, starts_at=days_from_now(-7 * (week + 1)))

    response = member_client.get("/meetings/?page=2&upcoming_page=2")

    content = response.content.decode()
    assert len(response.context["upcoming"]) == 5
    assert len(response.context["past"]) == 5
    assert "?page=2&amp;upcoming_page=1" in content
    assert "?page=1&amp;upcoming_page=2" in content
