"""Every figure of the 2024-25 Q1 update, worked out by hand from tests/tracker/fixtures.py."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from meetings.models import Meeting
from meetings.selectors import attendance_by_agency
from members.models import Group
from tests.factories import london
from tests.tracker.fixtures import FIRE, NOW, QUARTER, TODAY
from tracker.report import report_build

pytestmark = pytest.mark.django_db


def test_it_names_the_group_and_the_quarter(report, quarter_data):
    assert report["schema_version"] == 2
    assert report["group"] == {
        "id": quarter_data.group.pk,
        "name": "Communications Working Group",
        "short_name": "Comms Working Group",
    }
    assert report["quarter"] == {
        "label": "2024-25 Q1",
        "slug": "2024-25/q1",
        "year": 2024,
        "number": 1,
        "start": "2024-04-01",
        "end": "2024-06-30",
        "months": "April–June 2024",
    }
    assert report["generated_at"] == "2024-07-15T09:30:00+01:00"
    assert report["as_at"] == "2024-06-30"
    assert report["finalised"] is None


def test_it_is_plain_json(report):
    assert json.loads(json.dumps(report)) == report


def test_meetings_are_those_starting_in_the_quarter_in_london_time(report):
    # 31 March is 2023-24 Q4; 00:30 on 1 July (30 June in UTC) is Q2; another group's is not ours.
    meetings = Meeting.objects.in_bulk([row["id"] for row in report["meetings"]])
    assert [timezone.localtime(meetings[row["id"]].starts_at) for row in report["meetings"]] == [
        london(2024, 4, 1, 10),
        london(2024, 5, 20, 14),
        london(2024, 6, 10),
    ]
    assert [{k: v for k, v in row.items() if k != "id"} for row in report["meetings"]] == [
        {
            "date": "2024-04-01",
            "starts_at": "2024-04-01T10:00+01:00",
            "group": "Comms Working Group",
            "format": "in_person",
            "format_label": "In person",
            "host": "Police",
            "status": "held",
            "status_label": "Held",
        },
        {
            "date": "2024-05-20",
            "starts_at": "2024-05-20T14:00+01:00",
            "group": "Brand T&F",
            "format": "teams",
            "format_label": "Microsoft Teams",
            "host": None,
            "status": "held",
            "status_label": "Held",
        },
        {
            "date": "2024-06-10",
            "starts_at": "2024-06-10T10:00+01:00",
            "group": "Comms Working Group",
            "format": "teams",
            "format_label": "Microsoft Teams",
            "host": None,
            "status": "cancelled",
            "status_label": "Cancelled",
        },
    ]
    assert report["meetings_held"] == 2


def test_attendance_is_counted_by_agency_with_a_deputy_as_attended(report):
    assert report["attendance_by_agency"] == [
        {
            "agency": "Police",
            "present": 1,
            "deputy": 1,
            "apologies": 0,
            "absent": 0,
            "attended": 2,
            "recorded": 2,
            "rate": 100.0,
        },
        {
            "agency": FIRE,
            "present": 1,
            "deputy": 0,
            "apologies": 1,
            "absent": 0,
            "attended": 1,
            "recorded": 2,
            "rate": 50.0,
        },
        {
            "agency": "Health",
            "present": 0,
            "deputy": 0,
            "apologies": 0,
            "absent": 1,
            "attended": 0,
            "recorded": 1,
            "rate": 0.0,
        },
    ]
    assert report["attendance_totals"] == {
        "present": 2,
        "deputy": 1,
        "apologies": 1,
        "absent": 1,
        "attended": 3,
        "recorded": 5,
        "rate": 60.0,
    }


def test_attendance_is_also_counted_by_group(report, quarter_data):
    # The cancelled meeting's register (Health, present) does not count.
    assert report["attendance_by_group"] == [
        {
            "id": quarter_data.group.pk,
            "group": "Comms Working Group",
            "meetings": 1,
            "present": 1,
            "deputy": 0,
            "apologies": 1,
            "absent": 1,
            "attended": 1,
            "recorded": 3,
            "rate": 33.3,
        },
        {
            "id": quarter_data.task_group.pk,
            "group": "Brand T&F",
            "meetings": 1,
            "present": 1,
            "deputy": 1,
            "apologies": 0,
            "absent": 0,
            "attended": 2,
            "recorded": 2,
            "rate": 100.0,
        },
    ]


def test_each_groups_attendance_is_what_the_monitoring_page_counts(report, quarter_data):
    """The monitoring page counts one group's meetings, not cancelled, over the quarters."""
    groups = {g.pk: g for g in (quarter_data.group, quarter_data.task_group)}
    for row in report["attendance_by_group"]:
        group = groups[row["id"]]
        meetings = (
            Meeting.objects.for_group(group, with_children=False)
            .not_cancelled()
            .between(QUARTER.start, QUARTER.end)
        )
        figures = attendance_by_agency(meetings)
        assert row["attended"] == sum(f.attended for f in figures)
        assert row["recorded"] == sum(f.recorded for f in figures)
        assert row["meetings"] == meetings.filter(attendances__isnull=False).distinct().count()


def test_key_updates_are_those_flagged_for_the_svrp_at_the_quarters_meetings(report):
    assert report["key_updates"] == [
        {
            "date": "2024-04-01",
            "group": "Comms Working Group",
            "kind": "decision",
            "kind_label": "Decision",
            "text": "Adopt the VRP brand guidelines",
        },
        {
            "date": "2024-05-20",
            "group": "Brand T&F",
            "kind": "update",
            "kind_label": "Key update",
            "text": "The website went live on 15 May",
        },
    ]


def test_action_totals_are_exact_across_31_march_and_1_april(report):
    # Opened: the logo (00:15 on 1 April), the website, the map and the cancelled idea;
    # not the brief (23:30 on 31 March). Completed: the logo, and the action done on 1 April.
    # Outstanding at 30 June: the brief, the website, the map (done only on 5 July).
    # Overdue at 30 June: the brief (due 30 April) and the map (due 1 June).
    assert report["actions"]["as_at"] == "2024-06-30"
    assert report["actions"]["totals"] == {
        "opened": 4,
        "completed": 2,
        "overdue": 2,
        "outstanding": 3,
    }


def test_actions_are_counted_by_agency(report):
    assert report["actions"]["by_agency"] == [
        {"agency": "Police", "opened": 1, "completed": 1, "overdue": 1, "outstanding": 2},
        {"agency": FIRE, "opened": 2, "completed": 1, "overdue": 0, "outstanding": 0},
        {"agency": "Health", "opened": 1, "completed": 0, "overdue": 1, "outstanding": 1},
    ]


def test_the_overdue_list_is_as_at_the_quarter_end_most_overdue_first(report, quarter_data):
    assert report["actions"]["overdue"] == [
        {
            "id": quarter_data.actions["brief"].pk,
            "title": "Brief partners on the brand",
            "owner": quarter_data.actions["brief"].owner.full_name,
            "agency": "Police",
            "due_date": "2024-04-30",
            "days_overdue": 61,
        },
        {
            "id": quarter_data.actions["map"].pk,
            "title": "Publish the community map",
            "owner": quarter_data.actions["map"].owner.full_name,
            "agency": "Health",
            "due_date": "2024-06-01",
            "days_overdue": 29,
        },
    ]


def test_toc_activities_show_status_linked_actions_at_the_quarter_end_and_changes(report):
    assert report["toc_activities"] == [
        {
            "code": "3.a",
            "title": "Create VRP brand and website",
            "status": "in_progress",
            "status_label": "In progress",
            # The map was done on 5 July: still open on 30 June.
            "actions_open": 2,
            "actions_done": 1,
            "changes": [
                {"date": "2024-04-15", "text": "Status changed from Not started to In progress"}
            ],
        },
        {
            "code": "3.b",
            "title": "Celebrate communities",
            "status": "not_started",
            "status_label": "Not started",
            "actions_open": 0,
            "actions_done": 0,
            "changes": [{"date": "2024-04-03", "text": "Added to the tracker (Not started)"}],
        },
        {
            "code": "3.c",
            "title": "Develop a strengths based counter-narrative",
            "status": "complete",
            "status_label": "Complete",
            "actions_open": 0,
            "actions_done": 0,
            "changes": [],
        },
    ]


def test_crest_recommendations_show_what_changed_this_quarter(report):
    assert report["crest_recommendations"] == [
        {
            "code": "8.1",
            "text": "Invest in community mapping",
            "status": "achieved",
            "status_label": "Achieved",
            "evidence": "Community map published",
            "achieved_on": "2024-05-20",
            "achieved_this_quarter": True,
            "changes": [
                {
                    "date": "2024-05-20",
                    "text": "Status changed from Not started to Achieved; evidence updated",
                }
            ],
        },
        {
            "code": "8.2",
            "text": "Share data",
            "status": "in_progress",
            "status_label": "In progress",
            "evidence": "",
            "achieved_on": None,
            "achieved_this_quarter": False,
            "changes": [],
        },
    ]


def test_each_measure_has_this_previous_and_last_years_quarter_target_and_direction(
    report, quarter_data
):
    # Each measure's trend is checked below.
    assert [{k: v for k, v in row.items() if k != "trend"} for row in report["measures"]] == [
        {
            "id": quarter_data.views.pk,
            "code": "4.1.1.a",
            "title": "Views of the VRU website",
            "unit": "views",
            "polarity": "higher",
            "polarity_label": "Higher is better",
            "target": 1000,
            "this_quarter": 1250,
            "previous_quarter": 900,
            "same_quarter_last_year": 800,
            "note": "Brand launch",
            "direction": "Up (improving)",
            "against_target": "Above target (met)",
            "target_met": True,
        },
        {
            "id": quarter_data.complaints.pk,
            "code": "4.1.2",
            "title": "Complaints about VRU communications",
            "unit": "complaints",
            "polarity": "lower",
            "polarity_label": "Lower is better",
            "target": 5,
            "this_quarter": 7,
            "previous_quarter": 3,
            "same_quarter_last_year": None,
            "note": "",
            "direction": "Up (worsening)",
            "against_target": "Above target (not met)",
            "target_met": False,
        },
        {
            "id": quarter_data.reach.pk,
            "code": "4.1.3",
            "title": "Partners reached",
            "unit": "partners",
            "polarity": "higher",
            "polarity_label": "Higher is better",
            "target": None,
            "this_quarter": 12.5,
            "previous_quarter": None,
            "same_quarter_last_year": None,
            "note": "",
            "direction": "No previous value",
            "against_target": "No target",
            "target_met": None,
        },
    ]


def test_achieving_a_crest_recommendation_makes_the_tor_due_for_revision(report):
    assert report["tor"] == {
        "version": "V2",
        "published": "2023-11-01",
        "review_date": "2024-03-31",
        "review_passed": True,
        "revision_due": True,
        "revision_reasons": [
            "A Crest recommendation has been achieved.",
            "The review date, 31 March 2024, has passed.",
        ],
    }


def test_a_passed_review_date_alone_makes_the_tor_due_for_revision(quarter_data):
    group = quarter_data.group
    Group.objects.filter(pk=group.pk).update(tor_revision_due=False)
    group.refresh_from_db()

    tor = report_build(group=group, quarter=QUARTER, today=TODAY)["tor"]

    assert (tor["review_passed"], tor["revision_due"]) == (True, True)
    assert tor["revision_reasons"] == ["The review date, 31 March 2024, has passed."]


def test_a_review_date_still_to_come_leaves_the_tor_as_it_is(quarter_data):
    group = quarter_data.group
    Group.objects.filter(pk=group.pk).update(
        tor_revision_due=False, review_date=dt.date(2025, 3, 31)
    )
    group.refresh_from_db()

    tor = report_build(group=group, quarter=QUARTER, today=TODAY)["tor"]

    assert (tor["review_passed"], tor["revision_due"], tor["revision_reasons"]) == (
        False,
        False,
        [],
    )


def test_each_measure_has_its_last_eight_quarters_for_the_chart(report):
    views = report["measures"][0]["trend"]

    assert [point["quarter"] for point in views] == [
        "2022-23 Q2",
        "2022-23 Q3",
        "2022-23 Q4",
        "2023-24 Q1",
        "2023-24 Q2",
        "2023-24 Q3",
        "2023-24 Q4",
        "2024-25 Q1",
    ]
    assert [point["value"] for point in views] == [None, None, None, 800, None, None, 900, 1250]


def test_the_previous_quarter_holds_the_31_march_meeting(quarter_data):
    report = report_build(group=quarter_data.group, quarter=QUARTER.previous(), today=TODAY)

    assert [m["date"] for m in report["meetings"]] == ["2024-03-31"]
    assert report["attendance_totals"]["absent"] == 1
    assert [u["text"] for u in report["key_updates"]] == ["Old news from March"]
    # The brief was opened at 23:30 on 31 March; "Old action" and the 1 April one were
    # opened earlier in the quarter. "Old action" was completed on 31 March.
    assert report["actions"]["totals"] == {
        "opened": 3,
        "completed": 1,
        "overdue": 1,
        "outstanding": 2,
    }


def test_a_running_quarter_counts_actions_as_at_today(quarter_data):
    report = report_build(group=quarter_data.group, quarter=QUARTER.next(), today=TODAY, now=NOW)

    assert report["as_at"] == "2024-07-15"
    assert [m["date"] for m in report["meetings"]] == ["2024-07-01"]
    # Opened: the action raised on 2 July. Completed: the map, on 5 July.
    # Outstanding on 15 July: the brief (overdue), the website and the July action.
    assert report["actions"]["totals"] == {
        "opened": 1,
        "completed": 1,
        "overdue": 1,
        "outstanding": 3,
    }
