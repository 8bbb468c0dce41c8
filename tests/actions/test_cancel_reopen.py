import pytest
from django.urls import reverse

from actions.models import Action
from tests.actions.conftest import database_state

pytestmark = pytest.mark.django_db


def test_staff_cancel_with_a_reason_and_the_action_stays_in_the_log(
    staff_client, member_client, action
):
    response = staff_client.post(
        reverse("actions:cancel", args=[action.pk]),
        {"reason": "Merged into the website action.", "version": action.version},
        follow=True,
    )

    action.refresh_from_db()
    assert "It stays in the log." in response.content.decode()
    assert action.status == Action.Status.CANCELLED
    assert action.cancelled_reason == "Merged into the website action."
    note = action.updates.latest("pk")
    assert (note.old_status, note.new_status) == ("open", "cancelled")
    log = member_client.get(reverse("actions:list"), {"status": "cancelled"})
    assert [a.pk for a in log.context["page_obj"]] == [action.pk]


def test_cancelling_needs_a_reason(staff_client, action):
    before = database_state()

    response = staff_client.post(
        reverse("actions:cancel", args=[action.pk]), {"reason": "", "version": action.version}
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert database_state() == before


def test_a_done_action_cannot_be_cancelled(staff_client, done_action):
    before = database_state()

    response = staff_client.post(
        reverse("actions:cancel", args=[done_action.pk]),
        {"reason": "Oops.", "version": done_action.version},
    )

    assert "already done" in response.content.decode()
    assert database_state() == before


def test_a_stale_cancel_is_refused(staff_client, member_client, action):
    member_client.post(
        reverse("actions:update", args=[action.pk]),
        {
            f"action-{action.pk}-status": "in_progress",
            f"action-{action.pk}-text": "On it.",
            f"action-{action.pk}-version": action.version,
        },
    )
    before = database_state()

    response = staff_client.post(
        reverse("actions:cancel", args=[action.pk]),
        {"reason": "Not needed.", "version": action.version},
    )

    assert response.status_code == 409
    assert "The action is now in progress" in response.content.decode()
    assert database_state() == before


def test_staff_reopen_a_done_action(staff_client, done_action):
    response = staff_client.post(
        reverse("actions:reopen", args=[done_action.pk]), {"version": done_action.version}
    )

    done_action.refresh_from_db()
    assert response.status_code == 302
    assert done_action.status == Action.Status.OPEN
    assert done_action.completed_on is None
    assert done_action.updates.latest("pk").new_status == "open"


def test_reopening_an_open_action_changes_nothing(staff_client, action):
    before = database_state()

    response = staff_client.post(
        reverse("actions:reopen", args=[action.pk]), {"version": action.version}, follow=True
    )

    assert "already open" in response.content.decode()
    assert database_state() == before


def test_a_stale_reopen_is_refused(staff_client, done_action):
    before = database_state()

    response = staff_client.post(
        reverse("actions:reopen", args=[done_action.pk]),
        {"version": done_action.version - 1 if done_action.version > 1 else 99},
        follow=True,
    )

    assert "Somebody else changed this action" in response.content.decode()
    assert database_state() == before


def test_a_very_long_reason_is_refused(staff_client, action):
    before = database_state()

    response = staff_client.post(
        reverse("actions:cancel", args=[action.pk]),
        {"reason": "x" * 5001, "version": action.version},
    )

    assert "Ensure this value has at most" in response.content.decode()
    assert database_state() == before
