import pytest

from meetings.attendance import AttendanceSummary
from meetings.models import Meeting
from meetings.selectors import agencies_missing_last_two, attendance_by_agency, attendance_by_seat
from tests.factories import AttendanceFactory, MeetingFactory, MembershipFactory
from tests.meetings.conftest import days_from_now, record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("counts", "text"),
    [
        ((16, 11, 0, 3, 2), "11 of 16 present, 3 apologies, 2 absent"),
        ((16, 11, 0, 3, 0), "11 of 16 present, 3 apologies, 2 not recorded"),
        ((16, 13, 2, 1, 0), "15 of 16 present (2 by deputy), 1 apology"),
        ((16, 0, 0, 0, 0), "Not recorded yet (16 seats expected)"),
        ((1, 0, 0, 0, 0), "Not recorded yet (1 seat expected)"),
        ((2, 2, 0, 1, 0), "2 of 3 present, 1 apology"),
    ],
)
def test_the_summary_reads_as_staff_write_it(counts, text):
    expected, present, deputy, apologies, absent = counts

    summary = AttendanceSummary(expected, present, deputy, apologies, absent)

    assert str(summary) == text


def test_the_annotated_summary_agrees_with_the_one_counted_for_a_meeting(past_meeting):
    record(past_meeting, "present", "deputy", "apologies", "absent")
    MembershipFactory(group=past_meeting.group, person=None)
    MembershipFactory(group=past_meeting.group, attendance_status="not_yet_required")

    annotated = Meeting.objects.with_attendance_summary().get(pk=past_meeting.pk)

    assert annotated.attendance_summary == AttendanceSummary.for_meeting(past_meeting)
    assert annotated.attendance_summary == AttendanceSummary(5, 1, 1, 1, 1)


def test_figures_by_agency_and_by_seat_count_a_deputy_as_attending(past_meeting):
    seat = MembershipFactory(group=past_meeting.group)
    second_seat = MembershipFactory(group=past_meeting.group, agency=seat.agency)
    later = MeetingFactory(group=past_meeting.group, starts_at=days_from_now(-1))
    AttendanceFactory(meeting=past_meeting, membership=seat, status="present")
    AttendanceFactory(meeting=later, membership=seat, status="deputy", deputy_name="D")
    AttendanceFactory(meeting=later, membership=second_seat, status="apologies")

    meetings = Meeting.objects.filter(pk__in=[past_meeting.pk, later.pk])
    [agency] = attendance_by_agency(meetings)
    by_seat = attendance_by_seat(meetings)

    assert (agency.name, agency.attended, agency.recorded, agency.rate) == (
        seat.agency.name,
        2,
        3,
        66.7,
    )
    assert [(s.name, s.agency, s.attended, s.apologies, s.rate) for s in by_seat] == [
        (seat.role_title, seat.agency.name, 2, 0, 100.0),
        (second_seat.role_title, seat.agency.name, 0, 1, 0.0),
    ]


def test_agencies_that_missed_the_last_two_registered_meetings_are_named(working_group):
    # Named so that their order (agency order, then name) never hangs on a factory sequence.
    loyal, lapsed, apologetic = (
        MembershipFactory(group=working_group, agency__name=name)
        for name in ("Agency A (loyal)", "Agency B (lapsed)", "Agency C (apologetic)")
    )
    oldest, older, latest = (
        MeetingFactory(group=working_group, starts_at=days_from_now(days))
        for days in (-300, -200, -100)
    )
    MeetingFactory(group=working_group, starts_at=days_from_now(-50), status="cancelled")
    MeetingFactory(group=working_group, starts_at=days_from_now(-20))  # no register yet
    for meeting, statuses in [
        (oldest, ("present", "present", "present")),
        (older, ("present", "absent", "apologies")),
        (latest, ("deputy", "absent", "apologies")),
    ]:
        for seat, status in zip((loyal, lapsed, apologetic), statuses, strict=True):
            AttendanceFactory(meeting=meeting, membership=seat, status=status, deputy_name="D")

    missed = agencies_missing_last_two(working_group)

    assert [(m.name, m.apologies, m.absent) for m in missed] == [
        (lapsed.agency.name, 0, 2),
        (apologetic.agency.name, 2, 0),
    ]


def test_no_agency_is_flagged_before_two_meetings_have_a_register(past_meeting):
    record(past_meeting, "absent")

    assert agencies_missing_last_two(past_meeting.group) == []
