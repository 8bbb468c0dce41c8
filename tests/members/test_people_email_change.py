"""A changed email takes effect only once the new address confirms it; both are told."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from core.models import AccountEvent
from core.permissions import MEMBER
from members.models import Person
from tests.factories import PASSWORD, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _edit(client, person, **changes):
    data = {
        "full_name": person.full_name,
        "email": person.email,
        "job_title": person.job_title,
        "agency": person.agency_id,
        "role": MEMBER,
        # The edit page as opened now carries the person's current version.
        "version": Person.objects.values_list("version", flat=True).get(pk=person.pk),
        **changes,
    }
    return client.post(f"/members/people/{person.pk}/edit/", data, follow=True)


def _confirmation_path(message) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(/accounts/confirm-email/\S+/)", message.body)[1]


def test_a_new_email_waits_for_confirmation_and_both_addresses_are_told(
    staff_client, staff_user, member_user
):
    person = member_user.person

    response = _edit(staff_client, person, email="Olive.Owner@IOW.example.org")

    person.refresh_from_db()
    member_user.refresh_from_db()
    assert person.email == member_user.email == "owner@example.org"
    assert "once they confirm it" in response.content.decode()
    recipients = sorted(tuple(message.to) for message in mail.outbox)
    assert recipients == [("olive.owner@iow.example.org",), ("owner@example.org",)]
    notice = next(m for m in mail.outbox if m.to == ["owner@example.org"])
    assert "olive.owner@iow.example.org" in notice.body
    event = AccountEvent.objects.get(kind=AccountEvent.Kind.EMAIL_CHANGE_REQUESTED)
    assert (event.subject, event.actor) == (member_user, staff_user)
    page = staff_client.get(f"/members/people/{person.pk}/").content.decode()
    assert "Changing to olive.owner@iow.example.org once they confirm it" in page


def test_the_change_happens_when_the_new_address_confirms_it(client, staff_client, member_user):
    person = member_user.person
    _edit(staff_client, person, email="olive.owner@iow.example.org")
    confirmation = next(m for m in mail.outbox if m.to == ["olive.owner@iow.example.org"])
    mail.outbox.clear()

    client.post(_confirmation_path(confirmation))

    person.refresh_from_db()
    member_user.refresh_from_db()
    assert person.email == member_user.email == "olive.owner@iow.example.org"
    assert [message.to for message in mail.outbox] == [["owner@example.org"]]
    assert AccountEvent.objects.filter(
        subject=member_user, kind=AccountEvent.Kind.EMAIL_CHANGED
    ).exists()
    assert Client().login(username="olive.owner@iow.example.org", password=PASSWORD)
    assert list(EmailAddress.objects.filter(user=member_user).values_list("email", flat=True)) == [
        "olive.owner@iow.example.org"
    ]


def test_a_password_reset_never_goes_to_an_address_still_waiting_for_confirmation(
    client, staff_client, member_user
):
    """Found: staff changed the email, reset the password there and took the account."""
    _edit(staff_client, member_user.person, email="attacker@example.org")
    mail.outbox.clear()

    client.post("/accounts/password/reset/", {"email": "attacker@example.org"})

    assert mail.outbox == []


def test_a_person_without_an_account_has_their_email_changed_at_once(staff_client):
    person = PersonFactory(email="noel@example.org")

    _edit(staff_client, person, email="noel.new@example.org")

    person.refresh_from_db()
    assert person.email == "noel.new@example.org"
    assert mail.outbox == []


def test_staff_cannot_deactivate_the_chair_but_a_superuser_can(client, staff_client, chair_user):
    url = f"/members/people/{chair_user.person.pk}/deactivate/"

    refused = staff_client.post(url)
    chair_user.refresh_from_db()
    assert refused.status_code == 403
    assert chair_user.is_active

    client.force_login(UserFactory(email="root@example.org", is_superuser=True, is_staff=True))
    client.post(url)
    chair_user.refresh_from_db()
    assert not chair_user.is_active
    assert AccountEvent.objects.filter(
        subject=chair_user, kind=AccountEvent.Kind.DEACTIVATED
    ).exists()
