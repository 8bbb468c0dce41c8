import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionUpdate
from tests.factories import AgencyFactory, MeetingFactory, PerformanceMeasureFactory

pytestmark = pytest.mark.django_db

URL = reverse("actions:new")


def test_staff_log_an_action_and_the_agency_and_due_date_fill_themselves_in(
    staff_client, staff_user, member_user, working_group
):
    next_meeting = MeetingFactory(
        group=working_group, starts_at=timezone.now() + dt.timedelta(days=40)
    )
    measure = PerformanceMeasureFactory(group=working_group)

    response = staff_client.post(
        URL,
        {
            "title": "Report website views",
            "detail": "For the quarterly update.",
            "owner": member_user.person.pk,
            "group": working_group.pk,
            "performance_measure": measure.pk,
        },
    )

    action = Action.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:detail", args=[action.pk])
    assert action.agency == member_user.person.agency
    assert action.due_date == timezone.localdate(next_meeting.starts_at)
    assert action.performance_measure == measure
    assert action.created_by == staff_user
    assert action.status == Action.Status.OPEN
    update = ActionUpdate.objects.get(action=action)
    assert (update.author, update.new_status) == (staff_user, "open")


def test_with_no_meeting_scheduled_the_action_is_due_in_90_days(
    staff_client, member_user, working_group
):
    staff_client.post(
        URL,
        {"title": "Map the community", "owner": member_user.person.pk, "group": working_group.pk},
    )

    assert Action.objects.get().due_date == timezone.localdate() + dt.timedelta(days=90)


def test_a_chosen_agency_and_due_date_are_kept(staff_client, member_user, working_group):
    agency = AgencyFactory()

    staff_client.post(
        URL,
        {
            "title": "Map the community",
            "owner": member_user.person.pk,
            "agency": agency.pk,
            "group": working_group.pk,
            "due_date": "2030-01-31",
        },
    )

    action = Action.objects.get()
    assert (action.agency, action.due_date) == (agency, dt.date(2030, 1, 31))


def test_invalid_input_is_shown_again_with_errors_and_nothing_is_saved(staff_client, working_group):
    response = staff_client.post(URL, {"title": "No owner", "group": working_group.pk})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert 'value="No owner"' in response.content.decode()
    assert not Action.objects.exists()


def test_the_form_is_prefilled_from_a_meeting(staff_client, working_group):
    meeting = MeetingFactory(group=working_group)

    response = staff_client.get(URL, {"meeting": meeting.pk})

    form = response.context["form"]
    assert form.initial == {"meeting": meeting.pk, "group": working_group.pk}


def test_a_meeting_of_another_group_is_refused(staff_client, member_user, working_group):
    elsewhere = MeetingFactory()

    response = staff_client.post(
        URL,
        {
            "title": "Mismatch",
            "owner": member_user.person.pk,
            "group": working_group.pk,
            "meeting": elsewhere.pk,
        },
    )

    assert "Choose a meeting of the action&#x27;s group." in response.content.decode()
    assert not Action.objects.exists()
