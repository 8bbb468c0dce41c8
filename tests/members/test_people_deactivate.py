"""Deactivating and reactivating a person: nobody is deleted, seats stay to be ended."""

import pytest

from members.models import Membership, Person
from tests.factories import PASSWORD, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _deactivate(client, person, **kwargs):
    return client.post(f"/members/people/{person.pk}/deactivate/", **kwargs)


def _reactivate(client, person, **kwargs):
    return client.post(f"/members/people/{person.pk}/reactivate/", **kwargs)


def test_staff_deactivate_a_person_and_their_account(staff_client, member_user):
    person = member_user.person

    response = _deactivate(staff_client, person, follow=True)

    person.refresh_from_db()
    member_user.refresh_from_db()
    assert (person.is_active, member_user.is_active) == (False, False)
    assert response.redirect_chain[-1][0] == f"/members/people/{person.pk}/"
    content = response.content.decode()
    assert "Owner is deactivated and can no longer sign in. They still hold 1 seat" in content
    assert "Deactivated, but still holding 1 seat." in content
    assert "Reactivate Owner" in content


def test_nothing_is_deleted_and_the_seat_stays(staff_client, member_user):
    person = member_user.person
    seats = list(Membership.objects.filter(person=person))

    _deactivate(staff_client, person)

    assert Person.objects.filter(pk=person.pk).exists()
    assert list(Membership.objects.filter(person=person)) == seats


def test_a_deactivated_person_can_no_longer_sign_in_or_use_their_session(
    client, staff_client, member_client, member_user
):
    _deactivate(staff_client, member_user.person)

    assert not client.login(username="owner@example.org", password=PASSWORD)
    assert member_client.get("/members/people/")["Location"].startswith("/accounts/login/")


def test_staff_reactivate_a_person(client, staff_client, member_user):
    person = member_user.person
    _deactivate(staff_client, person)

    response = _reactivate(staff_client, person, follow=True)

    person.refresh_from_db()
    member_user.refresh_from_db()
    assert (person.is_active, member_user.is_active) == (True, True)
    assert "Owner is active again." in response.content.decode()
    assert client.login(username="owner@example.org", password=PASSWORD)


def test_a_person_without_an_account_can_be_deactivated_and_reactivated(staff_client):
    person = PersonFactory(full_name="Noel Noaccount")

    _deactivate(staff_client, person)
    person.refresh_from_db()
    assert person.is_active is False

    _reactivate(staff_client, person)
    person.refresh_from_db()
    assert person.is_active is True


def test_staff_cannot_deactivate_themselves(staff_client, staff_user):
    response = _deactivate(staff_client, staff_user.person, follow=True)

    staff_user.refresh_from_db()
    assert staff_user.is_active
    assert staff_user.person.is_active
    assert "You cannot deactivate your own account." in response.content.decode()


def test_deactivating_twice_says_so(staff_client, member_user):
    _deactivate(staff_client, member_user.person)

    response = _deactivate(staff_client, member_user.person, follow=True)

    assert "Owner is already deactivated." in response.content.decode()


def test_reactivating_an_active_person_says_so(staff_client, member_user):
    response = _reactivate(staff_client, member_user.person, follow=True)

    assert "Owner is already active." in response.content.decode()


def test_a_deactivated_person_shows_as_such_in_the_list(staff_client, member_user):
    _deactivate(staff_client, member_user.person)

    response = staff_client.get("/members/people/", {"state": "deactivated"})

    assert [person.full_name for person in response.context["page_obj"]] == ["Owner"]


def test_staff_cannot_deactivate_or_reactivate_an_administrator(staff_client):
    admin = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    person = PersonFactory(email="root@example.org", user=admin)

    assert _deactivate(staff_client, person).status_code == 403
    assert _reactivate(staff_client, person).status_code == 403
    assert staff_client.post(f"/members/people/{person.pk}/invite/").status_code == 403
    admin.refresh_from_db()
    assert admin.is_active and Person.objects.get(pk=person.pk).is_active
