"""The chair's part: the portal suggests each area's rating by the rule written on the draft
page, and the chair's own rating needs a reason wherever it differs."""

import pytest

from tests.tracker.fixtures import QUARTER, TODAY
from tracker.models import DraftRisk, QuarterlyDraft
from tracker.rag import AREAS, Rag, rag_words, worst
from tracker.report import chair_part, report_build

pytestmark = pytest.mark.django_db
RULES = {area.key: area for area in AREAS}


def figures(**changes):
    """The parts of an update the rules read, all on track unless changed."""
    report = {
        "toc_activities": [{"code": "3.a", "status": "complete"}],
        "crest_recommendations": [{"code": "8.1", "status": "in_progress"}],
        "measures": [{"code": "4.1", "target_met": True, "this_quarter": 10}],
        "actions": {"totals": {"outstanding": 8, "overdue": 0}},
        "attendance_totals": {"rate": 80.0},
    }
    report.update(changes)
    return report


def suggested(key: str, report) -> tuple[str, str]:
    suggestion = RULES[key].suggest(report)
    return suggestion.rag.value, suggestion.because


@pytest.mark.parametrize(
    ("key", "changes", "rag"),
    [
        ("toc", {}, "green"),
        ("toc", {"toc_activities": [{"code": "3.b", "status": "not_started"}]}, "amber"),
        ("crest", {"crest_recommendations": [{"code": "8.2", "status": "not_started"}]}, "amber"),
        (
            "measures",
            {"measures": [{"code": "4.1", "target_met": False, "this_quarter": 1}]},
            "red",
        ),
        (
            "measures",
            {
                "measures": [
                    {"code": "4.1", "target_met": False, "this_quarter": 1},
                    {"code": "4.2", "target_met": True, "this_quarter": 9},
                ]
            },
            "amber",
        ),
        (
            "measures",
            {"measures": [{"code": "4.1", "target_met": None, "this_quarter": None}]},
            "amber",
        ),
        ("actions", {"actions": {"totals": {"outstanding": 8, "overdue": 2}}}, "amber"),
        ("actions", {"actions": {"totals": {"outstanding": 8, "overdue": 3}}}, "red"),
        ("attendance", {"attendance_totals": {"rate": 75.0}}, "green"),
        ("attendance", {"attendance_totals": {"rate": 74.9}}, "amber"),
        ("attendance", {"attendance_totals": {"rate": 49.9}}, "red"),
        ("attendance", {"attendance_totals": {"rate": None}}, "amber"),
    ],
)
def test_each_area_is_suggested_by_its_written_rule(key, changes, rag):
    assert suggested(key, figures(**changes))[0] == rag


def test_a_suggestion_says_why_in_the_figures_own_words():
    report = figures(actions={"totals": {"outstanding": 8, "overdue": 3}})

    assert suggested("actions", report) == ("red", "3 of 8 outstanding actions overdue.")


def test_a_rating_is_always_given_with_its_meaning_in_words():
    assert rag_words("amber") == {
        "rag": "amber",
        "label": "Amber",
        "meaning": "At risk: in hand, but needs watching",
    }
    assert worst(["green", "amber", "green"]) == Rag.AMBER


def test_without_a_draft_every_rating_is_the_suggestion_and_overall_the_worst():
    part = chair_part(figures(actions={"totals": {"outstanding": 8, "overdue": 1}}), None)

    assert [(a["key"], a["rag"], a["overridden"]) for a in part["areas"]] == [
        ("toc", "green", False),
        ("crest", "green", False),
        ("measures", "green", False),
        ("actions", "amber", False),
        ("attendance", "green", False),
    ]
    assert part["overall"]["rag"] == "amber"
    assert part["overall"]["meaning"] == "At risk: in hand, but needs watching"
    assert (part["summary"], part["risks"], part["asks"]) == ("", [], "")


def test_the_chairs_draft_overrides_with_its_reason_and_carries_its_words(quarter_data):
    draft = QuarterlyDraft.objects.create(
        group=quarter_data.group,
        year=QUARTER.year,
        quarter=QUARTER.number,
        actions_rag="green",
        actions_reason="The overdue actions were closed at the July meeting.",
        summary="A strong quarter for the website.",
        asks="Agree the brand guidelines.",
    )
    DraftRisk.objects.create(draft=draft, text="Data sharing stalls", rag="red", owner="Ann Lee")

    part = report_build(group=quarter_data.group, quarter=QUARTER, today=TODAY)["chair"]

    actions = next(area for area in part["areas"] if area["key"] == "actions")
    assert actions["rag"] == "green"
    assert actions["suggested"] == "red"
    assert actions["overridden"] is True
    assert actions["reason"] == "The overdue actions were closed at the July meeting."
    assert part["summary"] == "A strong quarter for the website."
    assert part["asks"] == "Agree the brand guidelines."
    assert part["risks"] == [
        {
            "text": "Data sharing stalls",
            "rag": "red",
            "label": "Red",
            "meaning": "Off track: needs the SVRP's attention or help",
            "owner": "Ann Lee",
        }
    ]


def test_a_rating_equal_to_the_suggestion_is_no_override_and_keeps_no_reason(quarter_data):
    before = report_build(group=quarter_data.group, quarter=QUARTER, today=TODAY)["chair"]
    suggestion = before["areas"][0]["suggested"]
    QuarterlyDraft.objects.create(
        group=quarter_data.group,
        year=QUARTER.year,
        quarter=QUARTER.number,
        toc_rag=suggestion,
        toc_reason="left over from an earlier choice",
    )

    part = report_build(group=quarter_data.group, quarter=QUARTER, today=TODAY)["chair"]

    toc = next(area for area in part["areas"] if area["key"] == "toc")
    assert (toc["rag"], toc["overridden"], toc["reason"]) == (suggestion, False, "")
