"""Sending the invitation again, and inviting someone who has no account yet."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from core.permissions import CHAIR, MEMBER
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-quarterly-password-4-me"


def _url(person) -> str:
    return f"/members/people/{person.pk}/invite/"


@pytest.fixture
def invited(member_user):
    """The owner persona, who has not chosen a password yet."""
    member_user.set_unusable_password()
    member_user.save()
    return member_user.person


def _set_password_through(client, message) -> None:
    link = message.body.split("Choose your password here:")[1].split()[0]
    path = link.removeprefix("http://127.0.0.1:8000")
    set_password = client.get(path)["Location"]
    client.post(set_password, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


def test_staff_send_the_invitation_again(staff_client, invited):
    response = staff_client.post(_url(invited), follow=True)

    assert response.redirect_chain[-1][0] == f"/members/people/{invited.pk}/"
    assert "Invitation sent to Owner." in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["owner@example.org"]
    assert "/accounts/password/reset/key/" in message.body


def test_the_new_link_works_and_the_role_is_kept(client, staff_client, invited):
    staff_client.post(_url(invited), follow=True)

    _set_password_through(client, mail.outbox[0])

    assert client.login(username="owner@example.org", password=NEW_PASSWORD)
    assert list(invited.user.groups.values_list("name", flat=True)) == [MEMBER]


def test_inviting_someone_without_an_account_makes_one_in_the_chosen_role(client, staff_client):
    person = PersonFactory(full_name="Noel Noaccount", email="noel@example.org")

    response = staff_client.post(_url(person), {"role": CHAIR}, follow=True)

    person.refresh_from_db()
    assert person.user.email == "noel@example.org"
    assert list(person.user.groups.values_list("name", flat=True)) == [CHAIR]
    assert "Invitation sent to Noel Noaccount." in response.content.decode()
    _set_password_through(client, mail.outbox[0])
    assert client.login(username="noel@example.org", password=NEW_PASSWORD)


def test_a_missing_role_is_asked_for_and_nothing_is_made(staff_client):
    person = PersonFactory(full_name="Noel Noaccount")

    response = staff_client.post(_url(person), {"role": "Overlord"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    person.refresh_from_db()
    assert person.user is None
    assert mail.outbox == []


def test_an_account_with_the_same_email_is_not_duplicated(staff_client):
    UserFactory(email="noel@example.org")
    person = PersonFactory(full_name="Noel Noaccount", email="noel@example.org")
    users = get_user_model().objects.count()

    response = staff_client.post(_url(person), {"role": MEMBER}, follow=True)

    assert "already uses their email address" in response.content.decode()
    assert get_user_model().objects.count() == users
    assert mail.outbox == []


def test_someone_who_has_chosen_a_password_needs_no_invitation(staff_client, member_user):
    response = staff_client.post(_url(member_user.person), follow=True)

    assert "Owner has already chosen a password." in response.content.decode()
    assert mail.outbox == []


def test_a_deactivated_person_is_not_invited(staff_client, invited):
    invited.is_active = False
    invited.save()

    response = staff_client.post(_url(invited), follow=True)

    assert "reactivate them to send an invitation" in response.content.decode()
    assert mail.outbox == []


def test_invitations_to_one_address_are_throttled_to_three_an_hour(staff_client, invited):
    answers = [staff_client.post(_url(invited), follow=True) for _ in range(4)]

    assert [message.to for message in mail.outbox] == [["owner@example.org"]] * 3
    assert "Too many invitations have gone to Owner" in answers[-1].content.decode()


def test_one_client_sends_at_most_thirty_invitations_an_hour(staff_client):
    people = [PersonFactory(email=f"invitee{n}@example.org") for n in range(31)]

    for person in people:
        staff_client.post(_url(person), {"role": MEMBER})

    assert len(mail.outbox) == 30
    assert people[-1].email not in {message.to[0] for message in mail.outbox}
