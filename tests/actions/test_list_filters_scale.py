"""The action log's filters at scale: the owner and "Raised at" selects never list
everybody, the owner search answers as you type, and the page's size and queries stay
the same however many people, meetings and actions there are."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ActionFactory,
    AgencyFactory,
    GroupFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("actions:list")
OWNERS = reverse("actions:owners")


def _options(content: str, select_name: str) -> list[tuple[str, str]]:
    """(value, text) of every option of a select, in order."""
    select = re.search(rf'<select name="{select_name}".*?</select>', content, re.S).group()
    return [
        (value, text.strip())
        for value, text in re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', select, re.S)
    ]


def _selected(content: str, select_name: str) -> list[str]:
    select = re.search(rf'<select name="{select_name}".*?</select>', content, re.S).group()
    return re.findall(r'<option value="([^"]*)" selected>', select)


@pytest.fixture
def crowd(working_group):
    """300 people on the working group and 300 meetings across three groups, with actions."""
    agency = AgencyFactory(name="Hampshire Constabulary")
    people = PersonFactory.create_batch(300, agency=agency)
    for person in people[:30]:
        MembershipFactory(group=working_group, agency=agency, person=person)
    groups = [working_group, GroupFactory(), GroupFactory()]
    start = timezone.now() - dt.timedelta(days=600)
    meetings = [
        MeetingFactory(group=groups[n % 3], starts_at=start + dt.timedelta(days=2 * n))
        for n in range(300)
    ]
    for n in range(30):
        ActionFactory(group=meetings[n].group, meeting=meetings[n], owner=people[n], agency=agency)
    return {"people": people, "meetings": meetings, "groups": groups}


def test_the_unfiltered_log_lists_no_person_or_meeting_and_stays_small(member_client, crowd):
    response = member_client.get(URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert _options(content, "owner") == [("", "Anyone")]
    assert _options(content, "meeting") == [("", "Any meeting")]
    assert len(response.content) < 60_000


def test_the_owner_picker_asks_for_a_name_and_links_its_hints(member_client, crowd):
    content = member_client.get(URL).content.decode()

    select = re.search(r'<select name="owner"[^>]*>', content).group()
    assert 'aria-describedby="id_owner_helptext"' in select
    assert "Find a person below to list them here." in content
    box = re.search(r'<input type="search"[^>]*id="id_owner-search"[^>]*>', content, re.S).group()
    assert 'aria-describedby="id_owner-search-help"' in box
    assert f'data-owner-url="{OWNERS}"' in box
    assert "Type part of a name and press Find to list the people who match." in content
    assert 'src="/static/js/owner-search.js"' in content


def test_a_link_naming_an_owner_shows_and_keeps_that_person(member_client, crowd):
    person = crowd["people"][7]

    response = member_client.get(URL, {"owner": person.pk})

    content = response.content.decode()
    assert [action.owner for action in response.context["page_obj"]] == [person]
    assert _selected(content, "owner") == [str(person.pk)]
    assert {value for value, _ in _options(content, "owner")} == {"", str(person.pk)}


def test_find_without_javascript_offers_at_most_20_people_and_keeps_the_chosen(
    member_client, crowd
):
    chosen = PersonFactory(full_name="Zara Quinn")
    for n in range(25):
        PersonFactory(full_name=f"Sam Lee {n:02}", agency=chosen.agency)

    content = member_client.get(
        URL, {"owner": chosen.pk, "owner_search": "sam LEE", "find_owner": "1"}
    ).content.decode()

    names = [name for value, name in _options(content, "owner") if value]
    assert names.count("Zara Quinn") == 1
    assert sorted(set(names) - {"Zara Quinn"}) == [f"Sam Lee {n:02}" for n in range(20)]
    assert _selected(content, "owner") == [str(chosen.pk)]
    assert "the first 20 at most" in content


def test_the_owner_search_answers_at_most_20_names_with_their_values(member_client, crowd):
    for n in range(25):
        PersonFactory(full_name=f"Sam Lee {n:02}")
    PersonFactory(full_name="Samantha Holt")

    answer = member_client.get(OWNERS, {"q": "lee SAM"}).json()

    assert len(answer["results"]) == 20
    assert answer["results"][0] == {
        "value": answer["results"][0]["value"],
        "name": "Sam Lee 00",
    }
    assert [row["name"] for row in answer["results"]] == [f"Sam Lee {n:02}" for n in range(20)]
    assert answer["more"] is True
    # Names and the value to submit, nothing else about anybody.
    assert all(set(row) == {"value", "name"} for row in answer["results"])


def test_the_owner_search_needs_every_word_and_says_when_there_is_no_more(member_client):
    priya = PersonFactory(full_name="Priya Shah")
    PersonFactory(full_name="Priya Patel")

    answer = member_client.get(OWNERS, {"q": " shah  pri "}).json()

    assert answer == {"results": [{"value": priya.pk, "name": "Priya Shah"}], "more": False}


def test_a_control_character_typed_is_ignored_not_an_error(member_client):
    priya = PersonFactory(full_name="Priya Shah")

    answer = member_client.get(OWNERS, {"q": "pri\x00ya"}).json()
    found = member_client.get(URL, {"owner_search": "pri\x00", "find_owner": "1"})

    assert answer["results"] == [{"value": priya.pk, "name": "Priya Shah"}]
    assert found.status_code == 200
    assert (str(priya.pk), "Priya Shah") in _options(found.content.decode(), "owner")


def test_the_owner_search_with_nothing_typed_finds_nobody_without_asking(
    member_client, crowd, django_assert_num_queries
):
    # session, user, roles: nobody is looked up
    with django_assert_num_queries(3):
        answer = member_client.get(OWNERS, {"q": "   "}).json()

    assert answer == {"results": [], "more": False}


@pytest.mark.parametrize("size", [1, 10])
def test_the_owner_search_takes_the_same_queries_at_any_size(
    member_client, django_assert_num_queries, size
):
    for n in range(3 * size):
        PersonFactory(full_name=f"Sam Lee {n}")

    with django_assert_num_queries(4):
        assert member_client.get(OWNERS, {"q": "sam"}).status_code == 200


def test_the_owner_search_needs_sign_in_a_role_and_a_get(client, member_client):
    PersonFactory(full_name="Priya Shah")

    anonymous = client.get(OWNERS, {"q": "priya"})
    client.force_login(UserFactory(email="nobody@example.org"))
    no_role = client.get(OWNERS, {"q": "priya"})
    posted = member_client.post(OWNERS, {"q": "priya"})

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert no_role.status_code == 403
    assert b"Priya" not in no_role.content
    assert posted.status_code == 405


def test_with_no_group_chosen_raised_at_lists_only_the_chosen_meeting(member_client, crowd):
    meeting = crowd["meetings"][4]

    response = member_client.get(URL, {"meeting": meeting.pk})

    content = response.content.decode()
    assert [action.meeting for action in response.context["page_obj"]] == [meeting]
    assert _options(content, "meeting") == [("", "Any meeting"), (str(meeting.pk), str(meeting))]
    assert _selected(content, "meeting") == [str(meeting.pk)]
    assert "Choose a group and apply the filters to list its meetings." in content


def test_choosing_a_group_lists_only_its_meetings_newest_first(member_client, working_group):
    other = MeetingFactory(group=GroupFactory())
    start = timezone.now() - dt.timedelta(days=30)
    own = [
        MeetingFactory(group=working_group, starts_at=start + dt.timedelta(days=n))
        for n in range(3)
    ]

    content = member_client.get(URL, {"group": working_group.pk}).content.decode()

    values = [value for value, _ in _options(content, "meeting")]
    assert values == ["", *(str(meeting.pk) for meeting in reversed(own))]
    assert str(other.pk) not in values
    assert "The group's meetings, newest first (up to 50)." in content


def test_a_group_with_many_meetings_lists_its_50_newest_and_the_chosen_one(member_client, crowd):
    group = crowd["groups"][0]
    theirs = [meeting for meeting in crowd["meetings"] if meeting.group == group]
    oldest = theirs[0]

    response = member_client.get(URL, {"group": group.pk, "meeting": oldest.pk})

    content = response.content.decode()
    values = [value for value, _ in _options(content, "meeting")]
    newest = [str(meeting.pk) for meeting in reversed(theirs[-50:])]
    assert values == ["", *newest, str(oldest.pk)]
    assert _selected(content, "meeting") == [str(oldest.pk)]
    assert [action.meeting for action in response.context["page_obj"]] == [oldest]


def test_a_meeting_that_does_not_exist_is_an_error_not_a_crash(member_client, working_group):
    response = member_client.get(URL, {"meeting": "999999", "group": "x"})

    assert response.status_code == 200
    assert _options(response.content.decode(), "meeting") == [("", "Any meeting")]


def _scaled(group, size: int) -> dict:
    agency = AgencyFactory()
    people = PersonFactory.create_batch(5 * size, agency=agency)
    meetings = [MeetingFactory(group=group) for _ in range(5 * size)]
    for n in range(5 * size):
        ActionFactory(group=group, meeting=meetings[n], owner=people[n], agency=agency)
    return {"owner": people[0].pk, "meeting": meetings[0].pk, "group": group.pk, "status": "all"}


@pytest.mark.parametrize("size", [1, 10])
def test_a_filtered_log_takes_the_same_queries_at_any_size(
    member_client, working_group, django_assert_num_queries, size
):
    query = _scaled(working_group, size)

    # session, user, roles, the person in the header; four lists of linked items; the
    # chosen owner, group and meeting checked; count, the page's ids and its rows; the
    # owner select (the chosen person), agency, group, and the group's meetings
    with django_assert_num_queries(18):
        response = member_client.get(URL, query)

    assert response.status_code == 200


def test_the_page_of_25_rows_shows_every_link_without_more_queries(
    member_client, working_group, crowd, django_assert_num_queries
):
    with django_assert_num_queries(13):
        response = member_client.get(URL, {"status": "all"})

    content = response.content.decode()
    assert len(response.context["page_obj"]) == 25
    assert all(action.owner.full_name in content for action in response.context["page_obj"])


def _meeting_values(response) -> list[str]:
    return [value for value, _ in _options(response.content.decode(), "meeting") if value]


def test_a_new_action_offers_the_meetings_near_today_not_every_meeting(staff_client, working_group):
    now = timezone.now()
    near = [
        MeetingFactory(group=group, starts_at=now + dt.timedelta(days=days))
        for group, days in ((working_group, -20), (GroupFactory(), 3), (working_group, 27))
    ]
    MeetingFactory(group=working_group, starts_at=now - dt.timedelta(days=60))
    MeetingFactory(group=working_group, starts_at=now + dt.timedelta(days=60))

    response = staff_client.get(reverse("actions:new"))

    assert _meeting_values(response) == [str(meeting.pk) for meeting in reversed(near)]
    assert "meetings of the 4 weeks either side of today" in response.content.decode()


def test_a_new_action_from_a_meeting_offers_its_groups_meetings(staff_client, working_group):
    start = timezone.now() - dt.timedelta(days=400)
    theirs = [
        MeetingFactory(group=working_group, starts_at=start + dt.timedelta(days=7 * n))
        for n in range(55)
    ]
    MeetingFactory(starts_at=timezone.now())
    oldest = theirs[0]

    response = staff_client.get(reverse("actions:new"), {"meeting": oldest.pk})

    newest = [str(meeting.pk) for meeting in reversed(theirs[-50:])]
    assert _meeting_values(response) == [*newest, str(oldest.pk)]
    assert _selected(response.content.decode(), "meeting") == [str(oldest.pk)]


def test_a_new_action_shown_again_offers_the_chosen_groups_meetings(staff_client, working_group):
    own = MeetingFactory(group=working_group, starts_at=timezone.now() - dt.timedelta(days=90))
    MeetingFactory(starts_at=timezone.now())

    response = staff_client.post(reverse("actions:new"), {"title": "", "group": working_group.pk})

    assert response.status_code == 200
    assert _meeting_values(response) == [str(own.pk)]


def test_editing_an_action_raised_at_an_old_meeting_keeps_it(staff_client, working_group):
    start = timezone.now() - dt.timedelta(days=800)
    meetings = [
        MeetingFactory(group=working_group, starts_at=start + dt.timedelta(days=7 * n))
        for n in range(55)
    ]
    action = ActionFactory(group=working_group, meeting=meetings[0], title="Old one")
    url = reverse("actions:edit", args=[action.pk])

    shown = staff_client.get(url)
    saved = staff_client.post(
        url,
        {
            "title": "Old one, renamed",
            "owner": action.owner_id,
            "group": working_group.pk,
            "agency": action.agency_id,
            "meeting": meetings[0].pk,
            "due_date": action.due_date.isoformat(),
            "version": action.version,
        },
    )

    assert _selected(shown.content.decode(), "meeting") == [str(meetings[0].pk)]
    assert len(_meeting_values(shown)) == 51
    assert saved.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.meeting) == ("Old one, renamed", meetings[0])
