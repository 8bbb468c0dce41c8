import pytest

from tests.tracker.test_report_finalise import change_everything, finalise

pytestmark = pytest.mark.django_db

Q1 = "/reports/quarterly/2024-25/q1/"


def test_it_is_404_until_the_quarter_is_finalised(staff_client, quarter_data):
    assert staff_client.get(f"{Q1}compare/").status_code == 404


def test_it_says_when_the_live_figures_match(staff_client, quarter_data):
    finalise(staff_client)

    response = staff_client.get(f"{Q1}compare/")

    content = response.content.decode()
    assert content.count("<h1") == 1
    assert "The live figures match the update as sent." in content
    assert "The live figures were generated on " in content
    assert "Draft" not in content


def test_it_lists_each_figure_that_changed_since_it_was_sent(staff_client, quarter_data):
    finalise(staff_client)
    change_everything(quarter_data)

    response = staff_client.get(f"{Q1}compare/")

    differences = [
        (d.section, d.item, d.field, d.sent, d.live) for d in response.context["differences"]
    ]
    assert ("Performance measures", "4.1.1.a", "This quarter", "1,250", "2,000") in differences
    assert ("Summary", "Meetings held", "Value", "2", "3") in differences
    assert ("Actions", "Police", "Completed", "1", "2") in differences
    assert ("Actions", "Police", "Overdue", "1", "0") in differences
    assert (
        "Actions",
        "Brief partners on the brand",
        "Row",
        "Listed",
        "(not in the live figures)",
    ) in differences
    assert (
        "Meetings held",
        "20 June 2024",
        "Row",
        "(not in the update as sent)",
        "Listed",
    ) in differences
    assert (
        "Crest readiness tracker",
        "8.1",
        "Evidence",
        "Community map published",
        "A different story",
    ) in differences
    assert "1,250" in response.content.decode()
