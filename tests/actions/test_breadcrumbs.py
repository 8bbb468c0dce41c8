"""The deep action pages name the way back: a breadcrumb trail, the page itself last."""

import lxml.html
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def trail(response) -> list[tuple[str | None, str]]:
    """The breadcrumb's steps as (link, text); the last, the page itself, has no link."""
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    (nav,) = page.xpath("//nav[@aria-label='Breadcrumb']")
    (trail,) = nav.xpath("./ol[contains(@class, 'breadcrumb')]")
    steps = trail.xpath("./li")
    assert steps[-1].get("aria-current") == "page"
    assert all(step.get("aria-current") is None for step in steps[:-1])
    return [
        (
            (step.xpath("./a/@href") or [None])[0],
            " ".join(step.text_content().split()),
        )
        for step in steps
    ]


@pytest.mark.parametrize(
    ("name", "here"),
    [("actions:edit", "Edit"), ("actions:cancel", "Cancel")],
)
def test_the_staff_pages_of_an_action_lead_back_through_it(staff_client, action, name, here):
    response = staff_client.get(reverse(name, args=[action.pk]))

    assert trail(response) == [
        (reverse("actions:list"), "Action log"),
        (reverse("actions:detail", args=[action.pk]), "Draft the brand guidelines"),
        (None, here),
    ]


def test_the_update_page_leads_back_through_the_action(member_client, action):
    response = member_client.get(reverse("actions:update", args=[action.pk]))

    assert trail(response) == [
        (reverse("actions:list"), "Action log"),
        (reverse("actions:detail", args=[action.pk]), "Draft the brand guidelines"),
        (None, "Post an update"),
    ]


def test_an_action_sits_below_the_log(member_client, action):
    response = member_client.get(reverse("actions:detail", args=[action.pk]))

    assert trail(response) == [
        (reverse("actions:list"), "Action log"),
        (None, "Draft the brand guidelines"),
    ]


def test_the_reminder_schedule_sits_below_the_log(staff_client):
    response = staff_client.get(reverse("actions:reminders_schedule"))

    assert trail(response) == [(reverse("actions:list"), "Action log"), (None, "Reminder emails")]
    assert "Back to the action log" not in response.content.decode()


def test_the_action_note_sits_below_its_meeting(staff_client, meeting):
    response = staff_client.get(reverse("actions:note", args=[meeting.pk]))

    assert trail(response) == [
        (reverse("meetings:list"), "Meetings"),
        (reverse("meetings:detail", args=[meeting.pk]), str(meeting)),
        (None, "Action note"),
    ]


def test_the_meetings_action_form_without_javascript_sits_below_its_meeting(staff_client, meeting):
    """An action logged at a meeting with no script, refused, comes back on its own page."""
    response = staff_client.post(reverse("actions:log_at_meeting", args=[meeting.pk]), {})

    assert trail(response) == [
        (reverse("meetings:list"), "Meetings"),
        (reverse("meetings:detail", args=[meeting.pk]), str(meeting)),
        (None, "Log an action"),
    ]
