"""The ToR page's published versions, a page at a time: a group publishes a version at
every yearly review and whenever its ToR changes, so the list only grows."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import london
from tracker.models import TorVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def may_2024(clock):
    clock.move_to(london(2024, 5, 14, 9))


def _publish(group, count: int, start: int = 1) -> None:
    for n in range(start, start + count):
        TorVersion.objects.create(
            group=group,
            version=f"V{n}",
            published=dt.date(2000 + n % 20, 1, 1),
            content={},
            published_at=london(2000, 1, 1) + dt.timedelta(days=n),
        )


def test_the_published_versions_show_25_a_page(working_group, member_client):
    _publish(working_group, 30)
    page = reverse("tor:group", args=[working_group.pk])

    first = member_client.get(page).content.decode()
    second = member_client.get(f"{page}?page=2").content.decode()

    assert ">V30</a>" in first
    assert ">V6</a>" in first
    assert ">V5</a>" not in first
    assert "Page 1 of 2" in first
    assert ">V5</a>" in second
    assert ">V1</a>" in second
    assert ">V6</a>" not in second


def test_the_query_count_does_not_grow_with_versions(
    working_group, staff_client, django_assert_num_queries
):
    page = reverse("tor:group", args=[working_group.pk])
    _publish(working_group, 2)
    staff_client.get(page)  # the session and roles are read once either way
    with django_assert_num_queries(15) as small:
        staff_client.get(page)

    _publish(working_group, 40, start=3)
    with django_assert_num_queries(len(small.captured_queries)):
        staff_client.get(page)
