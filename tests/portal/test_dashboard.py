import datetime as dt

import pytest
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
