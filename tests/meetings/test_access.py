"""Who may open each meetings page: anonymous, member (owner), other member, chair, staff.

Refusals are checked for their effect on the database in each view's own tests.
"""

import pytest

from members.models import Group
from tests.factories import GroupFactory, KeyUpdateFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

OK, FORBIDDEN = 200, 403
EVERYONE = {"owner": OK, "other_member": OK, "chair": OK, "staff": OK}
STAFF_ONLY = {"owner": FORBIDDEN, "other_member": FORBIDDEN, "chair": FORBIDDEN, "staff": OK}
STAFF_AND_CHAIR = {"owner": FORBIDDEN, "other_member": FORBIDDEN, "chair": OK, "staff": OK}

PAGES = [
    ("/meetings/", EVERYONE),
    ("/meetings/{meeting}/", EVERYONE),
    ("/meetings/{meeting}.ics", EVERYONE),
    ("/meetings/calendar/", EVERYONE),
    ("/meetings/new/", STAFF_ONLY),
    ("/meetings/{meeting}/edit/", STAFF_ONLY),
    ("/meetings/{meeting}/attendance/", STAFF_ONLY),
    ("/meetings/plan/", STAFF_ONLY),
    ("/meetings/groups/", STAFF_ONLY),
    ("/meetings/groups/new/", STAFF_ONLY),
    ("/meetings/groups/{task_group}/", STAFF_ONLY),
    ("/meetings/groups/{task_group}/edit/", STAFF_ONLY),
    ("/meetings/groups/{task_group}/seats/new/", STAFF_ONLY),
    ("/meetings/groups/{task_group}/seats/{seat}/edit/", STAFF_ONLY),
    ("/meetings/{meeting}/key-updates/{update}/edit/", STAFF_AND_CHAIR),
    ("/meetings/attendance/", EVERYONE),
    ("/meetings/attendance.csv", EVERYONE),
]
POST_ONLY = [
    "/meetings/{meeting}/key-updates/",
    "/meetings/calendar/reset/",
    "/meetings/groups/{task_group}/seats/{seat}/end/",
]


@pytest.fixture
def ids(past_meeting, working_group):
    task_group = GroupFactory(kind=Group.Kind.TASK_AND_FINISH, parent=working_group)
    return {
        "meeting": past_meeting.pk,
        "task_group": task_group.pk,
        "seat": MembershipFactory(group=task_group).pk,
        "update": KeyUpdateFactory(meeting=past_meeting).pk,
    }


@pytest.mark.parametrize(("path", "expected"), PAGES)
def test_each_role_gets_what_it_may_see(persona_clients, ids, path, expected):
    url = path.format(**ids)

    anonymous = persona_clients["anonymous"].get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    for persona, status in expected.items():
        response = persona_clients[persona].get(url)
        assert response.status_code == status, persona
        if status == OK and response["Content-Type"].startswith("text/html"):
            assert response.content.count(b"<h1") == 1, f"{url} needs exactly one <h1>"


@pytest.mark.parametrize("path", POST_ONLY)
def test_state_changes_reject_get(staff_client, ids, path):
    assert staff_client.get(path.format(**ids)).status_code == 405


def test_a_signed_in_user_with_no_portal_role_sees_no_meetings(client, ids):
    client.force_login(UserFactory(email="nobody@example.org"))

    for path in ("/meetings/", "/meetings/attendance/", "/meetings/attendance.csv"):
        assert client.get(path).status_code == FORBIDDEN, path
    for path in ("/meetings/{meeting}/", "/meetings/{meeting}.ics"):
        assert client.get(path.format(**ids)).status_code == 404, path
