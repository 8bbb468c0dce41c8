"""The quarter's edges, on a frozen clock: the last day of a quarter, and London's midnight.

Each test here would catch an off-by-one that the rest of the suite let through:
counting completions with `completed_on < end` (an action done on a quarter's last
day lost from the update), and refusing a measure's value for the quarter that is
running (comparing with its end, or with the UTC date, rather than its start).
"""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.models import Action
from core.quarters import Quarter
from tests.factories import (
    ActionFactory,
    PerformanceMeasureFactory,
    ToCActivityFactory,
    london,
)
from tracker.models import MeasureValue
from tracker.report import report_build

pytestmark = pytest.mark.django_db

Q1 = Quarter(2024, 1)  # April–June 2024: 30 June is its last day, in British Summer Time
DONE = Action.Status.DONE
SECOND = dt.timedelta(seconds=1)


def _done(group, title: str, completed_on: dt.date, **kwargs) -> Action:
    """An action opened before the quarter and finished on `completed_on`."""
    action = ActionFactory(
        group=group,
        title=title,
        due_date=dt.date(2024, 6, 1),
        status=DONE,
        completed_on=completed_on,
        **kwargs,
    )
    Action.objects.filter(pk=action.pk).update(created_at=london(2024, 1, 10))
    return action


@pytest.fixture
def edges(working_group):
    """Actions finished either side of each edge of 2024-25 Q1, linked to one ToC activity."""
    activity = ToCActivityFactory(group=working_group, code="3.a")
    for title, day in [
        ("Done on 31 March", dt.date(2024, 3, 31)),
        ("Done on 1 April", dt.date(2024, 4, 1)),
        ("Done on 30 June", dt.date(2024, 6, 30)),
        ("Done on 1 July", dt.date(2024, 7, 1)),
    ]:
        _done(working_group, title, day, toc_activity=activity)
    return working_group


def _actions(report) -> dict:
    return report["actions"]["totals"]


def test_an_action_done_on_the_quarters_last_day_counts_as_completed_in_it(edges):
    with time_machine.travel(london(2024, 7, 15, 9, 30), tick=False):
        report = report_build(group=edges, quarter=Q1)

    # 1 April and 30 June are in the quarter; 31 March and 1 July are not.
    assert _actions(report)["completed"] == 2
    # On 30 June only the action finished on 1 July was still outstanding.
    assert _actions(report)["outstanding"] == 1
    [activity] = report["toc_activities"]
    assert (activity["actions_done"], activity["actions_open"]) == (3, 1)


def test_on_the_last_evening_of_a_running_quarter_todays_completion_counts(edges):
    """At 23:45 on 30 June (22:45 in UTC) the update is as at today, the quarter's last day."""
    Action.objects.filter(title="Done on 1 July").update(
        status=Action.Status.IN_PROGRESS, completed_on=None
    )

    with time_machine.travel(london(2024, 6, 30, 23, 45), tick=False):
        report = report_build(group=edges, quarter=Q1)

    assert report["as_at"] == "2024-06-30"
    assert _actions(report)["completed"] == 2
    assert _actions(report)["outstanding"] == 1


def test_just_after_london_midnight_the_quarter_is_over_though_utc_says_30_june(edges):
    """At 00:30 on 1 July in London (23:30 on 30 June in UTC) Q1 is complete and Q2 runs."""
    with time_machine.travel(london(2024, 7, 1, 0, 30), tick=False):
        q1 = report_build(group=edges, quarter=Q1)
        q2 = report_build(group=edges, quarter=Q1.next())

    assert q1["as_at"] == "2024-06-30"
    assert (_actions(q1)["completed"], _actions(q1)["outstanding"]) == (2, 1)
    assert q2["as_at"] == "2024-07-01"
    assert (_actions(q2)["completed"], _actions(q2)["outstanding"]) == (1, 0)


# A measure's values: the running quarter is open, the next one is not yet ----------------


@pytest.fixture
def measure(working_group):
    return PerformanceMeasureFactory(group=working_group, code="4.1.1.a", unit="views")


def _import(client, measure, quarter: str):
    text = f"quarter,value,note\n{quarter},1250,From the website statistics\n"
    file = SimpleUploadedFile("values.csv", text.encode(), content_type="text/csv")
    return client.post(f"/tracker/measures/{measure.pk}/import/", {"file": file}, follow=True)


def _enter(client, measure, quarter: str):
    measure.refresh_from_db()
    fields = {"quarter": quarter, "value": "1250", "note": "", "version": measure.version}
    return client.post(f"/tracker/measures/{measure.pk}/values/", fields, follow=True)


def _recorded(measure) -> list[str]:
    return [v.period.label for v in MeasureValue.objects.filter(measure=measure)]


@pytest.mark.parametrize("send", [_import, _enter], ids=["csv import", "value form"])
@pytest.mark.parametrize(
    "moment",
    [
        london(2024, 7, 1, 0, 0) + SECOND,  # London's first second of Q2; 30 June in UTC
        london(2024, 7, 1, 0, 30),
        london(2024, 8, 15, 12),
        london(2024, 9, 30, 23, 45),  # the quarter's last evening
    ],
    ids=["first second", "00:30 on the first day", "mid-quarter", "23:45 on the last day"],
)
def test_the_running_quarter_is_accepted_on_every_day_of_it(staff_client, measure, send, moment):
    with time_machine.travel(moment, tick=False):
        response = send(staff_client, measure, "2024-25 Q2")

    assert "has not started yet" not in response.content.decode()
    assert _recorded(measure) == ["2024-25 Q2"]


@pytest.mark.parametrize("send", [_import, _enter], ids=["csv import", "value form"])
@pytest.mark.parametrize(
    "moment",
    [london(2024, 9, 30, 23, 45), london(2024, 10, 1, 0, 0) - SECOND],
    ids=["23:45", "23:59:59"],
)
def test_the_next_quarter_is_refused_until_london_midnight(staff_client, measure, send, moment):
    with time_machine.travel(moment, tick=False):
        response = send(staff_client, measure, "2024-25 Q3")

    assert "2024-25 Q3 has not started yet." in response.content.decode()
    assert _recorded(measure) == []
