"""`manage.py seed_demo`: deterministic demo data on top of the ToR."""

import datetime as dt
import io
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfReader

from actions.models import Action, ActionUpdate
from core.permissions import CHAIR, MEMBER, VRU_STAFF
from core.quarters import Quarter
from meetings.models import Attendance, KeyUpdate, Meeting, MeetingReply
from members.models import Agency, Group, Membership, Person
from tests.clock import frozen_clock
from tracker.models import CrestRecommendation, MeasureValue, PerformanceMeasure, ToCActivity
from tracker.report import report_build
from tracker.report_versions import render_file

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
COMMS = "Communications Working Group"
DEMO_PASSWORD = "vrp-demo-2024"
TABLES = [Group, Membership, Person, get_user_model(), Meeting, Attendance, KeyUpdate, Action]
TABLES += [ActionUpdate, MeasureValue]


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LONDON).date()


def test_it_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="known, published password"):
        seed()

    assert not Group.objects.exists()
    assert not Person.objects.exists()
    assert not get_user_model().objects.exists()


def test_it_runs_with_debug_off_when_forced(settings):
    settings.DEBUG = False

    seed("--force")

    assert Person.objects.filter(email="staff@example.org").exists()


def test_scale_10_gives_enough_rows_for_benchmarks(debug):
    output = seed("--scale", "10")

    assert Action.objects.count() >= 2000
    assert Meeting.objects.count() >= 300
    assert Group.objects.filter(kind="working").count() == 10
    assert Group.objects.filter(kind="task_finish").count() == 10
    assert "[21/21]" in output


class TestTheDemoData:
    """Checks on one scale-1 seeding, made once for the class and rolled back after it."""

    @pytest.fixture(scope="class")
    def seeded(self, django_db_setup, django_db_blocker):
        fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        # Seeded on the suite's frozen clock, which each test's own clock starts at.
        with (
            frozen_clock(),
            django_db_blocker.unblock(),
            override_settings(DEBUG=True, PASSWORD_HASHERS=fast),
            transaction.atomic(),
        ):
            yield seed()
            transaction.set_rollback(True)

    def test_it_loads_the_tor_first(self, seeded):
        assert "Created 2 groups, 11 agencies, 19 seats" in seeded
        assert Agency.objects.count() == 11

    def test_it_shows_progress_and_the_demo_accounts(self, seeded):
        assert "[1/3] Communications Working Group: 17 meetings" in seeded
        assert "[3/3] Website Launch Task and Finish Group: 17 meetings" in seeded
        assert "http://127.0.0.1:8000" in seeded
        assert DEMO_PASSWORD in seeded
        for email in ["staff@", "chair@", "vice-chair@", "member@", "admin@"]:
            assert f"{email}example.org" in seeded

    def test_it_fills_every_comms_seat_that_requires_attendance(self, seeded):
        seats = Membership.objects.filter(group__name=COMMS).select_related("person")
        required = seats.filter(attendance_status="required")
        assert required.count() == 16
        for seat in required:
            assert seat.person is not None, seat.role_title
            assert seat.person.email.endswith("@example.org")
            assert seat.person.job_title == seat.role_title
            assert seat.person.agency_id == seat.agency_id
        assert not seats.filter(attendance_status="not_yet_required", person__isnull=False).exists()

    def test_two_members_have_replied_to_the_next_meeting_and_the_member_may_too(self, seeded):
        """The meeting page and register show replies at once; the member persona's own
        seat is left for whoever tries the demo."""
        comms = Group.objects.get(name=COMMS)
        coming = Meeting.objects.for_group(comms, with_children=False).upcoming().first()
        replies = MeetingReply.objects.filter(meeting=coming).select_related("membership")

        assert sorted(reply.kind for reply in replies) == ["apologies", "deputy"]
        assert all(reply.sent_by_id == reply.membership.person_id for reply in replies)
        assert "member@example.org" not in {reply.sent_by.email for reply in replies}
        assert "6 replies to coming meetings" in seeded

    def test_the_chairs_name_prints_as_written_in_the_quarterly_update(self, seeded):
        """Letters outside Windows-1252 (Ł) survive every step to the PDF's page."""
        chair = Person.objects.get(email="chair@example.org")
        comms = Group.objects.get(name=COMMS)
        report = report_build(group=comms, quarter=Quarter(2026, 2))
        pdf = PdfReader(io.BytesIO(render_file(report, "pdf")))

        assert chair.full_name == "Łucja Wójcik"
        assert report["document"]["author"] == "Łucja Wójcik"
        assert "Łucja Wójcik" in pdf.pages[0].extract_text()

    def test_every_person_signs_in_with_the_demo_password(self, seeded):
        special = {"staff@example.org", "chair@example.org", "vice-chair@example.org"}
        people = Person.objects.select_related("user")
        assert people.count() > 20
        for person in people:
            assert person.user.email == person.email
            roles = set(person.user.groups.values_list("name", flat=True))
            assert roles == {MEMBER} or person.email in special
        users = get_user_model().objects.all()
        # One hash shared by every demo account: hashing is slow on purpose.
        assert users.values("password").distinct().count() == 1
        assert users.order_by("pk").last().check_password(DEMO_PASSWORD)

    @pytest.mark.parametrize(
        ("email", "seat", "roles"),
        [
            ("staff@example.org", "VRU Programmes and Projects Officer", {VRU_STAFF}),
            ("chair@example.org", "VRU Director", {CHAIR}),
            ("vice-chair@example.org", "VRU Manager", {CHAIR, VRU_STAFF}),
            ("member@example.org", "Corporate Communications, Serious Violence Lead", {MEMBER}),
        ],
    )
    def test_the_demo_accounts_sit_in_their_seats_with_their_roles(
        self, seeded, email, seat, roles
    ):
        user = get_user_model().objects.get(email=email)

        assert user.check_password(DEMO_PASSWORD)
        assert set(user.groups.values_list("name", flat=True)) == roles
        assert not user.is_superuser
        assert Membership.objects.get(group__name=COMMS, role_title=seat).person.user == user

    def test_the_admin_account_is_a_superuser(self, seeded):
        admin = get_user_model().objects.get(email="admin@example.org")

        assert admin.is_superuser and admin.is_staff
        assert admin.check_password(DEMO_PASSWORD)

    def test_the_member_has_outstanding_work_some_overdue_some_due_soon(self, seeded):
        member = Person.objects.get(email="member@example.org")
        mine = Action.objects.owned_by(member)

        assert mine.outstanding().count() >= 3
        assert mine.overdue().exists()
        assert mine.due_within(14).exists()

    def test_every_group_meets_once_a_quarter_from_2023_24_to_2027_28(self, seeded):
        expected = []
        quarter = Quarter(2023, 1)
        while quarter <= Quarter(2027, 1):
            expected.append(quarter)
            quarter = quarter.next()

        for group in Group.objects.all():
            meetings = list(group.meetings.order_by("starts_at"))
            assert [Quarter.from_date(local_date(m.starts_at)) for m in meetings] == expected
            for meeting in meetings:
                starts = timezone.localtime(meeting.starts_at, LONDON)
                ends = timezone.localtime(meeting.ends_at, LONDON)
                assert (starts.hour, starts.minute, ends.hour, ends.minute) == (10, 0, 11, 30)
                assert starts.weekday() < 5
                assert starts.month == Quarter.from_date(starts).start.month + 1

    def test_past_meetings_were_held_and_future_ones_are_scheduled(self, seeded):
        today = timezone.localdate()

        for meeting in Meeting.objects.all():
            if local_date(meeting.starts_at) < today:
                assert meeting.status in ("held", "cancelled")
            else:
                assert meeting.status == "scheduled"
        assert Meeting.objects.filter(status="held").count() >= 3 * 13

    def test_every_third_meeting_is_in_person_hosted_in_turn_by_specified_authorities(self, seeded):
        groups = Group.objects.filter(in_person_every=3)
        assert groups.filter(name=COMMS).exists()
        for group in groups:
            seated = set(group.memberships.values_list("agency", flat=True))
            hosts = list(
                Agency.objects.filter(pk__in=seated, duty_status="specified").order_by("order")
            )
            last_hosted = {agency.pk: -1 for agency in hosts}
            for index, meeting in enumerate(group.meetings.order_by("starts_at")):
                if (index + 1) % 3:
                    assert meeting.format == "teams"
                    assert meeting.online_link.startswith("https://teams.example.org/meet/")
                    assert meeting.host_agency is None
                    continue
                # The Specified Authority that hosted least recently hosts next.
                expected = min(hosts, key=lambda agency: last_hosted[agency.pk])
                last_hosted[expected.pk] = index
                assert meeting.format == "in_person"
                assert meeting.host_agency == expected
                assert meeting.location
                assert meeting.online_link == ""

    def test_attendance_is_recorded_only_for_meetings_held(self, seeded):
        for meeting in Meeting.objects.all():
            recorded = set(meeting.attendances.values_list("membership", flat=True))
            if meeting.status == "held":
                assert recorded == set(meeting.expected_memberships().values_list("pk", flat=True))
            else:
                assert recorded == set()
        assert not Attendance.objects.filter(
            meeting__starts_at__date__gte=timezone.localdate()
        ).exists()
        statuses = set(Attendance.objects.values_list("status", flat=True))
        assert {"present", "apologies"} <= statuses
        for row in Attendance.objects.filter(status="deputy"):
            assert row.deputy_name

    def test_held_meetings_have_key_updates_and_actions(self, seeded):
        for meeting in Meeting.objects.filter(status="held"):
            assert 1 <= meeting.key_updates.count() <= 2
            assert 6 <= meeting.actions.count() <= 12  # the member's three extra actions
        assert not KeyUpdate.objects.exclude(meeting__status="held").exists()
        assert not Action.objects.exclude(meeting__status="held").exists()
        assert KeyUpdate.objects.filter(for_svrp=True).exists()

    def test_every_action_status_is_present(self, seeded):
        assert set(Action.objects.values_list("status", flat=True)) == {
            "open",
            "in_progress",
            "done",
            "cancelled",
        }
        assert Action.objects.overdue().exists()

    def test_actions_are_consistent_with_their_meeting_owner_and_dates(self, seeded):
        today = timezone.localdate()
        actions = Action.objects.select_related("meeting", "owner").prefetch_related("updates")
        for action in actions:
            raised = local_date(action.meeting.starts_at)
            assert action.created_at == action.meeting.starts_at
            assert action.group.memberships.filter(person=action.owner).exists()
            assert action.agency_id == action.owner.agency_id
            assert action.due_date > raised
            if action.due_date >= today:
                assert action.status in Action.OUTSTANDING
            if action.status == "done":
                assert raised < action.completed_on < today
            if action.status == "cancelled":
                assert action.cancelled_reason
            for update in action.updates.all():
                assert action.meeting.ends_at < update.created_at < timezone.now()

    def test_most_actions_fall_due_at_the_next_meeting(self, seeded):
        for group in Group.objects.all():
            dates = [local_date(m.starts_at) for m in group.meetings.order_by("starts_at")]
            next_meeting = dict(zip(dates, dates[1:], strict=False))
            actions = group.actions.select_related("meeting")
            on_time = [
                a for a in actions if a.due_date == next_meeting[local_date(a.meeting.starts_at)]
            ]
            assert len(on_time) >= actions.count() - 3

    def test_progress_notes_lead_to_each_actions_status(self, seeded):
        for action in Action.objects.prefetch_related("updates"):
            changes = [u for u in action.updates.all() if u.new_status]
            status = "open"
            for update in changes:
                assert update.old_status == status
                status = update.new_status
            assert status == action.status
        assert ActionUpdate.objects.filter(new_status="", old_status="").exclude(text="").exists()

    def test_some_comms_actions_link_to_the_tracker(self, seeded):
        comms = Action.objects.filter(group__name=COMMS)

        assert set(
            comms.exclude(toc_activity=None).values_list("toc_activity__code", flat=True)
        ) <= {
            "3.a",
            "3.b",
            "3.c",
        }
        assert comms.exclude(toc_activity=None).exists()
        assert comms.exclude(crest_recommendation=None).exists()
        assert comms.exclude(performance_measure=None).exists()
        assert comms.exclude(task_group=None).exists()
        assert not Action.objects.exclude(group__name=COMMS).exclude(toc_activity=None).exists()

    def test_the_tracker_shows_progress_without_flagging_the_tor(self, seeded):
        today = timezone.localdate()
        measure = PerformanceMeasure.objects.get(code="4.1.1.a")
        past = []
        quarter = Quarter(2023, 1)
        while quarter.end < today:
            past.append((quarter.year, quarter.number))
            quarter = quarter.next()

        assert list(measure.values.values_list("year", "quarter")) == past
        values = list(measure.values.values_list("value", flat=True))
        assert values[-1] > values[0]
        assert all(value.note for value in measure.values.all())
        assert measure.target == 5000
        assert set(ToCActivity.objects.values_list("status", flat=True)) <= {
            "in_progress",
            "complete",
        }
        crest = CrestRecommendation.objects.get(code="8.1")
        assert crest.status == "in_progress"
        assert crest.evidence
        assert Group.objects.get(name=COMMS).tor_revision_due is False

    def test_rerunning_it_creates_nothing_new(self, seeded):
        before = counts()

        output = seed()

        assert counts() == before
        assert "Nothing to add" in output

    def test_a_larger_scale_adds_only_the_missing_groups(self, seeded):
        comms_actions = list(Action.objects.filter(group__name=COMMS).values_list("pk", "status"))
        people = Person.objects.count()

        output = seed("--scale", "2")

        assert "Communications Working Group: already seeded." in output
        assert list(Action.objects.filter(group__name=COMMS).values_list("pk", "status")) == (
            comms_actions
        )
        assert Group.objects.filter(kind="working").count() == 2
        assert Group.objects.filter(kind="task_finish").count() == 2
        new_group = Group.objects.get(
            kind="working", parent__kind="svrp", name__contains="Education"
        )
        assert new_group.meetings.count() == 17
        assert Person.objects.count() > people
        # One or two seats are left vacant on a further group, for realism.
        assert new_group.memberships.filter(person=None).exists()
