import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionUpdate
from tests.actions.conftest import database_state
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _url(action):
    return reverse("actions:edit", args=[action.pk])


def _data(action, **changes):
    data = {
        "title": action.title,
        "detail": action.detail,
        "owner": action.owner_id,
        "agency": action.agency_id,
        "group": action.group_id,
        "meeting": action.meeting_id or "",
        "due_date": action.due_date.isoformat(),
        "version": action.version,
    }
    data.update(changes)
    return data


def test_staff_change_the_due_date_and_the_timeline_records_it(staff_client, action):
    new_date = dt.date(2030, 3, 5)

    response = staff_client.post(_url(action), _data(action, due_date=new_date.isoformat()))

    action.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:detail", args=[action.pk])
    assert action.due_date == new_date
    assert action.version == 2
    note = ActionUpdate.objects.filter(action=action).latest("pk")
    assert "Due date changed from" in note.text and "to 5 March 2030" in note.text


def test_reassigning_moves_the_action_to_the_new_owners_agency(
    staff_client, action, other_member_user
):
    newcomer = other_member_user.person

    staff_client.post(_url(action), _data(action, owner=newcomer.pk))

    action.refresh_from_db()
    assert action.owner == newcomer
    assert action.agency == newcomer.agency
    note = ActionUpdate.objects.filter(action=action).latest("pk")
    assert note.text.startswith(f"Reassigned from Owner to {newcomer.full_name}.")


def test_reassigning_keeps_an_agency_staff_chose(staff_client, action, other_member_user):
    chosen = AgencyFactory()

    staff_client.post(
        _url(action), _data(action, owner=other_member_user.person.pk, agency=chosen.pk)
    )

    action.refresh_from_db()
    assert action.agency == chosen


def test_saving_unchanged_writes_nothing(staff_client, action):
    before = database_state()

    response = staff_client.post(_url(action), _data(action), follow=True)

    assert "Nothing was changed." in response.content.decode()
    assert database_state() == before


def test_the_second_of_two_edits_is_refused_and_shown_the_current_version(staff_client, action):
    """Two staff open the edit form on version 1; the first saves, the second must not
    overwrite it."""
    started_from = _data(action)
    staff_client.post(_url(action), {**started_from, "title": "First editor's title"})
    before = database_state()

    response = staff_client.post(
        _url(action), {**started_from, "title": "Second editor's title", "due_date": "2031-01-01"}
    )

    content = response.content.decode()
    assert response.status_code == 409
    assert database_state() == before
    assert Action.objects.get(pk=action.pk).title == "First editor's title"
    assert "Somebody else changed this action" in content
    assert "The current version" in content
    assert "First editor&#x27;s title" in content  # what is saved now
    assert 'value="Second editor&#x27;s title"' in content  # what they typed, kept
    assert f'name="version" value="{action.version + 1}"' in content


def test_after_seeing_the_conflict_saving_again_applies_the_changes(staff_client, action):
    started_from = _data(action)
    staff_client.post(_url(action), {**started_from, "title": "First editor's title"})
    staff_client.post(_url(action), {**started_from, "title": "Second editor's title"})

    response = staff_client.post(
        _url(action), {**started_from, "title": "Second editor's title", "version": 2}
    )

    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).title == "Second editor's title"


def test_an_owners_update_meanwhile_also_refuses_a_stale_edit(staff_client, member_client, action):
    started_from = _data(action)
    member_client.post(
        reverse("actions:update", args=[action.pk]),
        {
            f"action-{action.pk}-status": "in_progress",
            f"action-{action.pk}-text": "On it.",
            f"action-{action.pk}-version": action.version,
        },
    )

    response = staff_client.post(
        _url(action), {**started_from, "due_date": (timezone.localdate().isoformat())}
    )

    assert response.status_code == 409
    action.refresh_from_db()
    assert action.status == "in_progress"
    assert action.due_date != timezone.localdate()


def test_a_conflict_names_every_field_that_differs(staff_client, action, other_member_user):
    started_from = _data(action)
    staff_client.post(_url(action), {**started_from, "title": "First editor's title"})

    response = staff_client.post(
        _url(action), {**started_from, "owner": other_member_user.person.pk}
    )

    rows = response.context["differences"]
    assert [row["label"] for row in rows] == ["Title", "Owner", "Agency"]
    assert '<th scope="row">None</th>' not in response.content.decode()


def test_a_very_long_detail_is_refused(staff_client, action):
    before = database_state()

    response = staff_client.post(_url(action), _data(action, detail="x" * 20_001))

    assert response.status_code == 200
    assert "Ensure this value has at most" in response.content.decode()
    assert database_state() == before
