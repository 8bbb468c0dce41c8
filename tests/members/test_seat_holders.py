"""Who a group's emails go to: one list of its seat holders (members/selectors.py),
used by invitations, action notes and the quarterly update to the SVRP."""

import datetime as dt

import pytest

from members.models import Membership
from members.selectors import group_seat_holders, seat_holders
from tests.factories import GroupFactory, MembershipFactory, PersonFactory, london

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(clock):
    clock.move_to(london(2024, 5, 14, 9))
    group = GroupFactory()
    for name, email in (("Łucja Wójcik", "lucja@example.org"), ("Ann Lee", "ann@example.org")):
        MembershipFactory(group=group, person=PersonFactory(full_name=name, email=email))
    MembershipFactory(group=group, person=None)
    MembershipFactory(group=group, person=PersonFactory(full_name="Gone", is_active=False))
    MembershipFactory(group=group, person=PersonFactory(full_name="No address", email=""))
    MembershipFactory(
        group=group,
        person=PersonFactory(full_name="Left", email="left@example.org"),
        end_date=dt.date(2024, 5, 13),
    )
    return group


def test_reachable_seats_have_an_active_holder_with_an_email(group):
    holders = (
        Membership.objects.filter(group=group)
        .reachable()
        .values_list("person__full_name", flat=True)
    )

    assert sorted(holders) == ["Ann Lee", "Left", "Łucja Wójcik"]


def test_a_groups_seat_holders_are_its_current_reachable_people_once_each_by_name(group):
    ann = group.memberships.get(person__email="ann@example.org").person
    MembershipFactory(group=group, person=ann, role_title="A second seat")
    MembershipFactory(person=PersonFactory(email="elsewhere@example.org"))

    people = group_seat_holders(group.pk)

    assert [(p.full_name, p.email) for p in people] == [
        ("Ann Lee", "ann@example.org"),
        ("Łucja Wójcik", "lucja@example.org"),
    ]


def test_seat_holders_of_any_seats_leave_out_those_nobody_can_reach(group):
    assert seat_holders(Membership.objects.filter(group=group, person__full_name="Gone")) == []
