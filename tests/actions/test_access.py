"""Who may do what, on every action URL: anonymous, owner, other member, chair, staff.

Decided: every role views every action; only the owner and staff update progress;
only staff create, edit, reassign, cancel and reopen; the chair changes nothing.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from tests.access import ALL, CLIENT_FIXTURES, STAFF, assert_access
from tests.actions.conftest import database_state
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OWNER_AND_STAFF = {"owner", "staff"}


def _edit_data(action):
    return {
        "title": "Draft the brand guidelines, second edition",
        "detail": "",
        "owner": action.owner_id,
        "agency": action.agency_id,
        "group": action.group_id,
        "meeting": action.meeting_id or "",
        "due_date": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        "version": action.version,
    }


# (name, method, url, data, who is allowed, status when allowed)
CASES = [
    ("log", "get", lambda f: reverse("actions:list"), None, ALL, 200),
    ("csv", "get", lambda f: reverse("actions:export_csv"), None, ALL, 200),
    ("xlsx", "get", lambda f: reverse("actions:export_xlsx"), None, ALL, 200),
    ("mine", "get", lambda f: reverse("actions:mine"), None, ALL, 200),
    (
        "reminder emails",
        "get",
        lambda f: reverse("actions:reminders_schedule"),
        None,
        STAFF,
        200,
    ),
    ("detail", "get", lambda f: reverse("actions:detail", args=[f["action"].pk]), None, ALL, 200),
    ("new form", "get", lambda f: reverse("actions:new"), None, STAFF, 200),
    (
        "new",
        "post",
        lambda f: reverse("actions:new"),
        lambda f: {
            "title": "Book the venue",
            "owner": f["action"].owner_id,
            "group": f["action"].group_id,
        },
        STAFF,
        302,
    ),
    (
        "edit form",
        "get",
        lambda f: reverse("actions:edit", args=[f["action"].pk]),
        None,
        STAFF,
        200,
    ),
    (
        "edit",
        "post",
        lambda f: reverse("actions:edit", args=[f["action"].pk]),
        lambda f: _edit_data(f["action"]),
        STAFF,
        302,
    ),
    (
        "update form",
        "get",
        lambda f: reverse("actions:update", args=[f["action"].pk]),
        None,
        OWNER_AND_STAFF,
        200,
    ),
    (
        "update",
        "post",
        lambda f: reverse("actions:update", args=[f["action"].pk]),
        lambda f: {
            f"action-{f['action'].pk}-status": "in_progress",
            f"action-{f['action'].pk}-text": "Started.",
            f"action-{f['action'].pk}-version": f["action"].version,
        },
        OWNER_AND_STAFF,
        302,
    ),
    (
        "cancel form",
        "get",
        lambda f: reverse("actions:cancel", args=[f["action"].pk]),
        None,
        STAFF,
        200,
    ),
    (
        "cancel",
        "post",
        lambda f: reverse("actions:cancel", args=[f["action"].pk]),
        lambda f: {"reason": "Overtaken by events.", "version": f["action"].version},
        STAFF,
        302,
    ),
    (
        "reopen",
        "post",
        lambda f: reverse("actions:reopen", args=[f["done_action"].pk]),
        lambda f: {"version": f["done_action"].version},
        STAFF,
        302,
    ),
    (
        "log at meeting",
        "post",
        lambda f: reverse("actions:log_at_meeting", args=[f["meeting"].pk]),
        lambda f: {"log-title": "Book the venue", "log-owner": f["action"].owner_id},
        STAFF,
        302,
    ),
]


@pytest.fixture
def objects(action, done_action, meeting):
    return {"action": action, "done_action": done_action, "meeting": meeting}


@pytest.mark.parametrize("persona", list(CLIENT_FIXTURES))
@pytest.mark.parametrize(
    ("name", "method", "url", "data", "allowed", "status"), CASES, ids=[c[0] for c in CASES]
)
def test_every_action_url_answers_each_persona_as_decided(
    request, objects, persona, name, method, url, data, allowed, status
):
    client = request.getfixturevalue(CLIENT_FIXTURES[persona])
    path = url(objects)
    before = database_state()

    response = getattr(client, method)(path, data(objects) if data else {})

    assert_access(
        response,
        persona=persona,
        allowed=allowed,
        status=status,
        method=method,
        before=before,
        state=database_state,
    )


@pytest.mark.parametrize("persona", ["owner", "other_member", "chair", "staff"])
def test_everyone_signed_in_may_set_their_own_reminder_preference(request, persona):
    client = request.getfixturevalue(CLIENT_FIXTURES[persona])

    response = client.post(reverse("actions:reminders"), {"reminders": "off"})

    assert response.status_code == 302
    user = response.wsgi_request.user
    user.person.refresh_from_db()
    assert user.person.reminders_opt_out is True


def test_anonymous_cannot_set_a_reminder_preference(client, member_user):
    before = database_state()

    response = client.post(reverse("actions:reminders"), {"reminders": "off"})

    assert response["Location"].startswith("/accounts/login/")
    assert database_state() == before


def test_a_missing_action_answers_404(member_client, staff_client):
    assert member_client.get(reverse("actions:detail", args=[999999])).status_code == 404
    assert staff_client.get(reverse("actions:edit", args=[999999])).status_code == 404


def test_a_signed_in_user_with_no_portal_role_sees_no_actions(client, action):
    client.force_login(UserFactory(email="nobody@example.org"))

    assert client.get(reverse("actions:list")).status_code == 403
    assert client.get(reverse("actions:export_csv")).status_code == 403
    assert client.get(reverse("actions:detail", args=[action.pk])).status_code == 404


def test_an_owner_cannot_update_an_action_once_it_is_reassigned(
    member_client, action, other_member_user
):
    Action.objects.filter(pk=action.pk).update(owner=other_member_user.person)
    before = database_state()

    response = member_client.post(
        reverse("actions:update", args=[action.pk]),
        {f"action-{action.pk}-status": "done", f"action-{action.pk}-text": "Done."},
    )

    assert response.status_code == 403
    assert database_state() == before


@pytest.mark.parametrize(
    ("url_name", "fixture"),
    [("actions:reopen", "done_action"), ("actions:log_at_meeting", "meeting")],
)
def test_post_only_urls_reject_get(request, staff_client, url_name, fixture):
    obj = request.getfixturevalue(fixture)

    assert staff_client.get(reverse(url_name, args=[obj.pk])).status_code == 405


def test_reminder_preference_rejects_get(member_client):
    assert member_client.get(reverse("actions:reminders")).status_code == 405


@pytest.mark.parametrize("url_name", ["actions:list", "actions:mine", "actions:export_csv"])
def test_read_only_pages_reject_post(staff_client, url_name):
    assert staff_client.post(reverse(url_name)).status_code == 405
