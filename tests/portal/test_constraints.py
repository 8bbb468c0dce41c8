"""The database itself keeps the data model's invariants, whatever code writes to it.

Each refusal names the constraint that must fire, so that a row refused for another
reason (a missing column, another constraint) does not pass for the one under test.
"""

import datetime as dt

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import UniqueConstraint

from actions.models import Action, ActionUpdate
from meetings.models import Attendance
from members.models import Group, Membership, Person
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
from tracker.services import tor_revision_on_achievement

pytestmark = pytest.mark.django_db


def _declared(name: str):
    """The model and the constraint its Meta declares under `name`."""
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if constraint.name == name:
                return model, constraint
    raise LookupError(f"No model declares a constraint named {name!r}.")


def _unique_column_name(table: str, column: str) -> str:
    """The database's name for the unique constraint of a `unique=True` column."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    names = [
        name
        for name, info in found.items()
        if info["unique"] and not info["primary_key"] and info["columns"] == [column]
    ]
    assert len(names) == 1, f"{table}.{column}: unique constraints {names}"
    return names[0]


def _reported(model, constraint: str | None, field: str | None) -> tuple[str, str]:
    """How the database reports the constraint when it fires: ("exactly", message)
    or ("names", quoted name) for PostgreSQL, which names every constraint it enforces.

    SQLite names a CHECK constraint and a unique index on expressions; for a unique
    constraint on columns it lists the table's columns instead of the name, so those
    columns, all of them and no others, stand for the constraint there.
    """
    table = model._meta.db_table
    if field is not None:
        column = model._meta.get_field(field).column
        if connection.vendor == "sqlite":
            return "exactly", f"UNIQUE constraint failed: {table}.{column}"
        return "names", f'"{_unique_column_name(table, column)}"'
    _, declared = _declared(constraint)
    if connection.vendor != "sqlite":
        return "names", f'"{constraint}"'
    if not isinstance(declared, UniqueConstraint):
        return "exactly", f"CHECK constraint failed: {constraint}"
    if declared.expressions:
        return "exactly", f"UNIQUE constraint failed: index '{constraint}'"
    columns = ", ".join(f"{table}.{model._meta.get_field(f).column}" for f in declared.fields)
    return "exactly", f"UNIQUE constraint failed: {columns}"


def refused(build, constraint: str | None = None, *, field: tuple | None = None) -> None:
    """`build` must fail on the database constraint named `constraint` (a Meta
    constraint), or on the unique column `field` given as (model, field name)."""
    assert (constraint is None) != (field is None), "Name one constraint."
    model = field[0] if field else _declared(constraint)[0]
    how, expected = _reported(model, constraint, field[1] if field else None)
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        build()
    message = str(error.value)
    if how == "exactly":
        assert message == expected, f"{message!r} is not {expected!r}"
    else:
        assert expected in message, f"{expected} did not fire: {message!r}"


def test_one_attendance_row_per_meeting_and_seat():
    row = AttendanceFactory()
    refused(
        lambda: Attendance.objects.create(
            meeting=row.meeting, membership=row.membership, status="absent"
        ),
        "attendance_one_row_per_seat",
    )


def test_a_deputy_must_be_named():
    refused(
        lambda: AttendanceFactory(status=Attendance.Status.DEPUTY, deputy_name=""),
        "attendance_deputy_named",
    )
    assert AttendanceFactory(status=Attendance.Status.DEPUTY, deputy_name="Sam Deputy").pk


def test_a_meeting_ends_after_it_starts():
    refused(
        lambda: MeetingFactory(starts_at=london(2024, 5, 1, 10), ends_at=london(2024, 5, 1, 10)),
        "meeting_ends_after_start",
    )
    refused(
        lambda: MeetingFactory(starts_at=london(2024, 5, 1, 10), ends_at=london(2024, 5, 1, 9)),
        "meeting_ends_after_start",
    )


def test_one_value_per_measure_and_quarter():
    value = MeasureValueFactory(year=2024, quarter=1)
    refused(
        lambda: MeasureValueFactory(measure=value.measure, year=2024, quarter=1),
        "measure_value_one_per_quarter",
    )
    assert MeasureValueFactory(measure=value.measure, year=2024, quarter=2).pk


def test_a_quarter_is_numbered_one_to_four():
    refused(lambda: MeasureValueFactory(quarter=5), "measure_value_quarter_1_to_4")
    refused(lambda: QuarterlyReportFactory(quarter=0), "quarterly_report_quarter_1_to_4")


def test_one_finalised_report_per_group_quarter_and_issue():
    report = QuarterlyReportFactory(year=2024, quarter=1)
    refused(
        lambda: QuarterlyReportFactory(group=report.group, year=2024, quarter=1),
        "quarterly_report_one_per_issue",
    )


def test_a_reissue_says_why():
    report = QuarterlyReportFactory(year=2024, quarter=1)
    refused(
        lambda: QuarterlyReportFactory(group=report.group, year=2024, quarter=1, issue=2),
        "quarterly_report_reissue_has_reason",
    )
    QuarterlyReportFactory(group=report.group, year=2024, quarter=1, issue=2, reason="Typo")


@pytest.mark.parametrize(
    "factory", [ToCActivityFactory, CrestRecommendationFactory, PerformanceMeasureFactory]
)
def test_tracker_codes_are_unique(factory):
    factory(code="3.a")
    refused(lambda: factory(code="3.a"), field=(factory._meta.model, "code"))


def test_a_seat_is_unique_per_group_agency_and_role():
    seat = MembershipFactory()
    refused(
        lambda: Membership.objects.create(
            group=seat.group, agency=seat.agency, role_title=seat.role_title
        ),
        "membership_unique_seat",
    )


def test_a_seat_ends_after_it_starts():
    refused(
        lambda: MembershipFactory(start_date=dt.date(2024, 5, 1), end_date=dt.date(2024, 4, 1)),
        "membership_ends_after_start",
    )


def test_a_task_and_finish_group_has_a_parent():
    refused(
        lambda: GroupFactory(kind=Group.Kind.TASK_AND_FINISH, parent=None),
        "group_task_and_finish_has_parent",
    )
    assert GroupFactory(kind=Group.Kind.TASK_AND_FINISH, parent=GroupFactory()).pk


def test_an_email_belongs_to_one_person():
    PersonFactory(email="lead@example.org")
    refused(lambda: PersonFactory(email="Lead@Example.org"), field=(Person, "email"))


def test_a_done_action_has_a_completion_date_and_only_then():
    refused(
        lambda: ActionFactory(status=Action.Status.DONE, completed_on=None),
        "action_done_has_completion_date",
    )
    refused(
        lambda: ActionFactory(status=Action.Status.OPEN, completed_on=dt.date(2024, 5, 1)),
        "action_only_done_has_completion_date",
    )
    assert ActionFactory(status=Action.Status.DONE, completed_on=dt.date(2024, 5, 1)).pk


def test_an_action_update_says_something():
    action = ActionFactory()
    refused(
        lambda: ActionUpdate.objects.create(action=action, text="", new_status=""),
        "action_update_says_something",
    )


def test_an_achieved_recommendation_has_a_date_and_flags_the_tor_for_revision():
    recommendation = CrestRecommendationFactory()
    recommendation.status = CrestRecommendation.Status.ACHIEVED
    refused(recommendation.save, "crest_achieved_has_date")

    recommendation.achieved_on = dt.date(2024, 6, 1)
    recommendation.save()
    tor_revision_on_achievement(recommendation)

    recommendation.group.refresh_from_db()
    assert recommendation.group.tor_revision_due is True
