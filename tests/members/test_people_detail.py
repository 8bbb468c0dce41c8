import datetime as dt
import re

import pytest
from django.utils import timezone

from actions.models import Action
from tests.factories import ActionFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(working_group):
    """A person with a current seat, an ended seat, two outstanding actions and a done one."""
    person = PersonFactory(
        full_name="Pat Police", email="pat@police.example.org", job_title="Press Officer"
    )
    MembershipFactory(
        group=working_group,
        agency=person.agency,
        person=person,
        role_title="Serious Violence Lead",
        position="chair",
    )
    MembershipFactory(
        group=working_group,
        agency=person.agency,
        person=person,
        role_title="Old seat",
        end_date=timezone.localdate() - dt.timedelta(days=1),
    )
    ActionFactory.create_batch(2, owner=person, group=working_group)
    ActionFactory(
        owner=person,
        group=working_group,
        status=Action.Status.DONE,
        completed_on=timezone.localdate(),
    )
    return person


def _url(person) -> str:
    return f"/members/people/{person.pk}/"


def test_members_see_the_name_job_agency_seats_and_outstanding_actions(member_client, person):
    response = member_client.get(_url(person))

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert "<title>Pat Police – VRP portal</title>" in content
    assert "Press Officer" in content
    assert person.agency.name in content
    assert "Communications Working Group: Serious Violence Lead" in content
    assert "(Chair)" in content
    assert "Old seat" not in content
    assert response.context["outstanding_actions"] == 2
    assert f'href="/actions/?owner={person.pk}"' in content
    assert f'href="/actions/?owner={person.pk}&amp;status=outstanding"' in content


def test_members_do_not_see_the_email_address_or_the_staff_buttons(member_client, person):
    content = member_client.get(_url(person)).content.decode()

    assert "pat@police.example.org" not in content
    assert "/edit/" not in content
    assert "/deactivate/" not in content
    assert "/invite/" not in content


def test_the_chair_does_not_see_the_email_address_either(chair_client, person):
    assert "pat@police.example.org" not in chair_client.get(_url(person)).content.decode()


def test_staff_see_the_email_role_and_management_buttons(staff_client, person):
    content = staff_client.get(_url(person)).content.decode()

    assert "pat@police.example.org" in content
    assert "None until they have an account" in content
    assert f'href="/members/people/{person.pk}/edit/"' in content
    assert f'action="/members/people/{person.pk}/invite/"' in content
    assert "Make an account and send an invitation" in content
    assert f'action="/members/people/{person.pk}/deactivate/"' in content
    assert "Deactivate Pat Police" in content
    assert "/reactivate/" not in content


def test_staff_are_offered_to_send_an_invitation_again_to_the_invited(staff_client, member_user):
    member_user.set_unusable_password()
    member_user.save()

    content = staff_client.get(_url(member_user.person)).content.decode()

    assert "Send the invitation again" in content
    assert re.search(r"Portal role</dt>\s*<dd[^>]*>\s*Member\s*</dd>", content)
    assert re.search(r"Account</dt>\s*<dd[^>]*>\s*Invited\s", content)


def test_staff_see_no_invitation_button_for_someone_already_signed_up(staff_client, member_user):
    content = staff_client.get(_url(member_user.person)).content.decode()

    assert "/invite/" not in content


def test_staff_are_not_offered_to_deactivate_themselves(staff_client, staff_user):
    content = staff_client.get(_url(staff_user.person)).content.decode()

    assert "/deactivate/" not in content


def test_a_person_with_no_actions_says_so(member_client, working_group):
    somebody = PersonFactory()

    content = member_client.get(_url(somebody)).content.decode()

    assert "No current seats." in content
    assert f"owner={somebody.pk}&amp;status=outstanding" not in content


def test_staff_can_go_from_a_seat_to_ending_or_reassigning_it(staff_client, member_client, person):
    seat = person.memberships.get(role_title="Serious Violence Lead")
    link = f"/meetings/groups/{seat.group_id}/seats/{seat.pk}/edit/"

    assert link in staff_client.get(_url(person)).content.decode()
    assert link not in member_client.get(_url(person)).content.decode()
    assert staff_client.get(link).status_code == 200
