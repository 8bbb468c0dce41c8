import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, sign_in
from tests.factories import MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_record_a_register_with_keyboard_and_mouse(page, staff_user, working_group):
    for title in ("Alpha seat", "Bravo seat", "Charlie seat"):
        MembershipFactory(group=working_group, role_title=title)
    MembershipFactory(group=working_group, role_title="Delta seat", person=None)
    meeting = MeetingFactory(group=working_group, starts_at=timezone.now() - dt.timedelta(days=2))

    sign_in(page, "staff@example.org")
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Record attendance").click()

    summary = page.locator("#register-summary")
    expect(summary).to_have_text("Not recorded yet (5 seats expected)")
    assert_accessible(page)
    row = {
        title: page.locator("fieldset", has_text=title)
        for title in ("Alpha", "Bravo", "Charlie", "Delta")
    }

    # The mouse for one seat, the keyboard for the next: Tab into its radios, Space, arrow.
    row["Alpha"].get_by_label("Present", exact=True).click()
    expect(summary).to_have_text("1 of 5 present, 0 apologies, 4 not recorded")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    expect(row["Bravo"].get_by_label("Apologies")).to_be_checked()

    # A deputy's name is asked for only once "Deputy attended" is chosen.
    deputy_name = row["Charlie"].get_by_label("Deputy's name")
    expect(deputy_name).to_be_hidden()
    row["Charlie"].get_by_label("Deputy attended").click()
    expect(deputy_name).to_be_focused()
    page.keyboard.type("Dana Deputy")

    row["Delta"].get_by_label("Absent").click()
    expect(row["Delta"]).to_contain_text("Vacant seat")
    page.get_by_role("button", name="Mark every filled seat not yet chosen as present").click()
    expect(summary).to_have_text("3 of 5 present (1 by deputy), 1 apology, 1 absent")

    page.get_by_role("button", name="Save the register").click()

    expect(page.locator("h1")).to_have_text("Communications Working Group meeting")
    expect(page.get_by_test_id("attendance-summary")).to_have_text(
        "3 of 5 present (1 by deputy), 1 apology, 1 absent"
    )
    expect(page.get_by_role("cell", name="Deputy attended (Dana Deputy)")).to_be_visible()
