"""The database itself keeps the data model's invariants, whatever code writes to it."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from actions.models import Action, ActionUpdate
from meetings.models import Attendance
from members.models import Group, Membership
from tests.factories import (
    ActionFactory,
    AttendanceFactory,
    CrestRecommendationFactory,
    GroupFactory,
    MeasureValueFactory,
    MeetingFactory,
    MembershipFactory,
    PerformanceMeasureFactory,
    PersonFactory,
    QuarterlyReportFactory,
    ToCActivityFactory,
    london,
)
from tracker.models import CrestRecommendation

pytestmark = pytest.mark.django_db


def refused(build):
    with pytest.raises(IntegrityError), transaction.atomic():
        build()


def test_one_attendance_row_per_meeting_and_seat():
    row = AttendanceFactory()
    refused(
        lambda: Attendance.objects.create(
            meeting=row.meeting, membership=row.membership, status="absent"
        )
    )


def test_a_deputy_must_be_named():
    refused(lambda: AttendanceFactory(status=Attendance.Status.DEPUTY, deputy_name=""))
    assert AttendanceFactory(status=Attendance.Status.DEPUTY, deputy_name="Sam Deputy").pk


def test_a_meeting_ends_after_it_starts():
    refused(
        lambda: MeetingFactory(starts_at=london(2024, 5, 1, 10), ends_at=london(2024, 5, 1, 10))
    )
    refused(lambda: MeetingFactory(starts_at=london(2024, 5, 1, 10), ends_at=london(2024, 5, 1, 9)))


def test_one_value_per_measure_and_quarter():
    value = MeasureValueFactory(year=2024, quarter=1)
    refused(lambda: MeasureValueFactory(measure=value.measure, year=2024, quarter=1))
    assert MeasureValueFactory(measure=value.measure, year=2024, quarter=2).pk


def test_a_quarter_is_numbered_one_to_four():
    refused(lambda: MeasureValueFactory(quarter=5))
    refused(lambda: QuarterlyReportFactory(quarter=0))


def test_one_finalised_report_per_group_and_quarter():
    report = QuarterlyReportFactory(year=2024, quarter=1)
    refused(lambda: QuarterlyReportFactory(group=report.group, year=2024, quarter=1))


@pytest.mark.parametrize(
    "factory", [ToCActivityFactory, CrestRecommendationFactory, PerformanceMeasureFactory]
)
def test_tracker_codes_are_unique(factory):
    factory(code="3.a")
    refused(lambda: factory(code="3.a"))


def test_a_seat_is_unique_per_group_agency_and_role():
    seat = MembershipFactory()
    refused(
        lambda: Membership.objects.create(
            group=seat.group, agency=seat.agency, role_title=seat.role_title
        )
    )


def test_a_seat_ends_after_it_starts():
    refused(lambda: MembershipFactory(start_date=dt.date(2024, 5, 1), end_date=dt.date(2024, 4, 1)))


def test_a_task_and_finish_group_has_a_parent():
    refused(lambda: GroupFactory(kind=Group.Kind.TASK_AND_FINISH, parent=None))
    assert GroupFactory(kind=Group.Kind.TASK_AND_FINISH, parent=GroupFactory()).pk


def test_an_email_belongs_to_one_person():
    PersonFactory(email="lead@example.org")
    refused(lambda: PersonFactory(email="Lead@Example.org"))


def test_a_done_action_has_a_completion_date_and_only_then():
    refused(lambda: ActionFactory(status=Action.Status.DONE, completed_on=None))
    refused(lambda: ActionFactory(status=Action.Status.OPEN, completed_on=dt.date(2024, 5, 1)))
    assert ActionFactory(status=Action.Status.DONE, completed_on=dt.date(2024, 5, 1)).pk


def test_an_action_update_says_something():
    action = ActionFactory()
    refused(lambda: ActionUpdate.objects.create(action=action, text="", new_status=""))


def test_an_achieved_recommendation_has_a_date_and_flags_the_tor_for_revision():
    recommendation = CrestRecommendationFactory()
    recommendation.status = CrestRecommendation.Status.ACHIEVED
    refused(recommendation.save)

    recommendation.achieved_on = dt.date(2024, 6, 1)
    recommendation.save()

    recommendation.group.refresh_from_db()
    assert recommendation.group.tor_revision_due is True
