"""Fixtures for the action tests: an action owned by the `owner` persona, and a meeting."""

import datetime as dt

import pytest
from django.utils import timezone

from actions.models import Action, ActionUpdate, ReminderSent
from members.models import Person
from tests.factories import ActionFactory, MeetingFactory


@pytest.fixture
def meeting(working_group):
    return MeetingFactory(group=working_group, starts_at=timezone.now() - dt.timedelta(hours=1))


@pytest.fixture
def action(member_user, working_group, meeting):
    """An open action of the `owner` persona, raised at `meeting`."""
    return ActionFactory(
        owner=member_user.person,
        group=working_group,
        meeting=meeting,
        title="Draft the brand guidelines",
    )


@pytest.fixture
def done_action(member_user, working_group):
    return ActionFactory(
        owner=member_user.person,
        group=working_group,
        title="Publish the website",
        status=Action.Status.DONE,
        completed_on=timezone.localdate(),
    )


def database_state():
    """Everything an action URL could change, to show that a refusal changed nothing."""
    return (
        list(Action.objects.order_by("pk").values()),
        list(ActionUpdate.objects.order_by("pk").values()),
        list(ReminderSent.objects.order_by("pk").values()),
        list(Person.objects.order_by("pk").values_list("pk", "reminders_opt_out")),
    )
