import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import ActionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_it_requires_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_shows_my_outstanding_actions_and_next_meeting(
    member_client, member_user, working_group
):
    person = member_user.person
    ActionFactory(owner=person, group=working_group, title="Draft the brand guidelines")
    ActionFactory(group=working_group, title="Somebody else's action")
    MeetingFactory(group=working_group, starts_at=timezone.now() + dt.timedelta(days=3))

    response = member_client.get("/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Draft the brand guidelines" in content
    assert "Somebody else&#x27;s action" not in content
    assert "My outstanding actions (1)" in content
    assert working_group.name in content


def test_staff_see_overdue_actions_by_agency(staff_client, working_group):
    action = ActionFactory(
        group=working_group, due_date=timezone.localdate() - dt.timedelta(days=1)
    )

    response = staff_client.get("/")

    assert "Overdue actions by agency" in response.content.decode()
    assert action.agency.name in response.content.decode()


def test_an_agencys_overdue_count_links_to_the_same_actions_in_the_log(staff_client, working_group):
    late = timezone.localdate() - dt.timedelta(days=2)
    first = ActionFactory(group=working_group, due_date=late, title="Late one")
    ActionFactory(group=working_group, due_date=late, owner=first.owner, title="Late two")
    ActionFactory(group=working_group, owner=first.owner, title="Not late")

    content = staff_client.get("/").content.decode()
    link = f"/actions/?agency={first.agency.pk}&amp;overdue=true"
    log = staff_client.get(link.replace("&amp;", "&")).content.decode()

    assert f'<a href="{link}">{first.agency.name}</a>' in content
    assert '<td class="text-end">2</td>' in content
    assert "Late one" in log and "Late two" in log and "Not late" not in log


def test_staff_see_past_meetings_still_awaiting_a_register(staff_client, working_group):
    MeetingFactory(group=working_group, starts_at=timezone.now() - dt.timedelta(days=7))

    response = staff_client.get("/")

    assert "Meetings awaiting their attendance register" in response.content.decode()


def test_members_see_neither_staff_section(member_client, working_group):
    ActionFactory(group=working_group, due_date=timezone.localdate() - dt.timedelta(days=1))
    MeetingFactory(group=working_group, starts_at=timezone.now() - dt.timedelta(days=7))

    content = member_client.get("/").content.decode()

    assert "Overdue actions by agency" not in content
    assert "awaiting their attendance register" not in content


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_dashboard_costs_the_same_queries_whatever_the_data(staff_client, staff_user):
    def add(n):
        for _ in range(n):
            ActionFactory(
                owner=staff_user.person, due_date=timezone.localdate() - dt.timedelta(days=1)
            )
            ActionFactory(due_date=timezone.localdate() - dt.timedelta(days=1))
            MeetingFactory(starts_at=timezone.now() - dt.timedelta(days=3))

    add(2)
    small = _dashboard_queries(staff_client)
    add(20)

    assert _dashboard_queries(staff_client) == small


def test_a_passed_review_date_makes_the_tor_due_as_an_achieved_recommendation_does(
    member_client, working_group
):
    """Stated as the tracker and the quarterly update state it (tracker.selectors)."""
    working_group.review_date = timezone.localdate() - dt.timedelta(days=1)
    working_group.save()

    content = member_client.get("/").content.decode()

    passed = working_group.review_date.strftime("%-d %B %Y")
    assert (
        f"<strong>ToR revision due:</strong> The review date, {passed}, has passed. "
        f"The Terms of Reference of the {working_group.name} must be revised."
    ) in " ".join(content.split())


def test_a_review_date_still_to_come_is_no_reason_for_revision(member_client, working_group):
    working_group.review_date = timezone.localdate()
    working_group.save()

    assert "ToR revision due" not in member_client.get("/").content.decode()
