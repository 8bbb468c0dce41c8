import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.permissions import MEMBER
from tests.factories import (
    AgencyFactory,
    GroupFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/members/people/"


def _invited_user(email):
    user = UserFactory(email=email, roles=[MEMBER])
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def people(working_group):
    """One person in each account state, two of them at the fire service."""
    fire = AgencyFactory(name="Hampshire Fire and Rescue")
    active = PersonFactory(
        full_name="Alex Active",
        email="alex@fire.example.org",
        job_title="Head of Communications",
        agency=fire,
        user=UserFactory(email="alex@fire.example.org", roles=[MEMBER]),
    )
    MembershipFactory(
        group=working_group,
        agency=fire,
        person=active,
        role_title="Corporate Communications Lead",
        position="vice_chair",
    )
    return {
        "active": active,
        "invited": PersonFactory(
            full_name="Ivy Invited",
            email="ivy@example.org",
            agency=fire,
            user=_invited_user("ivy@example.org"),
        ),
        "no_account": PersonFactory(full_name="Noel Noaccount", email="noel@example.org"),
        "deactivated": PersonFactory(
            full_name="Dee Deactivated",
            email="dee@example.org",
            is_active=False,
            user=UserFactory(email="dee@example.org", is_active=False),
        ),
    }


def _names(response) -> list[str]:
    return [person.full_name for person in response.context["page_obj"]]


def _row(content: str, name: str) -> str:
    match = re.search(rf"<tr>\s*<th scope=\"row\">\s*<a[^>]*>{name}</a>.*?</tr>", content, re.S)
    assert match, f"No row for {name}"
    return match.group(0)


def test_everyone_signed_in_sees_the_people_with_their_seats_and_account_state(
    member_client, people
):
    response = member_client.get(URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert "<title>People – VRP portal</title>" in content
    alex = _row(content, "Alex Active")
    assert "Head of Communications" in alex
    assert "Hampshire Fire and Rescue" in alex
    assert "Comms Working Group: Corporate Communications Lead (Vice-Chair)" in alex
    assert ">Active<" in alex
    assert ">Invited<" in _row(content, "Ivy Invited")
    assert ">No account<" in _row(content, "Noel Noaccount")
    assert ">Deactivated<" in _row(content, "Dee Deactivated")
    assert f'href="/members/people/{people["active"].pk}/"' in content


def test_members_see_no_email_addresses_and_no_add_button(member_client, people):
    content = member_client.get(URL).content.decode()

    assert "alex@fire.example.org" not in content
    assert "/members/people/new/" not in content


def test_staff_get_a_button_to_add_a_person(staff_client, people):
    content = staff_client.get(URL).content.decode()

    assert 'href="/members/people/new/"' in content


def test_it_links_the_other_members_pages(member_client, people):
    content = member_client.get(URL).content.decode()

    assert 'href="/members/"' in content
    assert 'href="/members/distribution-list/"' in content
    assert 'aria-current="page">People</a>' in content


def test_people_are_listed_by_name(member_client, people):
    names = _names(member_client.get(URL))

    assert names == sorted(names)
    assert {"Alex Active", "Ivy Invited", "Noel Noaccount", "Dee Deactivated"} <= set(names)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "ivy"}, ["Ivy Invited"]),
        ({"q": "ALEX act"}, ["Alex Active"]),
        ({"state": "active"}, None),
        ({"state": "invited"}, ["Ivy Invited"]),
        ({"state": "no_account"}, ["Noel Noaccount"]),
        ({"state": "deactivated"}, ["Dee Deactivated"]),
    ],
)
def test_search_and_filters_narrow_the_list(staff_client, people, query, expected):
    names = _names(staff_client.get(URL, query))

    if expected is None:  # the personas are active too
        assert "Alex Active" in names
        assert not {"Ivy Invited", "Noel Noaccount", "Dee Deactivated"} & set(names)
    else:
        assert names == expected


def test_it_filters_by_agency(member_client, people):
    fire = people["active"].agency

    names = _names(member_client.get(URL, {"agency": fire.pk}))

    assert names == ["Alex Active", "Ivy Invited"]


def test_staff_find_people_by_email(staff_client, people):
    assert _names(staff_client.get(URL, {"q": "fire.example"})) == ["Alex Active"]


def test_members_cannot_find_people_by_email(member_client, people):
    assert _names(member_client.get(URL, {"q": "fire.example"})) == []


def test_a_state_that_does_not_exist_is_shown_as_an_error_by_the_field(member_client, people):
    response = member_client.get(URL, {"state": "banished"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_it_paginates_by_25_and_keeps_filters_on_the_next_page(member_client, working_group):
    agency = AgencyFactory()
    PersonFactory.create_batch(30, agency=agency)

    first = member_client.get(URL, {"agency": agency.pk})
    second = member_client.get(URL, {"agency": agency.pk, "page": 2})

    assert len(first.context["page_obj"]) == 25
    assert len(second.context["page_obj"]) == 5
    assert f"?agency={agency.pk}&amp;page=2" in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()


def _people_with_seats(count: int) -> None:
    group = GroupFactory()
    for n in range(count):
        person = PersonFactory(user=UserFactory(roles=[MEMBER]) if n % 2 else None)
        MembershipFactory(group=group, agency=person.agency, person=person)
        # An ended seat is not shown, and must not cost a query either.
        MembershipFactory(
            group=group,
            agency=person.agency,
            person=person,
            end_date=timezone.localdate() - dt.timedelta(days=1),
        )


@pytest.mark.parametrize("persona", ["owner", "staff"])
def test_it_takes_the_same_number_of_queries_at_any_size(
    persona_clients, persona, django_assert_num_queries
):
    client = persona_clients[persona]
    _people_with_seats(2)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    _people_with_seats(20)

    with django_assert_num_queries(len(small)):
        response = client.get(URL)

    assert response.context["page_obj"].paginator.count == 4 + 22
