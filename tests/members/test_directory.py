import datetime as dt

import pytest

from tests.factories import AgencyFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def police():
    return AgencyFactory(name="Police", short_name="Police", order=1)


@pytest.fixture
def fire():
    return AgencyFactory(name="Fire and Rescue", short_name="Fire", order=2)


def test_it_lists_each_agency_with_a_count_of_its_seats(member_client, police, fire):
    group = GroupFactory(name="Data Working Group")
    MembershipFactory.create_batch(3, group=group, agency=police)
    MembershipFactory(group=group, agency=fire, role_title="Station manager", person=None)
    MembershipFactory(group=group, agency=fire, end_date=dt.date(2020, 1, 1))
    MembershipFactory(group=GroupFactory(is_active=False), agency=fire)

    content = member_client.get("/members/").content.decode()

    assert "3 seats<span" in content
    assert "1 seat<span" in content  # the ended seat and the closed group's are left out
    assert "Station manager" in content
    assert "<em>vacant</em>" in content


def test_the_seats_show_25_a_page(member_client, police):
    group = GroupFactory()
    for n in range(30):  # with the member's own seat, listed first, 31 in all
        MembershipFactory(group=group, agency=police, role_title=f"Seat {n:02}", order=n)

    first = member_client.get("/members/").content.decode()
    second = member_client.get("/members/?page=2").content.decode()

    assert "Seat 23" in first
    assert "Seat 24" not in first
    assert "Page 1 of 2" in first
    assert "Seat 24" in second
    assert "Seat 29" in second
    assert "Seat 23" not in second


def test_choosing_an_agency_shows_its_seats_and_keeps_it_across_pages(member_client, police, fire):
    group = GroupFactory()
    for n in range(30):
        MembershipFactory(group=group, agency=police, role_title=f"Seat {n:02}", order=n)
    MembershipFactory(group=group, agency=fire, role_title="Station manager")

    content = member_client.get(f"/members/?agency={fire.pk}").content.decode()
    assert "Seats of Fire and Rescue" in content
    assert "Station manager" in content
    assert "Seat 00" not in content

    content = member_client.get(f"/members/?agency={police.pk}").content.decode()
    assert f"?agency={police.pk}&amp;page=2" in content


def test_the_query_count_does_not_grow_with_seats(
    member_client, police, fire, django_assert_num_queries
):
    MembershipFactory(agency=police)
    member_client.get("/members/")  # the session and roles are read once either way
    with django_assert_num_queries(7) as small:
        member_client.get("/members/")

    for _ in range(40):
        MembershipFactory(agency=fire)
    with django_assert_num_queries(len(small.captured_queries)):
        member_client.get("/members/")
