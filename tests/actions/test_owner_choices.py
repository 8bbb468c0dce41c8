"""The action forms' owner select lists the group's people and the one chosen, never
everybody; anybody active is still accepted, found by name (`/actions/owners/?active=1`)."""

import re

import pytest
from django.urls import reverse

from actions.models import Action
from members.models import Person
from tests.factories import (
    ActionFactory,
    GroupFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

NEW = reverse("actions:new")
OWNERS = reverse("actions:owners")


def _offered(content: str, select_name: str) -> list[str]:
    """The names the owner select offers, in order, its empty choice left out."""
    select = re.search(rf'<select name="{select_name}".*?</select>', content, re.S).group()
    return [name.strip() for name in re.findall(r'<option value="\d+"[^>]*>(.*?)</option>', select)]


@pytest.fixture
def youth():
    """A group with two people on it, and a third person on no group at all."""
    group = GroupFactory(name="Youth Working Group")
    MembershipFactory(group=group, person=PersonFactory(full_name="Ade Bello"))
    MembershipFactory(group=group, person=PersonFactory(full_name="Cara Dunn"))
    PersonFactory(full_name="Elif Ford")
    return group


def test_a_bare_new_action_lists_nobody_but_offers_the_search(staff_client, youth):
    content = staff_client.get(NEW).content.decode()

    assert _offered(content, "owner") == []
    assert "Nobody is listed until the group is chosen" in content
    assert 'aria-describedby="id_owner_helptext"' in content
    assert '<label class="form-label" for="id_owner-search">Find a person</label>' in content
    assert 'aria-describedby="id_owner-search-help"' in content
    assert f'data-owner-url="{OWNERS}?active=1"' in content


def test_find_with_an_empty_box_lists_the_chosen_groups_people(staff_client, youth):
    response = staff_client.post(NEW, {"title": "x", "group": youth.pk, "find_owner": "1"})

    assert sorted(_offered(response.content.decode(), "owner")) == ["Ade Bello", "Cara Dunn"]


def test_find_offers_twenty_matches_at_most(staff_client, youth):
    PersonFactory.create_batch(25, full_name="Sam Jones")

    response = staff_client.post(NEW, {"title": "x", "owner_search": "sam", "find_owner": "1"})

    assert _offered(response.content.decode(), "owner") == ["Sam Jones"] * 20


def test_a_new_action_may_go_to_anybody_active_found_by_name(staff_client, youth):
    elif_ford = Person.objects.get(full_name="Elif Ford")

    response = staff_client.post(
        NEW, {"title": "Brief the panel", "group": youth.pk, "owner": elif_ford.pk}
    )

    assert response.status_code == 302
    assert Action.objects.get().owner == elif_ford


def test_a_form_shown_again_with_errors_keeps_the_owner_picked(staff_client, youth):
    elif_ford = Person.objects.get(full_name="Elif Ford")

    response = staff_client.post(NEW, {"title": "", "group": youth.pk, "owner": elif_ford.pk})

    content = response.content.decode()
    assert response.status_code == 200 and not Action.objects.exists()
    assert sorted(_offered(content, "owner")) == ["Ade Bello", "Cara Dunn", "Elif Ford"]
    assert f'<option value="{elif_ford.pk}" selected>Elif Ford</option>' in content


def test_a_person_who_left_is_refused_though_named(staff_client, youth):
    gone = PersonFactory(full_name="Gone Away", is_active=False)

    response = staff_client.post(NEW, {"title": "x", "group": youth.pk, "owner": gone.pk})

    assert response.status_code == 200 and not Action.objects.exists()
    assert "Select a valid choice" in response.content.decode()


def test_the_meeting_form_takes_an_active_owner_from_another_group(staff_client, youth):
    meeting = MeetingFactory(group=youth)
    elif_ford = Person.objects.get(full_name="Elif Ford")

    response = staff_client.post(
        reverse("actions:log_at_meeting", args=[meeting.pk]),
        {"log-title": "Invite the youth panel", "log-owner": elif_ford.pk},
    )

    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.owner, action.meeting, action.group) == (elif_ford, meeting, youth)


def test_edit_keeps_an_owner_who_has_since_left_the_group(staff_client, youth):
    seat = MembershipFactory(group=youth, person=PersonFactory(full_name="Hana Ito"))
    action = ActionFactory(group=youth, owner=seat.person)
    seat.end_date = "2020-01-01"
    seat.save()

    content = staff_client.get(reverse("actions:edit", args=[action.pk])).content.decode()

    assert sorted(_offered(content, "owner")) == ["Ade Bello", "Cara Dunn", "Hana Ito"]
    assert f'<option value="{seat.person_id}" selected>Hana Ito</option>' in content


def test_edit_keeps_an_owner_who_is_no_longer_active(staff_client, youth):
    gone = PersonFactory(full_name="Ivo Jansen")
    action = ActionFactory(group=youth, owner=gone)
    gone.is_active = False
    gone.save()

    content = staff_client.get(reverse("actions:edit", args=[action.pk])).content.decode()

    assert "Ivo Jansen" in _offered(content, "owner")
    assert f'<option value="{gone.pk}" selected>Ivo Jansen</option>' in content


def test_the_owner_search_for_the_forms_answers_active_people_only(staff_client):
    PersonFactory(full_name="Kim Lowe")
    PersonFactory(full_name="Kim Moss", is_active=False)

    for_forms = staff_client.get(OWNERS, {"q": "kim", "active": "1"}).json()
    for_log = staff_client.get(OWNERS, {"q": "kim"}).json()

    assert [person["name"] for person in for_forms["results"]] == ["Kim Lowe"]
    assert [person["name"] for person in for_log["results"]] == ["Kim Lowe", "Kim Moss"]
