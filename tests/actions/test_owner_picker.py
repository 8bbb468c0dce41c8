"""The owner pickers: grouped by group and agency, with a "Find a person" that works
without JavaScript (the JS filter is tried in tests/browser/test_my_actions.py)."""

import re

import pytest
from django.urls import reverse

from actions.models import Action
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    GroupFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

NEW = reverse("actions:new")


@pytest.fixture
def people(working_group):
    """Priya sits on two groups for the police; Tom on one for the council; Nia on none."""
    police = AgencyFactory(name="Hampshire Constabulary", order=1)
    council = AgencyFactory(name="Southampton City Council", order=2)
    youth = GroupFactory(name="Youth Working Group")
    priya = PersonFactory(full_name="Priya Shah", agency=police)
    tom = PersonFactory(full_name="Tom Ward", agency=council)
    nia = PersonFactory(full_name="Nia Price", agency=AgencyFactory(name="Isle of Wight Council"))
    MembershipFactory(group=working_group, agency=police, person=priya)
    MembershipFactory(group=youth, agency=police, person=priya)
    MembershipFactory(group=working_group, agency=council, person=tom)
    return {"priya": priya, "tom": tom, "nia": nia, "youth": youth}


def _optgroups(content: str, select_name: str) -> dict[str, list[str]]:
    """The owner select's option groups: label -> the names offered under it."""
    select = re.search(rf'<select name="{select_name}".*?</select>', content, re.S).group()
    groups = re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select, re.S)
    return {
        label: [name.strip() for name in re.findall(r"<option[^>]*>(.*?)</option>", body, re.S)]
        for label, body in groups
    }


def test_the_new_action_owner_select_is_grouped_by_group_and_agency(
    staff_client, people, working_group
):
    meeting = MeetingFactory(group=working_group)

    content = staff_client.get(NEW, {"meeting": meeting.pk}).content.decode()

    # The prefilled group's people, by agency: a person on two groups is listed under
    # this one alone, and nobody without a seat on it is offered until searched for.
    groups = _optgroups(content, "owner")
    assert groups["Communications Working Group — Hampshire Constabulary"] == ["Priya Shah"]
    assert groups["Communications Working Group — Southampton City Council"] == ["Tom Ward"]
    assert all(label.startswith("Communications Working Group — ") for label in groups)
    assert content.count(f'<option value="{people["priya"].pk}">Priya Shah</option>') == 1
    assert "Nia Price" not in content
    assert "The group's people are listed: find anybody else below." in content


def test_a_person_who_left_is_not_offered_and_a_past_seat_does_not_count(
    staff_client, people, working_group
):
    people["nia"].is_active = False
    people["nia"].save()
    gone = PersonFactory(full_name="Old Seat", agency=AgencyFactory(name="Probation Service"))
    MembershipFactory(group=working_group, person=gone, end_date="2020-01-01")

    listed = staff_client.get(NEW, {"meeting": MeetingFactory(group=working_group).pk})
    found = staff_client.post(NEW, {"title": "x", "owner_search": "e", "find_owner": "1"})

    # A past seat does not list them with the group, nor under it once found by name.
    assert "Old Seat" not in listed.content.decode()
    groups = _optgroups(found.content.decode(), "owner")
    assert "Nia Price" not in str(groups)
    assert groups["No current seat — Probation Service"] == ["Old Seat"]


def test_find_without_javascript_narrows_the_owners_and_keeps_what_was_typed(
    staff_client, people, working_group
):
    response = staff_client.post(
        NEW,
        {
            "title": "Book the <venue>",
            "detail": "Somewhere central.",
            "group": working_group.pk,
            "due_date": "2027-01-20",
            "owner_search": "PRI",
            "find_owner": "1",
        },
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert not Action.objects.exists()
    assert 'value="Book the &lt;venue&gt;"' in content
    assert "Somewhere central." in content
    assert 'value="2027-01-20"' in content
    assert f'<option value="{working_group.pk}" selected>' in content
    assert 'name="owner_search"' in content and 'value="PRI"' in content
    assert "Showing the people whose name contains “PRI”" in content
    groups = _optgroups(content, "owner")
    names = {name for names in groups.values() for name in names}
    # Both words' matches: "Priya Shah" and "Nia Price".
    assert names == {"Priya Shah", "Nia Price"}
    # Nothing was judged: no error for the owner not chosen yet.
    assert "This field is required" not in content
    assert "is-invalid" not in content


def test_find_with_several_words_needs_every_word(staff_client, people, working_group):
    response = staff_client.post(
        NEW, {"title": "x", "owner_search": "shah priya", "find_owner": "1"}
    )

    groups = _optgroups(response.content.decode(), "owner")
    assert {name for names in groups.values() for name in names} == {"Priya Shah"}


def test_find_keeps_the_owner_already_chosen(staff_client, people, working_group):
    tom = people["tom"]

    response = staff_client.post(
        NEW, {"title": "x", "owner": tom.pk, "owner_search": "priya", "find_owner": "1"}
    )

    content = response.content.decode()
    assert f'<option value="{tom.pk}" selected>Tom Ward</option>' in content
    assert "Priya Shah" in content and "Nia Price" not in content


def test_saving_with_a_search_typed_still_saves(staff_client, people, working_group):
    response = staff_client.post(
        NEW,
        {
            "title": "Map partners",
            "owner": people["priya"].pk,
            "group": working_group.pk,
            "owner_search": "pri",
        },
    )

    assert response.status_code == 302
    assert Action.objects.get().owner == people["priya"]


def test_find_on_the_edit_page_saves_nothing_and_keeps_the_changes(staff_client, people):
    action = ActionFactory(title="Original title", owner=people["tom"])

    response = staff_client.post(
        reverse("actions:edit", args=[action.pk]),
        {
            "title": "Changed title",
            "owner": action.owner_id,
            "group": action.group_id,
            "agency": action.agency_id,
            "due_date": action.due_date.isoformat(),
            "version": action.version,
            "owner_search": "nia",
            "find_owner": "1",
        },
    )

    content = response.content.decode()
    action.refresh_from_db()
    assert response.status_code == 200
    assert action.title == "Original title"
    assert 'value="Changed title"' in content
    assert f'name="version" value="{action.version}"' in content
    names = {name for names in _optgroups(content, "owner").values() for name in names}
    assert names == {"Nia Price", "Tom Ward"}


@pytest.mark.parametrize("htmx", [False, True])
def test_find_on_the_meeting_form_narrows_and_puts_the_meetings_group_first(
    staff_client, people, htmx
):
    youth = people["youth"]
    meeting = MeetingFactory(group=youth)
    headers = {"HX-Request": "true"} if htmx else {}

    response = staff_client.post(
        reverse("actions:log_at_meeting", args=[meeting.pk]),
        {"log-title": "Invite the youth panel", "log-owner_search": "a", "log-find_owner": "1"},
        headers=headers,
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert not Action.objects.exists()
    assert 'value="Invite the youth panel"' in content
    labels = list(_optgroups(content, "log-owner"))
    assert labels[0] == "Youth Working Group — Hampshire Constabulary"
    assert "The action was not logged" not in content
    if htmx:
        assert 'id="log-action-form"' in content and "<h1>" not in content
        assert "autofocus" in re.search(r'<select name="log-owner"[^>]*>', content).group()


def test_the_log_filters_owner_is_grouped_and_find_narrows_it(member_client, people):
    ActionFactory(title="Tom's", owner=people["tom"])
    ActionFactory(title="Priya's", owner=people["priya"])

    opening = member_client.get(reverse("actions:list")).content.decode()
    found = member_client.get(
        reverse("actions:list"), {"owner_search": "tom", "find_owner": "1"}
    ).content.decode()

    # The log lists nobody until a name is searched (tests/actions/test_list_filters_scale.py).
    assert _optgroups(opening, "owner") == {}
    assert _optgroups(found, "owner") == {
        "Communications Working Group — Southampton City Council": ["Tom Ward"]
    }
    # Finding a person is not a filter: the log still shows the outstanding actions.
    assert '<option value="outstanding" selected>' in found
    assert "Tom&#x27;s" in found and "Priya&#x27;s" in found
    assert 'name="owner_search"' in found and 'value="tom"' in found
