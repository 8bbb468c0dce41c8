"""Each rule in one place: the default working group, a meeting's summary that never
queries on its own, and the ToR revision that every save of a recommendation triggers."""

import datetime as dt

import pytest
from django.contrib import admin
from django.test import RequestFactory

from meetings.models import Meeting
from members.models import Group
from tests.factories import (
    AttendanceFactory,
    CrestRecommendationFactory,
    GroupFactory,
    MeetingFactory,
    MembershipFactory,
    UserFactory,
)
from tests.meetings.conftest import days_from_now
from tracker.admin import CrestRecommendationAdmin
from tracker.models import CrestRecommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def later_group_first_by_name(working_group):
    """A working group set up after the Communications Working Group, first by name."""
    return GroupFactory(name="Anti-Social Behaviour Working Group")


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("/meetings/plan/", "group"),
        ("/meetings/attendance/", "group"),
        ("/tracker/", "group"),
        ("/reports/quarterly/", "group"),
        ("/members/distribution-list/", "group"),
    ],
)
def test_every_page_opens_on_the_working_group_set_up_first(
    staff_client, working_group, later_group_first_by_name, url, key
):
    page = staff_client.get(url)

    assert page.status_code == 200
    assert page.context[key] == working_group


def test_a_new_meeting_is_offered_for_the_working_group_set_up_first(
    staff_client, working_group, later_group_first_by_name
):
    form = staff_client.get("/meetings/new/").context["form"]

    assert form.initial["group"] == working_group


def test_the_default_working_group_is_never_an_inactive_or_other_kind_of_group(db):
    GroupFactory(name="Strategic VRP", kind=Group.Kind.SVRP)
    GroupFactory(name="Closed Working Group", is_active=False)
    wanted = GroupFactory(name="Youth Working Group")

    assert Group.objects.default_working_group() == wanted
    assert list(Group.objects.working_groups()) == [wanted]


def test_a_meeting_fetched_without_its_summary_refuses_rather_than_counting_quietly(
    django_assert_num_queries, working_group
):
    meeting = MeetingFactory(group=working_group, starts_at=days_from_now(-7))
    fetched = Meeting.objects.get(pk=meeting.pk)

    with django_assert_num_queries(0), pytest.raises(RuntimeError, match="with_attendance"):
        _ = fetched.attendance_summary


def test_the_meeting_list_counts_every_register_in_the_same_queries_however_many(
    staff_client, django_assert_max_num_queries, working_group
):
    for days in range(1, 13):
        meeting = MeetingFactory(group=working_group, starts_at=days_from_now(-7 * days))
        seat = MembershipFactory(group=working_group)
        AttendanceFactory(meeting=meeting, membership=seat, status="present")
    with django_assert_max_num_queries(12):  # the same budget at one meeting as at twelve
        page = staff_client.get("/meetings/")

    assert page.content.decode().count("1 of ") >= 12


def test_achieving_a_recommendation_in_the_admin_makes_the_tor_due_too(working_group):
    recommendation = CrestRecommendationFactory(group=working_group)
    recommendation.status = CrestRecommendation.Status.ACHIEVED
    recommendation.achieved_on = dt.date(2024, 6, 1)
    request = RequestFactory().post("/")
    request.user = UserFactory(email="root@example.org", is_superuser=True)

    CrestRecommendationAdmin(CrestRecommendation, admin.site).save_model(
        request, recommendation, None, True
    )

    working_group.refresh_from_db()
    assert working_group.tor_revision_due is True


def test_saving_a_recommendation_alone_changes_nothing_else(working_group):
    """The model saves itself only: the ToR's revision is the services' job, so that no
    write path (a bulk update, say) can be mistaken for one that flags it."""
    recommendation = CrestRecommendationFactory(group=working_group)
    recommendation.status = CrestRecommendation.Status.ACHIEVED
    recommendation.achieved_on = dt.date(2024, 6, 1)

    recommendation.save()

    working_group.refresh_from_db()
    assert working_group.tor_revision_due is False
