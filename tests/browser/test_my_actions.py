"""A member finds and updates their actions; staff see the result and log actions in the meeting."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Action
from tests.browser.helpers import sign_in
from tests.factories import ActionFactory, MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def meeting(working_group):
    return MeetingFactory(group=working_group, starts_at=timezone.now() - dt.timedelta(hours=2))


def test_a_member_updates_their_actions_and_staff_see_it_on_the_meeting_page(
    page, member_user, other_member_user, staff_user, working_group, meeting
):
    me = member_user.person
    brand = ActionFactory(owner=me, group=working_group, meeting=meeting, title="Agree the brand")
    toolkit = ActionFactory(
        owner=me,
        group=working_group,
        meeting=meeting,
        title="Share the toolkit",
        due_date=timezone.localdate() - dt.timedelta(days=2),
    )
    ActionFactory(owner=other_member_user.person, group=working_group, title="Someone else's")

    sign_in(page, "owner@example.org")
    page.get_by_role("link", name="My actions", exact=True).click()

    expect(page.locator("h1")).to_have_text("My actions")
    cards = page.locator("ol.action-cards > li")
    expect(cards).to_have_count(2)
    expect(page.locator("body")).not_to_contain_text("Someone else's")
    expect(page.locator(f"#action-{toolkit.pk}")).to_contain_text("Overdue")

    card = page.locator(f"#action-{brand.pk}")
    card.get_by_label("Status").select_option("in_progress")
    card.get_by_label("Progress update").fill("Draft shared with partners.")
    card.get_by_role("button", name="Post update").click()
    page.get_by_text("Update posted on “Agree the brand”.").wait_for()

    card = page.locator(f"#action-{toolkit.pk}")
    card.get_by_label("Status").select_option("done")
    # Choosing "Done" asks for a completion note before the form is sent.
    card.get_by_label("Completion note (required)").fill("Toolkit sent to every agency.")
    card.get_by_role("button", name="Post update").click()
    page.get_by_text("Marked done: “Share the toolkit”. Thank you.").wait_for()

    expect(page.locator("ol.action-cards > li")).to_have_count(1)
    expect(page.locator("#completed + table")).to_contain_text("Share the toolkit")
    assert Action.objects.get(pk=toolkit.pk).status == Action.Status.DONE

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
    sign_in(page, "staff@example.org")
    page.goto(f"/meetings/{meeting.pk}/")

    expect(page.locator(f"#action-row-{toolkit.pk}")).to_contain_text("Done")
    expect(page.locator(f"#action-row-{brand.pk}")).to_contain_text("In progress")


def test_staff_log_an_action_without_leaving_the_meeting_page(
    page, member_user, staff_user, working_group, meeting
):
    sign_in(page, "staff@example.org")
    page.goto(f"/meetings/{meeting.pk}/")
    url = page.url
    # A full page load would clear this; htmx swapping in the row keeps it.
    page.evaluate("window.stillTheSamePage = true")
    form = page.locator("#log-action-form")

    form.get_by_role("button", name="Log action").click()  # nothing filled in
    form.get_by_text("The action was not logged").wait_for()

    form = page.locator("#log-action-form")
    form.get_by_label("Title").fill("Book the in-person venue")
    form.get_by_label("Owner").select_option(
        label=f"Owner ({member_user.person.agency.display_name})"
    )
    form.get_by_role("button", name="Log action").click()

    expect(
        page.locator("#raised-rows").get_by_role("link", name="Book the in-person venue")
    ).to_be_visible()
    expect(page).to_have_url(url)
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.locator("#raised-empty")).to_have_count(0)
    expect(page.locator("#log-action-form").get_by_label("Title")).to_have_value("")
    expect(page.locator("#meeting-actions-status")).to_contain_text("Action logged")
    assert Action.objects.get().meeting == meeting

    # The next one joins it: no "none yet" row is left to remove, and no error is reported.
    form = page.locator("#log-action-form")
    form.get_by_label("Title").fill("Send the invitations")
    form.get_by_label("Owner").select_option(
        label=f"Owner ({member_user.person.agency.display_name})"
    )
    form.get_by_role("button", name="Log action").click()

    expect(
        page.locator("#raised-rows").get_by_role("link", name="Send the invitations")
    ).to_be_visible()
    expect(page.locator("#raised-rows tr")).to_have_count(2)
    assert page.evaluate("window.stillTheSamePage") is True
    assert Action.objects.filter(meeting=meeting).count() == 2
