"""Every change made on an action page ends by saying so: a message on the page the user
lands on, or, for the meeting page's inline form, a confirmation in its live region."""

import lxml.html
import pytest
from django.urls import reverse

from actions.models import Action

pytestmark = pytest.mark.django_db


def shown_messages(response) -> list[str]:
    """The messages the page announces (base.html's role="status" region), as read."""
    page = lxml.html.fromstring(response.content)
    return [
        " ".join(alert.text_content().split())
        for alert in page.xpath("//div[contains(@class, 'messages')][@role='status']/div")
    ]


def _edit_data(action, **changes):
    data = {
        "title": action.title,
        "detail": action.detail,
        "owner": action.owner_id,
        "agency": action.agency_id,
        "group": action.group_id,
        "meeting": action.meeting_id or "",
        "due_date": action.due_date.isoformat(),
        "version": action.version,
    }
    return data | changes


def test_logging_an_action_says_so(staff_client, member_user, working_group):
    response = staff_client.post(
        reverse("actions:new"),
        {"title": "Book the venue", "owner": member_user.person.pk, "group": working_group.pk},
        follow=True,
    )

    assert shown_messages(response) == ["Action logged: “Book the venue”."]


def test_saving_an_edit_says_so(staff_client, action):
    response = staff_client.post(
        reverse("actions:edit", args=[action.pk]),
        _edit_data(action, title="Draft the brand guidelines, with the police"),
        follow=True,
    )

    assert shown_messages(response) == [
        "Changes saved to “Draft the brand guidelines, with the police”."
    ]


def test_saving_an_edit_that_changes_nothing_says_so(staff_client, action):
    response = staff_client.post(
        reverse("actions:edit", args=[action.pk]), _edit_data(action), follow=True
    )

    assert shown_messages(response) == ["Nothing was changed."]


def test_posting_an_update_says_so_on_the_action_page(member_client, action):
    prefix = f"action-{action.pk}-"
    response = member_client.post(
        reverse("actions:update", args=[action.pk]),
        {f"{prefix}status": "in_progress", f"{prefix}text": "Begun.", f"{prefix}version": 1},
        follow=True,
    )

    assert response.request["PATH_INFO"] == reverse("actions:detail", args=[action.pk])
    assert shown_messages(response) == ["Update posted on “Draft the brand guidelines”."]


def test_cancelling_says_so(staff_client, action):
    response = staff_client.post(
        reverse("actions:cancel", args=[action.pk]),
        {"reason": "Merged into another action.", "version": action.version},
        follow=True,
    )

    assert shown_messages(response) == [
        "Action cancelled: “Draft the brand guidelines”. It stays in the log."
    ]


def test_reopening_says_so(staff_client, done_action):
    response = staff_client.post(
        reverse("actions:reopen", args=[done_action.pk]),
        {"version": done_action.version},
        follow=True,
    )

    done_action.refresh_from_db()
    assert done_action.status == Action.Status.OPEN
    assert shown_messages(response) == ["Action reopened: “Publish the website”."]


def test_a_reopen_that_cannot_be_done_says_why(staff_client, done_action):
    response = staff_client.post(
        reverse("actions:reopen", args=[done_action.pk]), {"version": "x"}, follow=True
    )

    assert shown_messages(response) == [
        "The action could not be reopened: reload the page and try again."
    ]


def test_turning_reminders_off_says_so(member_client, member_user):
    response = member_client.post(reverse("actions:reminders"), {"reminders": "off"}, follow=True)

    assert shown_messages(response) == ["You will not get action reminder emails."]


def test_logging_at_a_meeting_without_javascript_says_so(staff_client, member_user, meeting):
    response = staff_client.post(
        reverse("actions:log_at_meeting", args=[meeting.pk]),
        {"log-title": "Share the toolkit", "log-owner": member_user.person.pk},
        follow=True,
    )

    assert shown_messages(response) == ["Action logged: “Share the toolkit”."]


def test_logging_at_a_meeting_with_htmx_confirms_in_the_live_region(
    staff_client, member_user, meeting
):
    response = staff_client.post(
        reverse("actions:log_at_meeting", args=[meeting.pk]),
        {"log-title": "Share the toolkit", "log-owner": member_user.person.pk},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    # The status element the page already holds (role="status") takes the confirmation.
    region = html[html.index('<div id="meeting-actions-status" hx-swap-oob="innerHTML">') :]
    assert "Action logged: “Share the toolkit”, owned by Owner" in region.split("</div>")[0]
