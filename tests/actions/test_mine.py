import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from tests.factories import ActionFactory, ActionUpdateFactory, MeetingFactory, london

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
    # A cancelled action is finished: it sits in the collapsed list, not among the cards.
    assert "Called off" not in _outstanding_section(content)
    assert "Called off" in _finished_section(content)


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
    assert "Finished last week" in _finished_section(content)
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


def _outstanding_section(content: str) -> str:
    return content[content.index('id="outstanding"') : content.index('id="finished"')]


def _finished_section(content: str) -> str:
    """The collapsed list of finished actions: a closed <details> below the cards."""
    start = content.index('<details class="mt-4" id="finished">')
    return content[start : content.index("</details>", start)]


def test_finished_actions_sit_in_a_collapsed_section_below_the_cards(
    member_client, member_user, working_group
):
    me = member_user.person
    ActionFactory(owner=me, group=working_group, title="Still to do")
    ActionFactory(
        owner=me, group=working_group, title="Done it", status="done", completed_on=_days(-3)
    )
    ActionFactory(owner=me, group=working_group, title="Dropped", status="cancelled")

    content = member_client.get(URL).content.decode()

    finished = _finished_section(content)
    assert content.index('id="outstanding"') < content.index('id="finished"')
    assert "Still to do" in _outstanding_section(content)
    assert "Done it" in finished and "Dropped" in finished
    assert "Recently completed or cancelled (2)" in finished
    assert "Cancelled" in finished
    assert "Done it" not in _outstanding_section(content)


def test_each_card_shows_the_latest_update_who_and_when(
    member_client, member_user, working_group, clock
):
    me = member_user.person
    action = ActionFactory(owner=me, group=working_group, title="Brief the partners")
    clock.move_to(london(2024, 5, 14, 9))
    ActionUpdateFactory(action=action, text="First draft written.", author_name="Owner")
    clock.move_to(london(2024, 5, 20, 16, 30))
    ActionUpdateFactory(action=action, text="Shared <b>with</b> partners.", author_name="Sam Staff")
    quiet = ActionFactory(owner=me, group=working_group, title="Nothing yet")

    content = member_client.get(URL).content.decode()

    card = content[content.index(f'id="action-{action.pk}"') :]
    card = card[: card.index("</li>")]
    assert "Latest update by <strong>Sam Staff</strong>" in card
    assert "Shared &lt;b&gt;with&lt;/b&gt; partners." in card
    assert "20 May 2024" in card
    assert "First draft written." not in card
    quiet_card = content[content.index(f'id="action-{quiet.pk}"') :]
    assert "No updates yet." in quiet_card[: quiet_card.index("</li>")]


def test_posting_an_update_returns_to_the_same_card_with_the_message(
    member_client, member_user, working_group
):
    me = member_user.person
    for n in range(26):
        ActionFactory(owner=me, group=working_group, due_date=_days(n))
    last = ActionFactory(owner=me, group=working_group, title="The last", due_date=_days(60))
    version = last.version

    response = member_client.post(
        reverse("actions:update", args=[last.pk]),
        {
            f"action-{last.pk}-status": "in_progress",
            f"action-{last.pk}-text": "Started.",
            f"action-{last.pk}-version": version,
            "return_to": "mine",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{URL}?posted={last.pk}&page=2#action-{last.pk}"
    page = member_client.get(response["Location"]).content.decode()
    card = page[page.index(f'id="action-{last.pk}"') :]
    card = card[: card.index("</li>")]
    assert "Update posted on “The last”." in card
    assert "Latest update by" in card and "Started." in card


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

    # session, user, roles, person, count, page, each card's latest update, recently finished
    with django_assert_num_queries(8):
        response = member_client.get(URL)

    assert response.status_code == 200
