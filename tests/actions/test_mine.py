import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from tests.factories import ActionFactory, ActionUpdateFactory, MeetingFactory

pytestmark = pytest.mark.django_db

URL = reverse("actions:mine")


def _days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def test_it_lists_only_my_outstanding_actions_soonest_due_first(
    member_client, member_user, other_member_user, working_group
):
    me = member_user.person
    later = ActionFactory(owner=me, group=working_group, title="Later one", due_date=_days(40))
    sooner = ActionFactory(
        owner=me,
        group=working_group,
        title="Sooner one",
        due_date=_days(3),
        status=Action.Status.IN_PROGRESS,
    )
    ActionFactory(owner=other_member_user.person, group=working_group, title="Not mine")
    ActionFactory(owner=me, group=working_group, title="Called off", status="cancelled")

    response = member_client.get(URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert [a.pk for a, _form in response.context["rows"]] == [sooner.pk, later.pk]
    assert "Outstanding (2)" in content
    assert "Not mine" not in content
    assert "Called off" not in content


def test_overdue_and_due_soon_are_said_in_words(member_client, member_user, working_group):
    me = member_user.person
    ActionFactory(owner=me, group=working_group, title="Late", due_date=_days(-2))
    ActionFactory(owner=me, group=working_group, title="Soon", due_date=_days(14))
    ActionFactory(owner=me, group=working_group, title="Relaxed", due_date=_days(15))

    content = member_client.get(URL).content.decode()

    late, soon, relaxed = (content.index(f">{t}<") for t in ("Late", "Soon", "Relaxed"))
    assert "Overdue" in content[late:soon]
    assert "Due soon" in content[soon:relaxed]
    assert "Due soon" not in content[relaxed:] and "Overdue" not in content[relaxed:]


def test_recently_completed_actions_are_listed_below(member_client, member_user, working_group):
    me = member_user.person
    ActionFactory(
        owner=me,
        group=working_group,
        title="Finished last week",
        status="done",
        completed_on=_days(-7),
    )
    ActionFactory(
        owner=me,
        group=working_group,
        title="Finished long ago",
        status="done",
        completed_on=_days(-200),
    )

    content = member_client.get(URL).content.decode()

    assert "Recently completed" in content
    assert "Finished last week" in content
    assert "Finished long ago" not in content


def test_each_outstanding_action_has_its_own_update_form(member_client, member_user, action):
    content = member_client.get(URL).content.decode()

    assert f'action="{reverse("actions:update", args=[action.pk])}"' in content
    assert f'name="action-{action.pk}-text"' in content
    assert 'name="return_to" value="mine"' in content


def test_a_user_who_is_not_a_person_is_told_so(client, working_group):
    from core.permissions import VRU_STAFF
    from tests.factories import UserFactory

    client.force_login(UserFactory(email="admin@example.org", roles=[VRU_STAFF]))

    response = client.get(URL)

    assert response.status_code == 200
    assert "not linked to a member" in response.content.decode()


def test_the_reminder_switch_shows_the_current_preference(member_client, member_user):
    assert "Turn reminder emails off" in member_client.get(URL).content.decode()

    member_client.post(reverse("actions:reminders"), {"reminders": "off"})

    member_user.person.refresh_from_db()
    assert member_user.person.reminders_opt_out is True
    assert "Turn reminder emails on" in member_client.get(URL).content.decode()

    response = member_client.post(reverse("actions:reminders"), {"reminders": "on"}, follow=True)

    member_user.person.refresh_from_db()
    assert member_user.person.reminders_opt_out is False
    assert "You will get action reminder emails again." in response.content.decode()


def _my_data(person, group, scale: int):
    meeting = MeetingFactory(group=group, starts_at=timezone.now() - dt.timedelta(days=30))
    for n in range(3 * scale):
        action = ActionFactory(owner=person, group=group, meeting=meeting, due_date=_days(n - 5))
        ActionUpdateFactory(action=action)
    for n in range(2 * scale):
        ActionFactory(owner=person, group=group, status="done", completed_on=_days(-n))
        ActionFactory(group=group)  # somebody else's


@pytest.mark.parametrize("scale", [1, 10])
def test_it_takes_the_same_number_of_queries_at_any_size(
    member_client, member_user, working_group, django_assert_num_queries, scale
):
    _my_data(member_user.person, working_group, scale)

    # session, user, roles, person, count, page, recently completed
    with django_assert_num_queries(7):
        response = member_client.get(URL)

    assert response.status_code == 200
