import io
import json

import docx
import pytest

from tracker.models import QuarterlyReport

pytestmark = pytest.mark.django_db

Q1 = "/reports/quarterly/2024-25/q1/"


@pytest.mark.parametrize(
    ("extension", "content_type"),
    [
        ("json", "application/json; charset=utf-8"),
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("pdf", "application/pdf"),
    ],
)
def test_each_format_downloads_as_a_named_attachment(
    chair_client, quarter_data, extension, content_type
):
    response = chair_client.get(f"{Q1}report.{extension}")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="svrp-update-comms-working-group-2024-25-q1.{extension}"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response.content


def test_the_downloaded_json_has_the_figures_of_the_preview(chair_client, quarter_data, report):
    downloaded = json.loads(chair_client.get(f"{Q1}report.json").content)

    assert downloaded["generated_at"] != report["generated_at"]
    assert {**downloaded, "generated_at": None} == {**report, "generated_at": None}
    assert not QuarterlyReport.objects.exists()


def test_the_chair_downloads_the_word_file(chair_client, quarter_data):
    response = chair_client.get(f"{Q1}report.docx")

    document = docx.Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == "Quarterly SVRP update: 2024-25 Q1"
    assert document.core_properties.title == "Quarterly SVRP update: 2024-25 Q1"


def test_the_group_is_chosen_for_downloads_too(staff_client, quarter_data):
    other = quarter_data.other_group

    downloaded = json.loads(staff_client.get(f"{Q1}report.json?group={other.pk}").content)

    assert downloaded["group"]["name"] == "Another Working Group"
    assert [u["text"] for u in downloaded["key_updates"]] == ["Another group's news"]
