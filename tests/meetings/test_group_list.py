import pytest

from tests.factories import GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _working_groups(count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        group = GroupFactory(name=f"Group {n:02}")
        GroupFactory(kind="task_finish", parent=group, name=f"Group {n:02} T&F")
        MembershipFactory(group=group)


def test_the_groups_page_shows_25_working_groups_a_page(staff_client):
    _working_groups(30)  # with the staff member's own working group, 31 in all

    first = staff_client.get("/meetings/groups/").content.decode()
    second = staff_client.get("/meetings/groups/?page=2").content.decode()

    assert "Group 23 T&amp;F" in first
    assert "Group 24" not in first
    assert "Page 1 of 2" in first
    assert 'href="?page=2"' in first
    assert "Group 24 T&amp;F" in second
    assert "Group 29 T&amp;F" in second
    assert "Group 23" not in second


def test_the_groups_page_query_count_does_not_grow_with_groups(
    staff_client, django_assert_num_queries
):
    _working_groups(3)
    staff_client.get("/meetings/groups/")  # the session and roles are read once either way
    with django_assert_num_queries(8) as small:
        staff_client.get("/meetings/groups/")

    _working_groups(40, start=3)
    with django_assert_num_queries(len(small.captured_queries)):
        staff_client.get("/meetings/groups/")
