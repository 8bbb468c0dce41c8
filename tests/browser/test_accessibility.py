"""axe-core over the portal's main pages, signed in as staff, with a little of everything."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, sign_in
from tests.guards.urlconf import OBJECT_ID, build_one_of_everything

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/",
    "/members/",
    "/members/distribution-list/",
    "/meetings/",
    "/meetings/new/",
    "/meetings/plan/",
    "/meetings/attendance/",
    "/meetings/groups/",
    "/meetings/calendar/",
    f"/meetings/{OBJECT_ID}/",
    f"/meetings/{OBJECT_ID}/attendance/",
    "/actions/",
    "/actions/mine/",
    "/actions/new/",
    f"/actions/{OBJECT_ID}/",
    f"/actions/{OBJECT_ID}/edit/",
    "/tracker/",
    f"/tracker/measures/{OBJECT_ID}/",
    "/reports/quarterly/",
    "/reports/quarterly/2024-25/q1/",
]


def test_the_main_pages_have_no_accessibility_violations(page, staff_user):
    build_one_of_everything(staff_user.person)
    sign_in(page, staff_user.email)

    for path in PAGES:
        page.goto(path)
        expect(page.locator("h1"), path).to_have_count(1)
        expect(page, path).to_have_title(re.compile(r"– VRP portal$"))
        assert_accessible(page)
