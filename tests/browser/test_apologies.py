import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.models import Membership
from tests.browser.helpers import assert_accessible, sign_in
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_sends_apologies_that_staff_find_in_the_register(
    page, member_user, staff_user, working_group
):
    start = timezone.localtime() + dt.timedelta(days=7)
    meeting = MeetingFactory(
        group=working_group, starts_at=start.replace(hour=10, minute=0, second=0, microsecond=0)
    )
    MeetingFactory(group=working_group, starts_at=meeting.starts_at + dt.timedelta(days=28))
    seat = Membership.objects.get(person__user=member_user)

    sign_in(page, "owner@example.org")
    page.get_by_role("link", name="My meetings", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("My meetings")
    assert_accessible(page)

    next_meeting = page.locator("section", has=page.locator(f"#meeting-{meeting.pk}"))
    reply = next_meeting.get_by_test_id(f"reply-seat-{seat.pk}")
    expect(reply.get_by_test_id("reply-state")).to_contain_text("expected to attend")
    reply.get_by_label("Send apologies").check()
    reply.get_by_role("button", name="Send my reply").click()

    expect(page.get_by_role("status")).to_contain_text("is sent: Apologies")
    reply = page.get_by_test_id(f"reply-seat-{seat.pk}").first
    expect(reply.get_by_test_id("reply-state")).to_contain_text("Apologies, sent on")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "staff@example.org")
    page.goto(f"/meetings/{meeting.pk}/")
    expect(page.get_by_role("cell", name="Apologies", exact=True)).to_be_visible()
    page.get_by_role("link", name="Record apologies").click()

    row = page.locator("fieldset", has_text=seat.role_title)
    expect(row.get_by_label("Apologies")).to_be_checked()
    assert_accessible(page)
