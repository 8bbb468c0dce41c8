import csv
import io

import pytest
from django.utils import timezone

from core.quarters import Quarter
from tests.factories import (
    AgencyFactory,
    AttendanceFactory,
    MeetingFactory,
    MembershipFactory,
)
from tests.meetings.conftest import days_from_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(working_group):
    """Two seats of one agency and one of another, over three meetings."""
    police = MembershipFactory(group=working_group, role_title="Corporate Communications")
    police_2 = MembershipFactory(
        group=working_group, agency=police.agency, role_title="Serious Violence Lead"
    )
    fire = MembershipFactory(group=working_group, role_title="Communications team")
    meetings = [
        MeetingFactory(group=working_group, starts_at=days_from_now(days))
        for days in (-120, -60, -10)
    ]
    for meeting, statuses in zip(
        meetings,
        [
            ("present", "present", "present"),
            ("deputy", "absent", "apologies"),
            ("present", "apologies", "absent"),
        ],
        strict=True,
    ):
        for seat, status in zip((police, police_2, fire), statuses, strict=True):
            AttendanceFactory(meeting=meeting, membership=seat, status=status, deputy_name="D")
    return police, fire, meetings


@pytest.mark.parametrize("persona", ["owner", "other_member", "chair", "staff"])
def test_every_signed_in_role_sees_monitoring(persona_clients, persona, history):
    police, _, _ = history
    client = persona_clients[persona]

    page = client.get("/meetings/attendance/")
    export = client.get("/meetings/attendance.csv")

    assert page.status_code == 200
    assert police.agency.name in page.content.decode()
    assert export.status_code == 200
    assert police.agency.name in export.content.decode("utf-8-sig")


def test_members_are_offered_monitoring_from_the_list(member_client):
    assert "/meetings/attendance/" in member_client.get("/meetings/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/meetings/attendance.csv").status_code == 302


def test_it_defaults_to_the_last_four_quarters(chair_client, history):
    response = chair_client.get("/meetings/attendance/")

    current = Quarter.current()
    assert response.context["end"] == current
    assert response.context["start"] == current.previous().previous().previous()


def test_it_shows_rates_apologies_and_absences_by_agency_and_seat(chair_client, history):
    police, fire, _ = history

    response = chair_client.get("/meetings/attendance/")

    agencies = {
        f.name: (f.attended, f.apologies, f.absent, f.rate, bool(missed))
        for f, _, missed in response.context["agencies"]
    }
    assert agencies[police.agency.name] == (4, 1, 1, 66.7, False)
    assert agencies[fire.agency.name] == (1, 1, 1, 33.3, True)
    seats = {f.name: f.rate for f in response.context["seats"]}
    assert seats == {
        "Corporate Communications": 100.0,
        "Serious Violence Lead": 33.3,
        "Communications team": 33.3,
    }
    content = response.content.decode()
    assert "Missed the last two meetings" in content
    assert (
        f"<strong>{fire.agency.name}</strong>: apologies at 1, absent without apologies at 1"
        in content
    )


def test_a_chosen_range_leaves_out_other_quarters(chair_client, history, working_group):
    old = MeetingFactory(group=working_group, starts_at=days_from_now(-800))
    AttendanceFactory(meeting=old, status="absent")
    quarter = Quarter.from_date(timezone.localdate() - timezone.timedelta(days=800))

    response = chair_client.get(
        "/meetings/attendance/",
        {"group": working_group.pk, "start": quarter.label, "end": quarter.label},
    )

    assert [f.absent for f, _, _ in response.context["agencies"]] == [1]
    assert response.context["meeting_count"] == 1


def test_a_range_that_ends_before_it_starts_is_refused(chair_client, working_group):
    current = Quarter.current()

    response = chair_client.get(
        "/meetings/attendance/",
        {"group": working_group.pk, "start": current.label, "end": current.previous().label},
    )

    assert "The last quarter cannot come before the first." in response.content.decode()


def test_the_csv_holds_the_same_figures(staff_client, history):
    police, fire, _ = history

    response = staff_client.get("/meetings/attendance.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment; filename=" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:3] == ["Agency", "Seat", "Present"]
    by_key = {(row[0], row[1]): row for row in rows[2:]}
    assert by_key[(police.agency.name, "All seats")][2:] == [
        "3",
        "1",
        "1",
        "1",
        "6",
        "4",
        "66.7",
        "No",
    ]
    assert by_key[(fire.agency.name, "All seats")][-2:] == ["33.3", "Yes"]
    assert by_key[(police.agency.name, "Serious Violence Lead")][8] == "33.3"


def test_the_meeting_page_list_and_monitoring_agree(staff_client, history, working_group):
    police, fire, _ = history
    # Alone in its quarter, so the monitoring page's figures are this meeting's.
    meeting = MeetingFactory(group=working_group, starts_at=days_from_now(-400))
    for seat, status in ((police, "present"), (fire, "apologies")):
        AttendanceFactory(meeting=meeting, membership=seat, status=status)
    quarter = Quarter.from_date(timezone.localtime(meeting.starts_at).date())

    detail = staff_client.get(f"/meetings/{meeting.pk}/").context["summary"]
    listed = [
        m.attendance_summary
        for m in staff_client.get("/meetings/", {"page": 1}).context["past"]
        if m.pk == meeting.pk
    ]
    monitoring = staff_client.get(
        "/meetings/attendance/",
        {"group": working_group.pk, "start": quarter.label, "end": quarter.label},
    ).context

    assert str(detail) == "1 of 4 present, 1 apology, 2 not recorded"
    assert listed == [detail]
    assert monitoring["meeting_count"] == 1
    total = monitoring["total"]
    assert (total.attended, total.apologies, total.absent) == (1, 1, 0)


def test_the_csv_never_hands_a_spreadsheet_a_formula(staff_client, working_group):
    seat = MembershipFactory(
        group=working_group,
        agency=AgencyFactory(name='=HYPERLINK("https://example.org")'),
        role_title="@SUM(A1:A2)",
    )
    AttendanceFactory(
        meeting=MeetingFactory(group=working_group, starts_at=days_from_now(-10)), membership=seat
    )

    response = staff_client.get("/meetings/attendance.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ['\'=HYPERLINK("https://example.org")', "All seats"] in [row[:2] for row in rows]
    assert ['\'=HYPERLINK("https://example.org")', "'@SUM(A1:A2)"] in [row[:2] for row in rows]


def test_quarters_reach_back_to_the_first_meeting(chair_client, working_group):
    first = MeetingFactory(group=working_group, starts_at=days_from_now(-6 * 365))
    AttendanceFactory(meeting=first, status="absent")
    quarter = Quarter.from_date(timezone.localtime(first.starts_at).date())

    response = chair_client.get(
        "/meetings/attendance/",
        {"group": working_group.pk, "start": quarter.label, "end": quarter.label},
    )

    assert response.context["valid"]
    assert [f.absent for f, _, _ in response.context["agencies"]] == [1]


def test_apologies_sent_ahead_of_a_meeting_count_only_once_it_has_started(
    chair_client, history, working_group
):
    police, _, _ = history
    coming = MeetingFactory(
        group=working_group, starts_at=timezone.now() + timezone.timedelta(hours=2)
    )
    AttendanceFactory(meeting=coming, membership=police, status="apologies")

    response = chair_client.get("/meetings/attendance/")

    agencies = {f.name: f.apologies for f, _, _ in response.context["agencies"]}
    assert agencies[police.agency.name] == 1
    assert response.context["meeting_count"] == 3
