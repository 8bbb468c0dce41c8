import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.quarters import Quarter
from tests.factories import MeetingFactory, QuarterlyReportFactory, london
from tests.tracker.fixtures import add_volume

pytestmark = pytest.mark.django_db


def test_it_lists_the_quarters_with_data_newest_first(member_client, quarter_data):
    response = member_client.get("/reports/quarterly/")

    quarters = [row["quarter"] for row in response.context["page_obj"]]
    # Meetings and actions in Q2 (1 and 2 July), Q1 and Q4; a measure value in 2023-24 Q1.
    assert quarters == [Quarter(2024, 2), Quarter(2024, 1), Quarter(2023, 4), Quarter(2023, 1)]
    content = response.content.decode()
    assert content.count("<h1") == 1
    group = quarter_data.group.pk
    assert f'href="/reports/quarterly/2024-25/q1/?group={group}">2024-25 Q1</a>' in content


def test_it_marks_which_quarters_are_finalised(member_client, chair_user, quarter_data):
    QuarterlyReportFactory(
        group=quarter_data.group,
        year=2023,
        quarter=4,
        finalised_by=chair_user,
        content={"finalised": {"by": "Chair", "at": "2024-04-02T10:00:00+01:00"}},
    )

    content = member_client.get("/reports/quarterly/").content.decode()

    assert content.count("Finalised by Chair on") == 1
    assert content.count("Draft: not finalised") == 3


def test_it_says_when_no_quarter_has_data(member_client, working_group):
    content = member_client.get("/reports/quarterly/").content.decode()

    assert "No quarter has any meetings, actions or measure values yet." in content


def test_it_costs_the_same_queries_whatever_the_data(
    member_client, working_group, django_assert_num_queries
):
    add_volume(working_group, 2)
    with CaptureQueriesContext(connection) as small:
        member_client.get("/reports/quarterly/")
    add_volume(working_group, 20)

    with django_assert_num_queries(len(small)):
        member_client.get("/reports/quarterly/")


def test_a_quarter_still_to_come_is_not_called_a_draft(member_client, working_group):
    coming = Quarter.current().next()
    MeetingFactory(group=working_group, starts_at=london(coming.start.year, coming.start.month, 10))

    response = member_client.get("/reports/quarterly/")

    row = re.search(rf"{coming.label}</a>.*?</tr>", response.content.decode(), re.S).group(0)
    assert "Not started yet" in row
    assert "Draft" not in row
