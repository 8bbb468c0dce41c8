import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import MeasureValueFactory, PerformanceMeasureFactory

pytestmark = pytest.mark.django_db


def url(measure) -> str:
    return f"/tracker/measures/{measure.pk}/"


def test_it_shows_the_measure_and_its_latest_value_in_words(member_client, quarter_data):
    response = member_client.get(url(quarter_data.views))

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert "<h1>4.1.1.a Views of the VRU website</h1>" in content
    assert "<title>4.1.1.a Views of the VRU website – VRP portal</title>" in content
    assert "Higher is better" in content
    assert "<strong>2024-25 Q1: 1,250 views</strong>" in content
    assert "Against the previous quarter: Up (improving)." in content
    assert "Against target: Above target (met)." in content


def test_the_table_gives_each_quarter_its_direction_and_status(member_client, quarter_data):
    response = member_client.get(url(quarter_data.views))

    rows = [
        (row["value"].period.label, row["value"].value, row["direction"], row["against_target"])
        for row in response.context["rows"]
    ]
    # 2023-24 Q2 and Q3 are missing: Q4 has no previous quarter to compare with.
    assert rows == [
        ("2023-24 Q1", 800, "No previous value", "Below target (not met)"),
        ("2023-24 Q4", 900, "No previous value", "Below target (not met)"),
        ("2024-25 Q1", 1250, "Up (improving)", "Above target (met)"),
    ]
    content = response.content.decode()
    assert '<th scope="row">2024-25 Q1</th>' in content
    assert "Brand launch" in content


def test_a_lower_is_better_measure_reads_a_rise_as_worsening(member_client, quarter_data):
    content = member_client.get(url(quarter_data.complaints)).content.decode()

    assert "Against the previous quarter: Up (worsening)." in content
    assert "Against target: Above target (not met)." in content


def test_the_trend_chart_is_an_svg_drawn_on_the_server_without_style_attributes(
    member_client, quarter_data
):
    content = member_client.get(url(quarter_data.views)).content.decode()

    svg = re.search(r"<svg.*?</svg>", content, re.S).group(0)
    assert 'role="img"' in svg
    assert f'aria-labelledby="measure-{quarter_data.views.pk}-chart-title' in svg
    assert "<title" in svg and "Trend of 4.1.1.a Views of the VRU website" in svg
    assert "Target 1,000" in svg
    assert svg.count("<circle") == 3
    assert "<title>2024-25 Q1: 1,250</title>" in svg
    assert "style=" not in content
    assert "<script>" not in content


def test_a_measure_without_values_has_no_chart(member_client, working_group):
    measure = PerformanceMeasureFactory(group=working_group)

    content = member_client.get(url(measure)).content.decode()

    assert "No value has been recorded yet." in content
    assert "<svg" not in content


def test_an_unknown_measure_is_404(member_client, working_group):
    assert member_client.get("/tracker/measures/999999/").status_code == 404


def test_members_get_no_forms_and_staff_do(member_client, staff_client, quarter_data):
    member = member_client.get(url(quarter_data.views)).content.decode()
    staff = staff_client.get(url(quarter_data.views)).content.decode()

    assert "Enter or correct a value" not in member
    assert "Import values from a CSV file" not in member
    assert "Enter or correct a value" in staff
    assert 'enctype="multipart/form-data"' in staff


def test_the_values_are_paged_and_the_chart_draws_the_page(member_client, working_group):
    measure = PerformanceMeasureFactory(group=working_group, target=None)
    for year in range(2010, 2014):
        for quarter in range(1, 5):
            MeasureValueFactory(measure=measure, year=year, quarter=quarter, value=year + quarter)

    first = member_client.get(url(measure))
    second = member_client.get(f"{url(measure)}?page=2")

    assert [r["value"].period.label for r in first.context["rows"]][0] == "2011-12 Q1"
    assert len(first.context["rows"]) == 12
    assert [r["value"].period.label for r in second.context["rows"]] == [
        "2010-11 Q1",
        "2010-11 Q2",
        "2010-11 Q3",
        "2010-11 Q4",
    ]
    # The oldest value on page 1 is compared with the newest on page 2.
    assert first.context["rows"][0]["direction"] == "Down (worsening)"
    assert second.content.decode().count("<circle") == 4
    assert "2013-14 Q4" in second.content.decode()  # the latest value, always shown


def test_it_costs_the_same_queries_whatever_the_data(
    staff_client, working_group, django_assert_num_queries
):
    measure = PerformanceMeasureFactory(group=working_group)
    MeasureValueFactory(measure=measure, year=2020, quarter=1)
    with CaptureQueriesContext(connection) as small:
        staff_client.get(url(measure))
    for year in range(2000, 2010):
        for quarter in range(1, 5):
            MeasureValueFactory(measure=measure, year=year, quarter=quarter)

    with django_assert_num_queries(len(small)):
        staff_client.get(url(measure))
