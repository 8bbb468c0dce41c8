"""A member finds and updates their actions; staff see the result and log actions in the meeting."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Action
from tests.browser.helpers import assert_accessible, sign_in
from tests.factories import ActionFactory, MeetingFactory, MembershipFactory, PersonFactory

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
    # Back on the same card, which says so and shows the update just posted.
    page.wait_for_url(f"**/actions/mine/?posted={brand.pk}#action-{brand.pk}")
    card = page.locator(f"#action-{brand.pk}")
    expect(card).to_contain_text("Update posted on “Agree the brand”.")
    expect(card).to_contain_text("Draft shared with partners.")
    expect(card).to_contain_text("Latest update by")

    card = page.locator(f"#action-{toolkit.pk}")
    card.get_by_label("Status").select_option("done")
    # Choosing "Done" asks for a completion note before the form is sent.
    card.get_by_label("Completion note (required)").fill("Toolkit sent to every agency.")
    card.get_by_role("button", name="Post update").click()
    page.locator("#finished").get_by_text("Marked done: “Share the toolkit”. Thank you.").wait_for()

    expect(page.locator("ol.action-cards > li")).to_have_count(1)
    # Finished actions sit in a collapsed section, opened to show the one just done.
    finished = page.locator("details#finished")
    expect(finished).to_have_attribute("open", "")
    expect(page.locator(f"#action-{toolkit.pk}")).to_be_visible()
    expect(finished).to_contain_text("Share the toolkit")
    page.goto("/actions/mine/")
    expect(page.locator("details#finished")).not_to_have_attribute("open", "")
    expect(page.locator(f"#action-{toolkit.pk}")).to_be_hidden()
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
    form.get_by_label("Owner").select_option(label="Owner")
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
    form.get_by_label("Owner").select_option(label="Owner")
    form.get_by_role("button", name="Log action").click()

    expect(
        page.locator("#raised-rows").get_by_role("link", name="Send the invitations")
    ).to_be_visible()
    expect(page.locator("#raised-rows tr")).to_have_count(2)
    assert page.evaluate("window.stillTheSamePage") is True
    assert Action.objects.filter(meeting=meeting).count() == 2


def test_typing_a_name_narrows_the_owner_list_at_once(page, member_user, staff_user, working_group):
    """With JavaScript typing asks the owner search: no Find button, no page load. A bare
    new action lists nobody until then, and only active people can be found."""
    for name in ("Priya Shah", "Priyanka Rao", "Tom Ward"):
        MembershipFactory(group=working_group, person=PersonFactory(full_name=name))
    PersonFactory(full_name="Priya Gone", is_active=False)

    sign_in(page, "staff@example.org")
    page.goto("/actions/new/")
    page.evaluate("window.stillTheSamePage = true")
    owner = page.locator("#id_owner")
    options = owner.locator("option:not([value=''])")
    search = page.get_by_label("Find a person")
    expect(page.get_by_role("button", name="Find")).to_be_hidden()
    expect(options).to_have_count(0)

    search.fill("priy")

    expect(options).to_have_text(["Priya Shah", "Priyanka Rao"])
    expect(page.get_by_text("2 people match: choose from the list above.")).to_be_visible()
    owner.select_option(label="Priyanka Rao")

    search.fill("tom")
    # The person chosen stays, with the new matches.
    expect(options).to_have_text(["Priyanka Rao", "Tom Ward"])
    assert owner.evaluate("select => select.selectedOptions[0].textContent") == "Priyanka Rao"

    search.press("Enter")  # narrows; does not send the form
    search.fill("")
    # What the page listed (nobody, with no group chosen) and the person chosen.
    expect(options).to_have_text(["Priyanka Rao"])
    assert page.evaluate("window.stillTheSamePage") is True

    page.locator("#id_title").fill("Book the venue")
    page.locator("#id_group").select_option(label=str(working_group))
    page.get_by_role("button", name="Log action").click()
    page.get_by_text("Action logged: “Book the venue”.").wait_for()
    assert Action.objects.get().owner.full_name == "Priyanka Rao"


def test_a_prefilled_new_action_lists_the_groups_people_and_finds_anybody_else(
    page, member_user, staff_user, working_group, meeting
):
    PersonFactory(full_name="Zara Quinn")

    sign_in(page, "staff@example.org")
    page.goto(f"/actions/new/?meeting={meeting.pk}")
    owner = page.locator("#id_owner")
    options = owner.locator("option:not([value=''])")
    # The staff member and the owner, each on the meeting's group.
    expect(options).to_have_count(2)
    expect(owner.locator("optgroup")).to_have_count(2)

    page.get_by_label("Find a person").fill("zara")
    expect(options).to_have_text(["Zara Quinn"])
    expect(page.get_by_text("1 person matches: choose from the list above.")).to_be_visible()
    owner.select_option(label="Zara Quinn")
    page.get_by_label("Find a person").fill("")
    # Back to the group's people, keeping the person chosen.
    expect(options).to_have_count(3)
    assert owner.evaluate("select => select.selectedOptions[0].textContent") == "Zara Quinn"
    assert_accessible(page)

    page.locator("#id_title").fill("Brief the panel")
    page.get_by_role("button", name="Log action").click()
    page.get_by_text("Action logged: “Brief the panel”.").wait_for()
    assert Action.objects.get().owner.full_name == "Zara Quinn"


def test_the_pages_changed_here_stay_accessible(page, member_user, staff_user, working_group):
    """The log with its owner picker, the reminder emails page and a form with Find."""
    me = member_user.person
    action = ActionFactory(owner=me, group=working_group, due_date=timezone.localdate())
    ActionFactory(owner=me, group=working_group, status="cancelled")
    action.updates.create(text="Started.", author_name="Owner")

    sign_in(page, "staff@example.org")
    for path in ("/actions/", "/actions/new/", "/actions/reminders/schedule/"):
        page.goto(path)
        expect(page.locator("h1"), path).to_have_count(1)
        assert_accessible(page)
    page.get_by_role("link", name="Sign out").or_(
        page.get_by_role("button", name="Sign out")
    ).click()
    page.wait_for_url("**/accounts/login/")
    sign_in(page, "owner@example.org")
    page.goto("/actions/mine/")
    page.locator("#finished summary").click()
    assert_accessible(page)
