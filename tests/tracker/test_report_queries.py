"""The quarterly update's preview and downloads read the quarter's issues and the chair's
draft once each: what one step has read is passed on, never read again."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracker.models import QuarterlyDraft, QuarterlyReport
from tracker.report import report_finalise

pytestmark = pytest.mark.django_db

Q1 = "/reports/quarterly/2024-25/q1/"


def reads(queries: CaptureQueriesContext, table: str) -> int:
    """How many of the queries read from `table`."""
    return sum(f'FROM "{table}"' in query["sql"] for query in queries.captured_queries)


@pytest.fixture
def draft(quarter_data):
    return QuarterlyDraft.objects.create(
        group=quarter_data.group,
        year=2024,
        quarter=1,
        summary="A steady quarter for the brand.",
        toc_rag="green",
        toc_reason="3.b starts next week.",
    )


def test_the_chairs_preview_reads_the_issues_and_the_draft_once(chair_client, draft):
    with CaptureQueriesContext(connection) as queries:
        response = chair_client.get(Q1)

    assert response.status_code == 200
    assert reads(queries, "tracker_quarterlyreport") == 1
    assert reads(queries, "tracker_quarterlydraft") == 1
    assert response.context["draft"] == draft
    assert response.context["report"]["chair"]["summary"] == "A steady quarter for the brand."
    assert response.context["report"]["issue"]["number"] == 1


def test_a_members_preview_reads_the_draft_for_the_chairs_words_only(member_client, draft):
    with CaptureQueriesContext(connection) as queries:
        response = member_client.get(Q1)

    assert response.status_code == 200
    assert reads(queries, "tracker_quarterlydraft") == 1
    assert response.context["draft"] is None
    assert "A steady quarter for the brand." in response.content.decode()


def test_a_finalised_preview_reads_its_issues_once(chair_client, chair_user, draft, clock):
    clock.move_to("2024-07-15 10:00")
    report_finalise(group=draft.group, quarter=draft.period, by=chair_user)

    with CaptureQueriesContext(connection) as queries:
        response = chair_client.get(Q1)

    assert response.status_code == 200
    assert reads(queries, "tracker_quarterlyreport") == 1
    assert response.context["snapshot"] == QuarterlyReport.objects.get()
    assert response.context["report"]["document"]["status"] == "Final"


@pytest.mark.parametrize("extension", ["json", "xlsx", "docx", "pdf"])
def test_a_download_reads_the_issues_and_the_draft_once(chair_client, draft, extension):
    with CaptureQueriesContext(connection) as queries:
        response = chair_client.get(f"{Q1}report.{extension}")

    assert response.status_code == 200
    assert reads(queries, "tracker_quarterlyreport") == 1
    assert reads(queries, "tracker_quarterlydraft") == 1


def test_the_live_download_after_a_finalised_issue_is_that_issue(
    chair_client, chair_user, draft, clock
):
    clock.move_to("2024-07-15 10:00")
    report_finalise(group=draft.group, quarter=draft.period, by=chair_user)

    downloaded = json.loads(chair_client.get(f"{Q1}report.json").content)

    assert downloaded["issue"] == {"number": 1, "reason": ""}
    assert downloaded["finalised"]["by"]
