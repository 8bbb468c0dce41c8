import re

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionUpdate
from tests.actions.conftest import database_state

pytestmark = pytest.mark.django_db


def _url(action):
    return reverse("actions:update", args=[action.pk])


def _data(action, *, status, text="", version=None, **extra):
    prefix = f"action-{action.pk}-"
    return {
        f"{prefix}status": status,
        f"{prefix}text": text,
        f"{prefix}version": action.version if version is None else version,
        **extra,
    }


def test_the_owner_posts_progress_and_moves_it_to_in_progress(member_client, member_user, action):
    response = member_client.post(
        _url(action), _data(action, status="in_progress", text="Draft with comms team.")
    )

    action.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:detail", args=[action.pk])
    assert action.status == Action.Status.IN_PROGRESS
    update = action.updates.latest("pk")
    assert (update.author, update.author_name) == (member_user, "Owner")
    assert (update.old_status, update.new_status) == ("open", "in_progress")
    assert update.text == "Draft with comms team."


def test_a_note_alone_keeps_the_status(member_client, action):
    member_client.post(_url(action), _data(action, status="open", text="Waiting on partners."))

    action.refresh_from_db()
    update = action.updates.latest("pk")
    assert action.status == "open"
    assert (update.text, update.new_status) == ("Waiting on partners.", "")


def test_marking_done_needs_a_completion_note(member_client, action):
    before = database_state()

    response = member_client.post(_url(action), _data(action, status="done"), follow=True)

    assert response.status_code == 200
    assert "Write a short completion note" in response.content.decode()
    assert database_state() == before


def test_marking_done_with_a_note_completes_it_today(member_client, action):
    response = member_client.post(
        _url(action),
        _data(action, status="done", text="Guidelines published.", return_to="mine"),
        follow=True,
    )

    action.refresh_from_db()
    # A finished action's row is in the finished list, opened to show it.
    assert response.redirect_chain[-1][0] == (
        f"{reverse('actions:mine')}?posted={action.pk}#action-{action.pk}"
    )
    assert "Marked done" in response.content.decode()
    assert '<details class="mt-4" id="finished" open>' in response.content.decode()
    assert action.status == Action.Status.DONE
    assert action.completed_on == timezone.localdate()
    assert action.updates.latest("pk").text == "Guidelines published."


def test_an_empty_update_is_refused(member_client, action):
    before = database_state()

    response = member_client.post(_url(action), _data(action, status="open"))

    assert "Write an update, or change the status." in response.content.decode()
    assert database_state() == before


def test_status_only_moves_forward(member_client, action):
    Action.objects.filter(pk=action.pk).update(status="in_progress")
    action.refresh_from_db()
    before = database_state()

    response = member_client.post(_url(action), _data(action, status="open", text="Back."))

    assert "Select a valid choice" in response.content.decode()
    assert database_state() == before


def test_a_closed_action_takes_no_updates(member_client, done_action):
    before = database_state()

    response = member_client.post(
        _url(done_action), _data(done_action, status="done", text="More.")
    )

    content = response.content.decode()
    assert "so it takes no more updates" in content
    assert "What you wrote, which was not saved:" in content
    assert database_state() == before


def test_a_stale_update_is_refused_with_the_current_version_shown(
    member_client, staff_client, action
):
    staff_client.post(
        reverse("actions:cancel", args=[action.pk]),
        {"reason": "No longer needed.", "version": action.version},
    )
    before = database_state()

    response = member_client.post(
        _url(action), _data(action, status="in_progress", text="Started.")
    )

    content = response.content.decode()
    assert response.status_code == 409
    assert database_state() == before
    assert "Somebody else changed this action" in content
    assert "The action is now cancelled" in content
    assert "No longer needed." in content
    assert "Started." in content  # what they wrote is not lost


def test_the_update_page_also_works_on_its_own(member_client, action):
    response = member_client.get(_url(action))

    assert response.status_code == 200
    assert f'name="action-{action.pk}-text"' in response.content.decode()
    assert ActionUpdate.objects.filter(action=action).count() == 0


def test_a_stale_update_keeps_what_was_written_without_false_errors(
    member_client, staff_client, action
):
    """Staff moved the action on meanwhile: the owner's form, opened on "open", comes
    back with their note and only the conflict message, not a "valid choice" error."""
    staff_client.post(_url(action), _data(action, status="in_progress", text="Staff started."))
    before = database_state()

    response = member_client.post(_url(action), _data(action, status="open", text="My news."))

    content = response.content.decode()
    assert response.status_code == 409
    assert database_state() == before
    assert "Somebody else changed this action" in content
    assert "My news." in content
    assert "Select a valid choice" not in content
    assert "is-invalid" not in content
    assert f'name="action-{action.pk}-version" value="{action.version + 1}"' in content


def test_a_very_long_update_is_refused_and_kept(member_client, action):
    before = database_state()
    essay = "word " * 2000

    response = member_client.post(_url(action), _data(action, status="open", text=essay))

    assert "Ensure this value has at most" in response.content.decode()
    assert database_state() == before


def test_a_refused_update_marks_the_note_for_assistive_technology(member_client, action):
    """The progress form's fields are drawn without crispy-forms, in the same markup."""
    response = member_client.post(_url(action), _data(action, status="done"))

    content = response.content.decode()
    note = f"id_action-{action.pk}-text"
    textarea = re.search(rf'<textarea name="action-{action.pk}-text"[^>]*>', content).group()
    assert 'class="textarea form-control is-invalid"' in textarea
    assert 'aria-invalid="true"' in textarea
    assert f'aria-describedby="{note}_helptext {note}_error"' in textarea
    assert f'<div id="{note}_error" class="invalid-feedback">' in content
    assert f'href="#{note}">Progress update: Write a short completion note' in content
    status = rf'<label\s+for="id_action-{action.pk}-status" class="form-label requiredField">'
    assert re.search(status, content)
