"""Access, one way: every view starts with its access check in one style, each rule is
defined once, the dashboard needs a role, and a calendar feed needs an active person
with an active account."""

import ast
import datetime as dt
import inspect
import re
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import permissions
from tests.factories import GroupFactory, MeetingFactory, MembershipFactory, UserFactory
from tests.guards.test_csrf import every_view
from tests.guards.urlconf import portal_patterns

pytestmark = pytest.mark.django_db

PORTAL_PACKAGES = {"actions", "core", "meetings", "members", "portal", "tracker"}
DECORATORS = {"role_required", "staff_required", "reporter_required"}
# One helper per object type: 404 for an object the user may not see, 403 for a change
# the role may not make. A view about one object calls its helper on its first line.
OBJECT_HELPERS = {"get_action", "get_meeting", "_get_person", "_measure_or_404"}
SOURCE_PACKAGES = sorted(PORTAL_PACKAGES)


def portal_views():
    """(route, view) of every view of the portal's own packages in the URLconf."""
    for route, view in every_view():
        if inspect.unwrap(view).__module__.split(".")[0] in PORTAL_PACKAGES:
            yield route, view


def calls_on_first_line(view) -> set[str]:
    """The names of the functions the view's first statement (after its docstring) calls."""
    function = inspect.unwrap(view)
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    body = tree.body[0].body
    if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return {
        node.func.id if isinstance(node.func, ast.Name) else node.func.attr
        for node in ast.walk(body[0])
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)
    }


def access_style(view) -> str:
    if getattr(view, "login_required", True) is False:
        return "public"
    if getattr(view, "access_check", None) in DECORATORS:
        return "decorator"
    if calls_on_first_line(view) & OBJECT_HELPERS:
        return "object helper"
    return "none"


def test_every_view_starts_with_its_access_check():
    unchecked = [route for route, view in portal_views() if access_style(view) == "none"]

    assert unchecked == [], "Start these views with a decorator of core.permissions"


def test_the_guard_sees_every_kind_of_view():
    styles = {route: access_style(view) for route, view in portal_views()}

    assert styles[""] == "decorator"  # the dashboard
    assert styles["healthz/"] == "public"
    assert styles["meetings/calendar.ics"] == "public"
    assert styles["actions/<int:pk>/"] == "object helper"
    assert styles["members/people/<int:pk>/"] == "object helper"
    assert styles["tracker/measures/<int:pk>/"] == "object helper"
    assert styles["reports/quarterly/<str:fy>/<str:q>/finalise/"] == "decorator"


def source_files():
    root = Path(settings.BASE_DIR)
    for package in SOURCE_PACKAGES:
        for path in (root / package).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_staff_or_chair_is_defined_once():
    rule = re.compile(r"is_vru_staff\((\w+)\) or is_chair\(\1\)|is_chair\((\w+)\) or is_vru")
    found = [str(path) for path in source_files() for _ in rule.finditer(path.read_text())]

    assert found == [str(Path(settings.BASE_DIR) / "core" / "permissions.py")]


def test_every_access_helper_is_used():
    """core.permissions keeps no helper that nothing calls."""
    helpers = [
        name
        for name, value in vars(permissions).items()
        if inspect.isfunction(value)
        and value.__module__ == permissions.__name__
        and not name.startswith("_")
    ]
    own = Path(permissions.__file__).resolve()
    others = "\n".join(p.read_text() for p in source_files() if p.resolve() != own)
    templates = "\n".join(
        p.read_text() for p in (Path(settings.BASE_DIR) / "templates").rglob("*.html")
    )
    own_source = own.read_text()

    unused = [
        name
        for name in helpers
        if not re.search(rf"\b{name}\b", others + templates)
        and len(re.findall(rf"\b{name}\(", own_source)) < 2
    ]
    assert unused == []


# The dashboard ---------------------------------------------------------------------


def test_the_dashboard_refuses_an_account_with_no_role(client, working_group):
    MeetingFactory(group=working_group, starts_at=timezone.now() + dt.timedelta(days=2))
    client.force_login(UserFactory(email="nobody@example.org"))

    response = client.get("/")

    assert response.status_code == 403
    assert working_group.name.encode() not in response.content


@pytest.fixture
def two_groups_meetings(working_group):
    """The working group meets in a week; another group, where nobody above has a seat,
    meets sooner."""
    other = GroupFactory(name="Youth Justice Task Group")
    theirs = MeetingFactory(group=other, starts_at=timezone.now() + dt.timedelta(days=1))
    ours = MeetingFactory(group=working_group, starts_at=timezone.now() + dt.timedelta(days=7))
    return ours, theirs


def test_a_member_sees_only_their_own_groups_next_meeting(member_client, two_groups_meetings):
    ours, theirs = two_groups_meetings

    response = member_client.get("/")

    assert response.context["next_meeting"] == ours
    assert theirs.group.name not in response.content.decode()


def test_a_member_whose_seat_has_ended_sees_that_groups_meeting_no_more(
    member_client, member_user, two_groups_meetings
):
    member_user.person.memberships.update(end_date=timezone.localdate() - dt.timedelta(days=1))

    response = member_client.get("/")

    assert response.context["next_meeting"] is None
    assert "No meeting is scheduled." in response.content.decode()


def test_a_member_with_no_person_sees_no_groups_meeting(client, two_groups_meetings):
    client.force_login(UserFactory(email="nobody@example.org", roles=[permissions.MEMBER]))

    response = client.get("/")

    assert response.status_code == 200
    assert response.context["next_meeting"] is None


def test_the_chair_sees_their_own_groups_next_meeting(chair_client, two_groups_meetings):
    ours, _ = two_groups_meetings

    assert chair_client.get("/").context["next_meeting"] == ours


def test_staff_see_the_next_meeting_of_every_group(staff_client, two_groups_meetings):
    _, theirs = two_groups_meetings

    assert staff_client.get("/").context["next_meeting"] == theirs


def test_a_member_of_the_other_group_sees_its_meeting(client, two_groups_meetings):
    _, theirs = two_groups_meetings
    user = UserFactory(email="yjs@example.org", roles=[permissions.MEMBER])
    MembershipFactory(group=theirs.group, person__user=user, person__email=user.email)
    client.force_login(user)

    assert client.get("/").context["next_meeting"] == theirs


# Calendar feeds --------------------------------------------------------------------


def feed_urls(token: str) -> list[str]:
    """Every address of a personal feed: the query form, and any with the token in its path."""
    urls = [f"{reverse('meetings:calendar_feed')}?token={token}"]
    urls += [
        reverse(name, kwargs={"token": token})
        for name, parameters in portal_patterns()
        if "token" in parameters
    ]
    return urls


@pytest.fixture
def feed(member_user, working_group):
    MeetingFactory(group=working_group)
    return member_user, feed_urls(member_user.person.calendar_token)


def test_the_feed_answers_an_active_member(feed):
    _, urls = feed

    for url in urls:
        response = Client().get(url)
        assert response.status_code == 200, url
        assert b"BEGIN:VEVENT" in response.content, url


def test_the_feed_closes_when_the_account_is_made_inactive_in_the_admin(feed):
    user, urls = feed
    user.is_active = False
    user.save()

    for url in urls:
        assert Client().get(url).status_code == 404, url


def test_the_feed_closes_when_the_person_is_made_inactive(feed):
    user, urls = feed
    user.person.is_active = False
    user.person.save()

    for url in urls:
        assert Client().get(url).status_code == 404, url


def test_the_feed_closes_when_the_account_loses_its_role(feed):
    user, urls = feed
    user.groups.clear()

    for url in urls:
        assert Client().get(url).status_code == 404, url


def test_the_feed_closes_when_the_account_is_unlinked_from_the_person(feed):
    user, urls = feed
    person = user.person
    person.user = None
    person.save()

    for url in urls:
        assert Client().get(url).status_code == 404, url
