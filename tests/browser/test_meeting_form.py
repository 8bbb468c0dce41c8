import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Meeting
from members.models import Agency
from tests.browser.helpers import assert_accessible, sign_in
from tests.factories import AgencyFactory, MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_in_person_rule_hint_follows_the_date_and_format(page, staff_user, working_group):
    Agency.objects.filter(pk=staff_user.person.agency_id).update(
        duty_status=Agency.DutyStatus.NOT_APPLICABLE
    )
    MembershipFactory(group=working_group, agency=AgencyFactory(name="Police", order=1))
    MembershipFactory(group=working_group, agency=AgencyFactory(name="Fire", order=2))
    for weeks in (30, 20):
        MeetingFactory(group=working_group, starts_at=timezone.now() - dt.timedelta(weeks=weeks))
    soon = timezone.localdate() + dt.timedelta(days=60)
    long_ago = timezone.localdate() - dt.timedelta(weeks=40)

    sign_in(page, "staff@example.org")
    page.goto(f"/meetings/new/?group={working_group.pk}")
    hint = page.get_by_test_id("rule-hint")
    expect(hint).to_contain_text("holds every third meeting in person")
    expect(hint).to_contain_text("The group's next meeting should be in person")
    assert_accessible(page)

    page.get_by_label("Date").fill(soon.isoformat())
    page.get_by_label("Starts at").fill("10:00")
    page.get_by_label("Format").select_option(Meeting.Format.TEAMS)
    expect(hint).to_contain_text("As entered, it breaks the rule:")
    expect(hint.get_by_role("listitem")).to_contain_text(
        "should be in person: every third meeting is held in person."
    )

    page.get_by_label("Format").select_option(Meeting.Format.IN_PERSON)
    page.get_by_label("Host agency").select_option(label="Police")
    expect(hint).to_contain_text("As entered, it keeps the rule.")
    expect(hint.get_by_role("listitem")).to_have_count(0)

    # Before the two online meetings, it would be the group's first: online is fine.
    page.get_by_label("Date").fill(long_ago.isoformat())
    expect(hint).to_contain_text("may be online: the next in-person meeting is the second")
