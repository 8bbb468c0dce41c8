import pytest

from meetings.models import KeyUpdate
from tests.factories import KeyUpdateFactory

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
