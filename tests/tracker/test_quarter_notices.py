"""The tracker answers meetings' question about a meeting's quarter (meetings.signals)."""

import pytest

from meetings.signals import notices_about_quarter, quarter_notices
from members.models import Group
from tests.factories import GroupFactory, MeetingFactory, QuarterlyReportFactory, london
from tracker.receivers import finalised_quarter_notices

pytestmark = pytest.mark.django_db


@pytest.fixture
def june_meeting(clock, working_group):
    clock.move_to(london(2024, 9, 2, 9))
    return MeetingFactory(group=working_group, starts_at=london(2024, 6, 11))


def test_the_receiver_is_connected_when_the_tracker_is_ready():
    receivers = [entry[1]() for entry in quarter_notices.receivers]

    assert finalised_quarter_notices in receivers


def test_a_quarter_not_finalised_has_nothing_to_say(june_meeting, working_group):
    QuarterlyReportFactory(group=working_group, year=2024, quarter=2)
    QuarterlyReportFactory(group=GroupFactory(), year=2024, quarter=1)

    assert notices_about_quarter(june_meeting) == []


def test_a_finalised_quarter_says_when_it_was_finalised(june_meeting, working_group):
    QuarterlyReportFactory(
        group=working_group, year=2024, quarter=1, finalised_at=london(2024, 7, 10)
    )

    assert notices_about_quarter(june_meeting) == [
        "The Communications Working Group's 2024-25 Q1 update was finalised on 10 July 2024: "
        "a key update added or changed now reaches the SVRP only if the update is re-issued."
    ]


def test_a_re_issued_quarter_names_its_latest_issue(june_meeting, working_group):
    for issue, day in ((1, 10), (2, 20)):
        QuarterlyReportFactory(
            group=working_group,
            year=2024,
            quarter=1,
            issue=issue,
            reason="" if issue == 1 else "A late key update",
            finalised_at=london(2024, 7, day),
        )

    (notice,) = notices_about_quarter(june_meeting)

    assert notice.startswith(
        "The Communications Working Group's 2024-25 Q1 update was re-issued (issue 2) on "
        "20 July 2024:"
    )


def test_a_task_and_finish_group_hears_of_its_own_and_its_working_group_s_update(
    june_meeting, working_group
):
    task = GroupFactory(
        name="Campaign Task Group", kind=Group.Kind.TASK_AND_FINISH, parent=working_group
    )
    meeting = MeetingFactory(group=task, starts_at=london(2024, 6, 18))
    for group in (task, working_group):
        QuarterlyReportFactory(group=group, year=2024, quarter=1)

    notices = notices_about_quarter(meeting)

    assert [notice.split("'s 2024-25")[0] for notice in notices] == [
        "The Campaign Task Group",
        "The Communications Working Group",
    ]
