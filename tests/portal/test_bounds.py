"""Dates inside the portal's window (1 January 2000 to 31 December 2100), everywhere.

Forms refuse a date outside it, URLs naming a quarter outside it answer 404,
the database refuses one too, and a form set refuses more forms than it offers.
"""

import datetime as dt
import inspect

import pytest
from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone

import actions.forms
import meetings.forms
import members.forms
import members.people_forms
import tracker.forms
from actions.forms import ActionForm
from actions.models import Action
from core.bounds import (
    EARLIEST_DATE,
    LATEST_DATE,
    BoundedFormMixin,
    in_window,
    validate_in_window,
    window_text,
)
from core.quarters import Quarter
from meetings.forms import PLAN_MAX_MEETINGS, SeatForm, quarter_choices
from meetings.models import Meeting
from members.forms import TorSentForm
from tests.factories import (
    ActionFactory,
    CrestRecommendationFactory,
    GroupFactory,
    MeasureValueFactory,
    MeetingFactory,
    MembershipFactory,
    PerformanceMeasureFactory,
    QuarterlyReportFactory,
    london,
)
from tracker.models import MeasureValue

pytestmark = pytest.mark.django_db

WINDOW_ERROR = "Enter a date between 1 January 2000 and 31 December 2100."
OUTSIDE = ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"]
FORM_MODULES = [actions.forms, meetings.forms, members.forms, members.people_forms, tracker.forms]


def refused(build):
    with pytest.raises(IntegrityError), transaction.atomic():
        build()


# The window, defined once ------------------------------------------------------------


def test_the_window_runs_from_2000_to_2100():
    assert dt.date(2000, 1, 1) == EARLIEST_DATE
    assert dt.date(2100, 12, 31) == LATEST_DATE
    assert window_text() == "between 1 January 2000 and 31 December 2100"
    assert in_window(dt.date(2000, 1, 1)) and in_window(dt.date(2100, 12, 31))
    assert not in_window(dt.date(1999, 12, 31)) and not in_window(dt.date(2101, 1, 1))
    assert in_window(london(2100, 12, 31, 23, 59))
    assert not in_window(london(2101, 1, 1, 0, 0))
    assert not in_window(london(1999, 12, 31, 23, 59))


def test_the_validator_names_the_window():
    validate_in_window(dt.date(2024, 4, 1))
    with pytest.raises(forms.ValidationError) as error:
        validate_in_window(dt.date(9999, 12, 31))
    assert error.value.messages == [WINDOW_ERROR]


def test_every_form_of_every_app_is_bounded():
    """A form added later without the mixin would take any date and any character."""
    found = []
    for module in FORM_MODULES:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
                assert issubclass(cls, BoundedFormMixin), f"{cls.__qualname__} is not bounded"
    assert len(found) > 15


def test_every_formset_validates_its_maximum():
    found = []
    for module in FORM_MODULES:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseFormSet) and hasattr(cls, "form"):
                found.append(cls)
                assert cls.validate_max, f"{cls.__name__} does not validate its maximum"
                assert cls.absolute_max == cls.max_num
    assert found


def test_date_inputs_offer_only_the_window():
    html = str(TorSentForm(prefix="seat-1")["tor_sent_on"])

    assert 'min="2000-01-01"' in html and 'max="2100-12-31"' in html


# Quarters, in URLs and forms -----------------------------------------------------------


def test_the_quarters_inside_the_window():
    assert Quarter.first() == Quarter(1999, 4)
    assert Quarter.last() == Quarter(2100, 3)
    assert Quarter.parse("1999-00 Q4").months == "January–March 2000"
    assert Quarter.from_slugs("2100-01", "q3").months == "October–December 2100"
    assert Quarter(2024, 1).in_window and not Quarter(2100, 4).in_window


@pytest.mark.parametrize(
    "label", ["9999-00 Q3", "9999-00 Q4", "0000-01 Q1", "0000-01 Q4", "1999-00 Q3", "2100-01 Q4"]
)
def test_a_quarter_outside_the_window_is_not_read(label):
    with pytest.raises(ValueError, match="outside the quarters the portal holds"):
        Quarter.parse(label)


@pytest.mark.parametrize(
    "url",
    [
        "/reports/quarterly/9999-00/q3/",
        "/reports/quarterly/9999-00/q4/",
        "/reports/quarterly/0000-01/q1/",
        "/reports/quarterly/0000-01/q4/",
        "/reports/quarterly/2100-01/q4/",
        "/reports/quarterly/9999-00/q3/report.docx",
        "/reports/quarterly/0000-01/q1/report.json",
        "/reports/quarterly/0000-01/q1/compare/",
    ],
)
def test_a_quarter_outside_the_window_is_404_not_500(staff_client, url):
    assert staff_client.get(url).status_code == 404


def test_finalising_a_quarter_outside_the_window_is_404(staff_client):
    from tracker.models import QuarterlyReport

    assert staff_client.post("/reports/quarterly/0000-01/q4/finalise/").status_code == 404
    assert not QuarterlyReport.objects.exists()


@pytest.mark.parametrize(
    ("url", "missing"),
    [
        ("/reports/quarterly/1999-00/q4/", "Previous quarter"),
        ("/reports/quarterly/2100-01/q3/", "Next quarter"),
    ],
)
def test_the_first_and_last_quarters_open_without_a_link_beyond(staff_client, url, missing):
    response = staff_client.get(url)

    assert response.status_code == 200
    assert missing not in response.content.decode()


@pytest.mark.parametrize("label", ["9999-00 Q3", "9999-00 Q4", "0000-01 Q1", "0000-01 Q4"])
def test_a_measure_value_for_a_quarter_outside_the_window_is_refused(staff_client, label):
    measure = PerformanceMeasureFactory()

    response = staff_client.post(
        f"/tracker/measures/{measure.pk}/values/", {"quarter": label, "value": "1", "note": ""}
    )

    assert response.status_code == 200
    assert "outside the quarters the portal holds" in response.content.decode()
    assert not MeasureValue.objects.exists()


def test_the_monitoring_quarters_stop_at_the_window(monkeypatch):
    """Should a meeting of the year 1 be stored all the same, the list is not 8,000 quarters."""
    monkeypatch.setattr(
        Meeting.objects, "aggregate", lambda **_: {"earliest": dt.datetime(1, 1, 2, tzinfo=dt.UTC)}
    )

    choices = quarter_choices()

    assert choices[-1][0] == "1999-00 Q4"
    assert len(choices) < 500


# Forms with dates ------------------------------------------------------------------------


def meeting_data(group, day: str) -> dict:
    return {
        "group": group.pk,
        "date": day,
        "start_time": "10:00",
        "end_time": "11:30",
        "format": "teams",
        "host_agency": "",
        "location": "",
        "online_link": "",
        "status": "scheduled",
    }


@pytest.mark.parametrize("day", OUTSIDE)
def test_a_meeting_outside_the_window_is_refused(staff_client, working_group, day):
    response = staff_client.post("/meetings/new/", meeting_data(working_group, day))

    assert response.status_code == 200
    assert WINDOW_ERROR in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_meeting_on_the_last_day_of_the_window_is_kept(staff_client, working_group):
    staff_client.post("/meetings/new/", meeting_data(working_group, "2100-12-31"))

    assert timezone.localdate(Meeting.objects.get().starts_at) == dt.date(2100, 12, 31)


def plan_row(i: int, day: dt.date) -> dict:
    return {
        f"plan-{i}-include": "on",
        f"plan-{i}-date": day.isoformat(),
        f"plan-{i}-start_time": "10:00",
        f"plan-{i}-end_time": "11:00",
        f"plan-{i}-format": "teams",
        f"plan-{i}-host_agency": "",
        f"plan-{i}-location": "",
        f"plan-{i}-online_link": "",
    }


def plan(group, days: list[dt.date]) -> dict:
    data = {
        "group": group.pk,
        "plan-TOTAL_FORMS": str(len(days)),
        "plan-INITIAL_FORMS": "0",
        "plan-MIN_NUM_FORMS": "0",
        "plan-MAX_NUM_FORMS": str(PLAN_MAX_MEETINGS),
    }
    for i, day in enumerate(days):
        data.update(plan_row(i, day))
    return data


def test_the_year_plan_refuses_more_meetings_than_it_offers(staff_client, working_group):
    days = [dt.date(2090, 1, 2) + dt.timedelta(weeks=i) for i in range(40)]

    response = staff_client.post("/meetings/plan/", plan(working_group, days))

    assert response.status_code == 200
    assert "Please submit at most 12 forms." in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_year_plan_saves_twelve_meetings(staff_client, working_group):
    days = [dt.date(2090, 1, 2) + dt.timedelta(weeks=i) for i in range(12)]

    staff_client.post("/meetings/plan/", plan(working_group, days))

    assert Meeting.objects.count() == 12


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_the_year_plan_refuses_a_meeting_outside_the_window(staff_client, working_group, day):
    response = staff_client.post("/meetings/plan/", plan(working_group, [day]))

    assert WINDOW_ERROR in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_due_date_outside_the_window_is_refused(staff_client, member_user, working_group, day):
    response = staff_client.post(
        "/actions/new/",
        {
            "title": "Report website views",
            "owner": member_user.person.pk,
            "group": working_group.pk,
            "due_date": day,
        },
    )

    assert response.status_code == 200
    assert WINDOW_ERROR in response.content.decode()
    assert not Action.objects.exists()


def test_the_action_form_bounds_its_due_date(working_group):
    form = ActionForm(data={"due_date": "9999-12-31", "group": working_group.pk})

    assert form.errors["due_date"] == [WINDOW_ERROR]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("field", ["tor_sent_on", "start_date", "end_date"])
def test_seat_dates_outside_the_window_are_refused(working_group, field, day):
    seat = MembershipFactory(group=working_group)
    data = {
        "agency": seat.agency.pk,
        "role_title": "Web lead",
        "position": "member",
        "attendance_status": "required",
        field: day,
    }

    form = SeatForm(data, group=working_group)

    assert form.errors[field] == [WINDOW_ERROR]


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31"])
def test_the_tor_sent_date_outside_the_window_is_refused(staff_client, working_group, day):
    seat = MembershipFactory(group=working_group)

    response = staff_client.post(
        f"/members/distribution-list/seats/{seat.pk}/tor-sent/",
        {f"seat-{seat.pk}-tor_sent_on": day},
    )

    seat.refresh_from_db()
    assert seat.tor_sent_on is None
    assert WINDOW_ERROR in response.content.decode()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_task_groups_review_date_outside_the_window_is_refused(working_group, day):
    form = meetings.forms.TaskGroupForm(
        {"parent": working_group.pk, "name": "Web", "review_date": day}
    )

    assert form.errors["review_date"] == [WINDOW_ERROR]


# The database ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "when", [london(1999, 12, 31, 23), london(2101, 1, 1, 10), london(9999, 12, 31, 10)]
)
def test_the_database_refuses_a_meeting_outside_the_window(when):
    refused(lambda: MeetingFactory(starts_at=when))


def test_the_database_keeps_meetings_at_either_end_of_the_window():
    assert MeetingFactory(starts_at=london(2000, 1, 1, 0, 0)).pk
    assert MeetingFactory(starts_at=london(2100, 12, 31, 22, 0)).pk


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_the_database_refuses_action_dates_outside_the_window(day):
    refused(lambda: ActionFactory(due_date=day))
    refused(lambda: ActionFactory(status=Action.Status.DONE, completed_on=day))


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(9999, 12, 31)])
@pytest.mark.parametrize("field", ["tor_sent_on", "start_date", "end_date"])
def test_the_database_refuses_seat_dates_outside_the_window(field, day):
    refused(lambda: MembershipFactory(**{field: day}))


@pytest.mark.parametrize("field", ["tor_published", "review_date"])
def test_the_database_refuses_group_dates_outside_the_window(field):
    refused(lambda: GroupFactory(**{field: dt.date(1, 1, 1)}))


def test_the_database_refuses_an_achieved_date_outside_the_window():
    refused(
        lambda: CrestRecommendationFactory(status="achieved", achieved_on=dt.date(9999, 12, 31))
    )


@pytest.mark.parametrize(("year", "quarter"), [(0, 4), (1999, 3), (2100, 4), (9999, 3)])
def test_the_database_refuses_a_quarter_outside_the_window(year, quarter):
    refused(lambda: MeasureValueFactory(year=year, quarter=quarter))
    refused(lambda: QuarterlyReportFactory(year=year, quarter=quarter))


def test_the_database_keeps_the_first_and_last_quarters():
    assert MeasureValueFactory(year=1999, quarter=4).pk
    assert MeasureValueFactory(year=2100, quarter=3).pk
    assert QuarterlyReportFactory(year=2100, quarter=3).pk
