import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.tracker.fixtures import add_volume

pytestmark = pytest.mark.django_db


def test_it_requires_sign_in(client):
    response = client.get("/tracker/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_members_see_activities_recommendations_and_measures(member_client, quarter_data):
    response = member_client.get("/tracker/")

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert "<title>Tracker – VRP portal</title>" in content
    # Linked actions today: the logo and the map are done, the website is open.
    assert '<th scope="row">3.a</th>' in content
    assert "1 open, 2 done" in content
    assert "Invest in community mapping" in content
    assert "Community map published" in content
    assert "20 May 2024" in content
    assert "ToR revision due:" in content
    assert f'href="/tracker/measures/{quarter_data.views.pk}/"' in content
    assert '<td data-label="Latest value" class="text-md-end">1,250</td>' in content
    assert "Above target (met)" in content
    assert "Above target (not met)" in content


def test_members_get_no_edit_forms(member_client, quarter_data):
    content = member_client.get("/tracker/").content.decode()

    assert "/tracker/activities/" not in content
    assert "/tracker/crest/" not in content


def test_staff_get_a_form_for_each_activity_and_recommendation(staff_client, quarter_data):
    content = staff_client.get("/tracker/").content.decode()

    assert f'action="/tracker/activities/{quarter_data.activity.pk}/"' in content
    assert content.count('action="/tracker/activities/') == 3
    assert f'action="/tracker/crest/{quarter_data.crest.pk}/"' in content
    assert (
        f'<label for="id_toc-{quarter_data.activity.pk}-status" class="visually-hidden">' in content
    )


def test_the_tor_revision_notice_is_absent_until_a_recommendation_is_achieved(
    member_client, working_group
):
    content = member_client.get("/tracker/").content.decode()

    assert "ToR revision due:" not in content
    assert "No Crest recommendation is tracked." in content


def test_a_measure_without_values_says_so(member_client, quarter_data):
    quarter_data.views.values.all().delete()

    content = member_client.get("/tracker/").content.decode()

    assert "No value yet" in content


def test_it_costs_the_same_queries_whatever_the_data(
    staff_client, working_group, django_assert_num_queries
):
    add_volume(working_group, 2)
    with CaptureQueriesContext(connection) as small:
        staff_client.get("/tracker/")
    add_volume(working_group, 20)

    with django_assert_num_queries(len(small)):
        response = staff_client.get("/tracker/")

    assert len(response.context["activities"]) == 22


def test_the_tor_is_due_for_revision_for_each_reason_said_as_the_update_says_it(
    member_client, quarter_data
):
    """An achieved recommendation and a passed review date (31 March 2024) both count."""
    content = " ".join(member_client.get("/tracker/").content.decode().split())

    assert (
        "<strong>ToR revision due:</strong> A Crest recommendation has been achieved. "
        "The review date, 31 March 2024, has passed. The Terms of Reference of the "
        "Communications Working Group must be revised."
    ) in content
