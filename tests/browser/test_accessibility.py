"""axe-core over the portal's main pages, signed in as staff, with a little of everything."""

import pytest

from tests.browser.helpers import assert_accessible, sign_in
from tests.guards.urlconf import OBJECT_ID, build_one_of_everything

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/",
    "/members/",
    "/meetings/",
    f"/meetings/{OBJECT_ID}/",
    "/actions/",
    "/actions/mine/",
    f"/actions/{OBJECT_ID}/",
    "/tracker/",
    "/reports/quarterly/",
]


def test_the_main_pages_have_no_accessibility_violations(page, staff_user):
    build_one_of_everything(staff_user.person)
    sign_in(page, staff_user.email)

    for path in PAGES:
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)
