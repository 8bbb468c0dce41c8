import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Meeting
from tests.factories import GroupFactory, london
from tests.tracker.fixtures import add_volume

pytestmark = pytest.mark.django_db

URL = "/reports/quarterly/2024-25/q1/"


def test_a_member_previews_the_update_with_its_figures(member_client, quarter_data):
    response = member_client.get(URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert "<h1>Quarterly SVRP update: 2024-25 Q1</h1>" in content
    assert "<title>Quarterly SVRP update: 2024-25 Q1 – VRP portal</title>" in content
    assert "<strong>Draft: live figures generated on " in content
    assert "Draft. Draft" not in content
    assert "Communications Working Group, April–June 2024" in content
    assert "Adopt the VRP brand guidelines" in content
    assert "Internal housekeeping" not in content
    assert "Old news from March" not in content
    views = f'<a href="/tracker/measures/{quarter_data.views.pk}/">4.1.1.a</a>'
    assert f'<th scope="row">{views}</th>' in content
    assert '<td data-label="This quarter" class="text-md-end">1,250</td>' in content
    assert "Above target (met)" in content
    # Due for revision, with every reason: an achieved recommendation and the passed review.
    assert "The Terms of Reference are due for revision:" in content
    assert "<li>A Crest recommendation has been achieved.</li>" in content
    assert "<li>The review date, 31 March 2024, has passed.</li>" in content


def test_each_row_links_to_the_page_that_holds_its_figures(member_client, quarter_data):
    april = Meeting.objects.get(starts_at=london(2024, 4, 1, 10))
    brief = quarter_data.actions["brief"]

    content = member_client.get(URL).content.decode()

    assert f'<a href="/meetings/{april.pk}/">1 April 2024</a>' in content
    assert f'<a href="/actions/{brief.pk}/">Brief partners on the brand</a>' in content
    assert '<th scope="row">All agencies</th>' in content


def test_the_attendance_of_each_group_links_to_its_monitoring_page(member_client, quarter_data):
    content = member_client.get(URL).content.decode()

    group = quarter_data.task_group.pk
    monitoring = f"/meetings/attendance/?group={group}&amp;start=2024-25+Q1&amp;end=2024-25+Q1"
    assert f'<a href="{monitoring}">Brand T&amp;F</a>' in content
    assert '<th scope="row">All groups</th>' in content


def test_a_review_date_that_has_passed_is_said(member_client, quarter_data):
    content = member_client.get(URL).content.decode()

    assert "The review date, 31 March 2024, has passed." in content


def test_a_review_date_still_to_come_is_not_called_passed(member_client, quarter_data):
    quarter_data.group.review_date = dt.date(2024, 6, 30)
    quarter_data.group.save()

    content = member_client.get(URL).content.decode()

    assert "has passed" not in content


def test_members_are_told_the_chair_downloads_it(member_client, quarter_data):
    content = member_client.get(URL).content.decode()

    assert "report.docx" not in content
    assert "Finalise the" not in content
    assert "The chair and VRU staff download and finalise the update." in content


def test_the_chair_sees_every_download_and_the_finalise_button(chair_client, quarter_data):
    content = chair_client.get(URL).content.decode()

    group = quarter_data.group.pk
    for extension in ("json", "docx", "pdf", "xlsx", "csv"):
        assert f'href="{URL}report.{extension}?group={group}"' in content
    assert "Finalise the 2024-25 Q1 update" in content


@pytest.mark.parametrize(
    "url",
    [
        "/reports/quarterly/2024-26/q1/",
        "/reports/quarterly/2024-25/q5/",
        "/reports/quarterly/24-25/q1/",
        "/reports/quarterly/2024-25/1/",
    ],
)
def test_a_quarter_that_does_not_exist_is_404(member_client, url):
    assert member_client.get(url).status_code == 404


def test_an_unknown_group_is_404(member_client, working_group):
    assert member_client.get(f"{URL}?group=999999").status_code == 404


def test_another_working_group_can_be_chosen(member_client, quarter_data):
    other = quarter_data.other_group

    response = member_client.get(f"{URL}?group={other.pk}")

    content = response.content.decode()
    assert "Another Working Group, April–June 2024" in content
    assert "Adopt the VRP brand guidelines" not in content
    assert "Another group&#x27;s news" in content
    assert 'id="group-picker"' in content


def test_a_task_and_finish_group_is_reported_under_its_working_group(member_client, quarter_data):
    response = member_client.get(f"{URL}?group={quarter_data.task_group.pk}")

    # Its own id shows its working group's update, which covers it (members.selectors).
    assert response.status_code == 200
    assert response.context["group"] == quarter_data.group


def test_the_preview_costs_the_same_queries_whatever_the_data(
    member_client, working_group, django_assert_num_queries
):
    add_volume(working_group, 2)
    with CaptureQueriesContext(connection) as small:
        assert member_client.get(URL).status_code == 200
    add_volume(working_group, 20)

    with django_assert_num_queries(len(small)):
        response = member_client.get(URL)

    assert response.content.decode().count("Key update") >= 22


def test_an_inactive_working_group_is_not_offered(member_client, working_group):
    GroupFactory(name="Old Working Group", is_active=False)

    content = member_client.get(URL).content.decode()

    assert 'id="group-picker"' not in content
