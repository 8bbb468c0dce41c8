"""The staff page of reminder emails: those sent, and those the daily job will send in
the next 14 days, worked out by the sender's own rule (actions.reminders)."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from actions.models import ReminderSent
from actions.reminders import reminder_message, reminders_due_on, send_action_reminders
from tests.factories import ActionFactory, PersonFactory, london

pytestmark = pytest.mark.django_db

URL = reverse("actions:reminders_schedule")
MONDAY = dt.date(2025, 3, 3)


@pytest.fixture
def scene(clock):
    """Monday 3 March 2025: one action due on Thursday, one in 10 days, one overdue."""
    clock.move_to(london(2025, 3, 3, 9))
    priya = PersonFactory(full_name="Priya Shah", email="priya@example.org")
    tom = PersonFactory(full_name="Tom Ward", email="tom@example.org")
    quiet = PersonFactory(full_name="Quiet Person", reminders_opt_out=True)
    ActionFactory(owner=priya, title="Share the toolkit", due_date=MONDAY + dt.timedelta(days=3))
    ActionFactory(owner=tom, title="Map <partners>", due_date=MONDAY + dt.timedelta(days=10))
    ActionFactory(owner=priya, title="Late report", due_date=MONDAY - dt.timedelta(days=2))
    ActionFactory(owner=quiet, title="Nobody reminded", due_date=MONDAY + dt.timedelta(days=1))


def _due(response) -> list[tuple]:
    return [
        (row["reminder"].day, row["email"].to[0], row["email"].subject)
        for row in response.context["due"]
    ]


def test_it_lists_the_reminders_due_in_the_next_14_days_with_previews(staff_client, scene):
    response = staff_client.get(URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert _due(response) == [
        (MONDAY, "priya@example.org", "Action due in 3 days: Share the toolkit"),
        (MONDAY, "priya@example.org", "You have 1 overdue action in the VRP portal"),
        (dt.date(2025, 3, 6), "priya@example.org", "Action due today: Share the toolkit"),
        (dt.date(2025, 3, 6), "tom@example.org", "Action due in 7 days: Map <partners>"),
        # Next Monday's digest: the toolkit is overdue by then too.
        (dt.date(2025, 3, 10), "priya@example.org", "You have 2 overdue actions in the VRP portal"),
        (dt.date(2025, 3, 13), "tom@example.org", "Action due today: Map <partners>"),
        # Overdue the day after, so this week's digest goes then, not next Monday.
        (dt.date(2025, 3, 14), "tom@example.org", "You have 1 overdue action in the VRP portal"),
    ]
    assert "Due from 3 March 2025 to 16 March 2025" in content
    assert "Preview the email" in content
    assert "Subject:</strong> Action due in 7 days: Map &lt;partners&gt;" in content
    assert "Dear Tom Ward," in content
    assert "Nobody reminded" not in content


def test_the_due_list_is_what_the_sender_sends_day_after_day(staff_client, scene, clock):
    promised = _due(staff_client.get(URL))

    sent = []
    for offset in range(14):
        day = MONDAY + dt.timedelta(days=offset)
        clock.move_to(london(day.year, day.month, day.day, 7))
        before = ReminderSent.objects.count()
        outbox_before = len(mail.outbox)
        send_action_reminders(today=day)
        sent += [(day, m.to[0], m.subject) for m in mail.outbox[outbox_before:]]
        assert ReminderSent.objects.count() - before == len(mail.outbox) - outbox_before

    assert sent == promised


def test_a_reminder_already_sent_today_is_listed_as_sent_not_due(staff_client, scene):
    send_action_reminders(today=MONDAY)

    response = staff_client.get(URL)

    content = response.content.decode()
    assert [row[0] for row in _due(response)] == [
        dt.date(2025, 3, 6),
        dt.date(2025, 3, 6),
        dt.date(2025, 3, 10),
        dt.date(2025, 3, 13),
        dt.date(2025, 3, 14),
    ]
    assert "2 reminder emails sent, newest first." in content
    sent = content[content.index('id="reminders-sent"') :]
    assert "Priya Shah" in sent and "priya@example.org" in sent
    assert "Share the toolkit</a>, due 6 March 2025" in sent
    assert "Due in 7 days" in sent
    assert "Overdue actions, week beginning 3 March 2025" in sent


def test_the_sent_list_is_paginated_newest_first(staff_client, clock):
    clock.move_to(london(2025, 3, 3, 9))
    person = PersonFactory(full_name="Priya Shah")
    for n in range(30):
        action = ActionFactory(owner=person, title=f"Action {n:02}")
        ReminderSent.objects.create(
            person=person,
            action=action,
            kind=ReminderSent.Kind.DUE_TODAY,
            for_date=action.due_date,
            sent_at=london(2025, 1, 1) + dt.timedelta(hours=n),
        )

    first = staff_client.get(URL)
    second = staff_client.get(URL, {"page": 2})

    titles = [reminder.action.title for reminder in first.context["page_obj"]]
    assert titles[:2] == ["Action 29", "Action 28"]
    assert len(titles) == 25
    assert [r.action.title for r in second.context["page_obj"]] == [
        f"Action {n:02}" for n in range(4, -1, -1)
    ]


def test_the_preview_is_the_email_the_sender_builds(scene):
    (reminder, *_rest) = reminders_due_on(MONDAY)

    message = reminder_message(reminder)

    assert message.subject == "Action due in 3 days: Share the toolkit"
    assert message.to == ["priya@example.org"]
    assert "Dear Priya Shah," in message.body


@pytest.mark.parametrize(
    ("persona", "status"),
    [("owner", 403), ("other_member", 403), ("chair", 403), ("staff", 200)],
)
def test_only_staff_see_it(persona_clients, persona, status):
    assert persona_clients[persona].get(URL).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_answers_post_with_405(staff_client):
    assert staff_client.post(URL).status_code == 405


def test_the_action_log_links_to_it_for_staff_only(staff_client, member_client):
    assert URL in staff_client.get(reverse("actions:list")).content.decode()
    assert URL not in member_client.get(reverse("actions:list")).content.decode()


@pytest.mark.parametrize("scale", [1, 5])
def test_it_takes_the_same_number_of_queries_at_any_size(
    staff_client, clock, django_assert_num_queries, scale
):
    clock.move_to(london(2025, 3, 3, 9))
    for n in range(3 * scale):
        owner = PersonFactory()
        ActionFactory(owner=owner, due_date=MONDAY + dt.timedelta(days=n % 12))
        ActionFactory(owner=owner, due_date=MONDAY - dt.timedelta(days=n + 1))
    send_action_reminders(today=MONDAY)

    # session, user, roles, the person in the header; sent count and page; candidate
    # actions; reminders already sent
    with django_assert_num_queries(8):
        response = staff_client.get(URL)

    assert response.status_code == 200
