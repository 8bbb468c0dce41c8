"""A page with nothing to list says why, and what to do next: My actions, the action log
and the dashboard's panels."""

import datetime as dt

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ActionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _page(response):
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _section(page, heading_id: str):
    (section,) = page.xpath(f"//section[@aria-labelledby='{heading_id}']")
    return section


def test_my_actions_with_none_outstanding_says_what_will_appear(member_client, done_action):
    page = _page(member_client.get(reverse("actions:mine")))

    outstanding = _text(_section(page, "outstanding"))
    assert "Outstanding (0)" in outstanding
    assert "nothing is waiting for an update from you" in outstanding
    assert "An action given to you at a meeting appears here" in outstanding
    # The one finished lately is a click away, below.
    assert "Your recently finished ones are below." in outstanding


def test_a_filter_matching_nothing_says_so_and_offers_to_clear_it(member_client, action):
    page = _page(member_client.get(reverse("actions:list"), {"q": "no such action"}))

    (empty,) = page.xpath("//p[normalize-space()='No actions match these filters.']")
    offer = empty.xpath("following::a[@href=$url][1]", url=reverse("actions:list"))
    assert offer, "no way to clear the filters after the empty result"
    assert _text(offer[0]) == "clear the filters"
    assert not page.xpath("//table[contains(@class, 'action-log')]")


def test_an_empty_log_offers_staff_the_first_action_and_members_only_words(
    staff_client, member_client
):
    staff = _page(staff_client.get(reverse("actions:list"), {"status": "all"}))
    member = _page(member_client.get(reverse("actions:list"), {"status": "all"}))

    assert staff.xpath("//a[@href=$url][.='Log the first action']", url=reverse("actions:new"))
    assert "No actions have been logged yet." in _text(member)
    assert "Log the first action" not in _text(member)


def test_no_outstanding_action_in_the_log_says_they_are_all_finished(member_client, done_action):
    page = _page(member_client.get(reverse("actions:list")))

    assert "No actions are outstanding: every action in the log is done or cancelled." in _text(
        page
    )


def test_the_dashboard_panels_for_staff_say_what_to_do_when_empty(staff_client):
    page = _page(staff_client.get(reverse("dashboard")))

    meeting = _section(page, "next-meeting")
    assert "No meeting is scheduled." in _text(meeting)
    assert meeting.xpath(
        ".//a[@href=$url][.='Schedule the next meeting']", url=reverse("meetings:create")
    )
    assert "every meeting held so far has its attendance register" in _text(
        _section(page, "awaiting-register")
    )
    assert "No action is overdue: every outstanding action is within its due date." in _text(
        _section(page, "overdue-agency")
    )
    mine = _section(page, "my-actions")
    assert "nothing is waiting for an update from you" in _text(mine)


def test_the_dashboard_panels_for_a_member_point_to_the_meetings_and_the_log(member_client):
    page = _page(member_client.get(reverse("dashboard")))

    meeting = _section(page, "next-meeting")
    assert "No meeting is scheduled." in _text(meeting)
    assert meeting.xpath(".//a[@href=$url]", url=reverse("meetings:list"))
    assert not meeting.xpath(".//a[@href=$url]", url=reverse("meetings:create"))
    mine = _section(page, "my-actions")
    assert "An action given to you at a meeting appears here." in _text(mine)
    assert mine.xpath(".//a[@href=$url]", url=reverse("actions:list"))


def test_the_dashboard_lists_what_is_there_instead_of_the_empty_words(
    staff_client, staff_user, working_group
):
    MeetingFactory(group=working_group, starts_at=timezone.now() - dt.timedelta(days=7))
    ActionFactory(
        owner=staff_user.person,
        group=working_group,
        title="Late one",
        due_date=timezone.localdate() - dt.timedelta(days=1),
    )

    content = _text(_page(staff_client.get(reverse("dashboard"))))

    assert "every meeting held so far has its attendance register" not in content
    assert "No action is overdue" not in content
    assert "nothing is waiting for an update from you" not in content
    assert "Late one" in content
