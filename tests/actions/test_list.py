import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from tests.factories import (
    ActionFactory,
    ActionUpdateFactory,
    AgencyFactory,
    CrestRecommendationFactory,
    GroupFactory,
    MeetingFactory,
    PerformanceMeasureFactory,
    PersonFactory,
    ToCActivityFactory,
    london,
)

pytestmark = pytest.mark.django_db

URL = reverse("actions:list")


def _days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def _titles(response) -> list[str]:
    return [action.title for action in response.context["page_obj"]]


def test_all_actions_lists_every_action_including_cancelled_with_a_count(
    member_client, working_group
):
    ActionFactory(group=working_group, title="Open one")
    ActionFactory(group=working_group, title="Called off", status="cancelled")
    ActionFactory(group=working_group, title="Finished", status="done", completed_on=_days(0))

    response = member_client.get(URL, {"status": "all"})

    content = response.content.decode()
    assert sorted(_titles(response)) == ["Called off", "Finished", "Open one"]
    assert "<strong>3</strong> actions in the log" in content
    assert "Cancelled" in content
    assert '<option value="all" selected>All actions</option>' in content


def test_it_opens_on_the_outstanding_actions_soonest_due_first(member_client, working_group):
    ActionFactory(group=working_group, title="Later", due_date=_days(20))
    ActionFactory(group=working_group, title="Late", due_date=_days(-5), status="in_progress")
    ActionFactory(group=working_group, title="Soon", due_date=_days(2))
    ActionFactory(group=working_group, title="Called off", status="cancelled", due_date=_days(-90))
    ActionFactory(
        group=working_group,
        title="Finished",
        status="done",
        due_date=_days(-80),
        completed_on=_days(-70),
    )

    response = member_client.get(URL)

    content = response.content.decode()
    assert _titles(response) == ["Late", "Soon", "Later"]
    assert "<strong>3</strong> outstanding actions." in content
    assert '<option value="outstanding" selected>' in content
    assert 'href="?status=all">All actions</a>' in content
    assert "export.csv?status=outstanding" in content
    assert "Called off" not in content and "Finished" not in content


def test_one_click_shows_the_finished_actions_too(member_client, working_group):
    ActionFactory(group=working_group, title="Open one")
    ActionFactory(group=working_group, title="Finished", status="done", completed_on=_days(0))
    opening = member_client.get(URL).content.decode()
    link = re.search(r'href="([^"]*)">All actions</a>', opening).group(1)

    response = member_client.get(URL + html.unescape(link))

    assert sorted(_titles(response)) == ["Finished", "Open one"]
    assert re.search(
        r'class="nav-link active"\s+aria-current="page"\s+href="\?status=all">All actions</a>',
        response.content.decode(),
    )


def test_the_opening_view_pages_through_the_outstanding_actions(member_client, working_group):
    for n in range(30):
        ActionFactory(group=working_group, title=f"Task {n:02}", due_date=_days(n))
    for n in range(5):
        ActionFactory(group=working_group, status="done", completed_on=_days(0), due_date=_days(-n))

    second = member_client.get(URL, {"page": 2})

    assert _titles(second) == [f"Task {n:02}" for n in range(25, 30)]
    assert "<strong>30</strong> outstanding actions." in second.content.decode()


def test_a_link_naming_other_filters_but_no_status_shows_every_status(member_client, working_group):
    """A person's page links to ?owner=<id> for all their actions: it keeps that meaning."""
    mine = ActionFactory(group=working_group, title="Open one")
    ActionFactory(
        group=working_group,
        title="Done one",
        owner=mine.owner,
        status="done",
        completed_on=_days(0),
    )

    response = member_client.get(URL, {"owner": mine.owner_id})

    assert sorted(_titles(response)) == ["Done one", "Open one"]
    assert '<option value="all" selected>All actions</option>' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "outstanding"}, ["Brand launch", "Website views", "Community map"]),
        ({"status": "done"}, ["Old poster"]),
        ({"q": "website"}, ["Website views"]),
        ({"q": "POLICE"}, ["Brand launch"]),
        ({"overdue": "on"}, ["Community map"]),
        ({"due_from": "FROM", "due_to": "TO"}, ["Website views"]),
    ],
)
def test_filters_narrow_the_log(member_client, working_group, query, expected):
    police = AgencyFactory(name="Hampshire Police")
    ActionFactory(
        group=working_group,
        title="Brand launch",
        owner=PersonFactory(agency=police),
        due_date=_days(30),
    )
    ActionFactory(group=working_group, title="Website views", due_date=_days(10))
    ActionFactory(group=working_group, title="Community map", due_date=_days(-3))
    ActionFactory(
        group=working_group,
        title="Old poster",
        status="done",
        completed_on=_days(-1),
        due_date=_days(-40),
    )
    query = {
        k: {"FROM": _days(5).isoformat(), "TO": _days(15).isoformat()}.get(v, v)
        for k, v in query.items()
    }

    response = member_client.get(URL, query)

    assert sorted(_titles(response)) == sorted(expected)


def test_filters_by_owner_agency_group_and_meeting(member_client, working_group):
    other_group = GroupFactory()
    meeting = MeetingFactory(group=working_group)
    mine = ActionFactory(group=working_group, meeting=meeting, title="At the meeting")
    ActionFactory(group=other_group, title="Elsewhere")
    ActionFactory(group=working_group, title="Between meetings")

    assert _titles(member_client.get(URL, {"owner": mine.owner_id})) == ["At the meeting"]
    assert _titles(member_client.get(URL, {"agency": mine.agency_id})) == ["At the meeting"]
    assert _titles(member_client.get(URL, {"group": other_group.pk})) == ["Elsewhere"]
    assert _titles(member_client.get(URL, {"meeting": meeting.pk})) == ["At the meeting"]


@pytest.mark.parametrize(
    ("kind", "field", "factory"),
    [
        ("toc", "toc_activity", ToCActivityFactory),
        ("crest", "crest_recommendation", CrestRecommendationFactory),
        ("measure", "performance_measure", PerformanceMeasureFactory),
    ],
)
def test_filters_by_linked_tracker_item(member_client, working_group, kind, field, factory):
    item = factory(group=working_group)
    ActionFactory(group=working_group, title="Linked", **{field: item})
    ActionFactory(group=working_group, title="Not linked")

    response = member_client.get(URL, {"linked": f"{kind}-{item.pk}"})

    assert _titles(response) == ["Linked"]
    assert str(item.code) in response.content.decode()


def test_filters_by_linked_task_and_finish_group(member_client, working_group):
    task = GroupFactory(kind="task_finish", parent=working_group, name="Brand T&F")
    ActionFactory(group=working_group, title="Linked", task_group=task)
    ActionFactory(group=working_group, title="Not linked")

    assert _titles(member_client.get(URL, {"linked": f"task-{task.pk}"})) == ["Linked"]


def test_the_filter_form_keeps_its_values_in_the_url(member_client, working_group):
    ActionFactory(group=working_group, title="Brand launch")

    response = member_client.get(URL, {"q": "brand", "status": "open", "sort": "title"})

    content = response.content.decode()
    assert 'method="get"' in content
    assert 'name="q" value="brand"' in content
    assert '<option value="open" selected>' in content
    assert "export.csv?q=brand&amp;status=open&amp;sort=title" in content


def test_sorting_orders_the_log(member_client, working_group):
    ActionFactory(group=working_group, title="Beta", due_date=_days(1))
    ActionFactory(group=working_group, title="Alpha", due_date=_days(5))
    ActionFactory(group=working_group, title="Gamma", due_date=_days(3))

    assert _titles(member_client.get(URL)) == ["Beta", "Gamma", "Alpha"]
    assert _titles(member_client.get(URL, {"sort": "title"})) == ["Alpha", "Beta", "Gamma"]
    assert _titles(member_client.get(URL, {"sort": "-due"})) == ["Alpha", "Gamma", "Beta"]


def test_it_paginates_by_25_and_keeps_filters_on_the_next_page(member_client, working_group):
    for n in range(30):
        ActionFactory(group=working_group, title=f"Task {n:02}")

    first = member_client.get(URL, {"q": "task"})
    second = member_client.get(URL, {"q": "task", "page": 2})

    assert len(_titles(first)) == 25
    assert len(_titles(second)) == 5
    assert "?q=task&amp;page=2" in first.content.decode()
    assert "<strong>30</strong> actions" in second.content.decode()


def test_staff_get_a_link_to_log_an_action_and_members_do_not(
    staff_client, member_client, working_group
):
    assert reverse("actions:new") in staff_client.get(URL).content.decode()
    assert reverse("actions:new") not in member_client.get(URL).content.decode()


def _log_data(group, scale: int):
    meeting = MeetingFactory(group=group)
    toc = ToCActivityFactory(group=group)
    for n in range(3 * scale):
        action = ActionFactory(group=group, meeting=meeting, toc_activity=toc, due_date=_days(n))
        ActionUpdateFactory(action=action)
        ActionFactory(group=group, status="done", completed_on=_days(-n))


@pytest.mark.parametrize("scale", [1, 10])
def test_it_takes_the_same_number_of_queries_at_any_size(
    member_client, working_group, django_assert_num_queries, scale
):
    _log_data(working_group, scale)

    # session, user, roles, the person in the header; count, the page's ids and its rows;
    # the filter's choices (agency, group, and the four lists of linked items: the owner
    # and meeting selects list nobody until a name is searched or a group chosen)
    with django_assert_num_queries(13):
        response = member_client.get(URL, {"status": "outstanding", "sort": "title"})

    assert response.status_code == 200


def test_the_count_reads_as_a_sentence(member_client, working_group):
    ActionFactory(group=working_group, title="Brand launch")
    ActionFactory(group=working_group, title="Website views")

    one = member_client.get(URL, {"q": "brand"}).content.decode()
    two = member_client.get(URL, {"q": "a"}).content.decode()

    assert "<strong>1</strong> action matches these filters." in one
    assert "<strong>2</strong> actions match these filters." in two


def test_filters_by_when_logged_and_when_completed_across_31_march(member_client, working_group):
    march = ActionFactory(group=working_group, title="Logged 31 March")
    april = ActionFactory(group=working_group, title="Logged 1 April")
    # 23:30 on 31 March in London is still March, whatever UTC says.
    Action.objects.filter(pk=march.pk).update(created_at=london(2024, 3, 31, 23, 30))
    Action.objects.filter(pk=april.pk).update(created_at=london(2024, 4, 1, 0, 30))
    ActionFactory(
        group=working_group, title="Done in Q1", status="done", completed_on=dt.date(2024, 6, 30)
    )

    logged_q1 = member_client.get(URL, {"raised_from": "2024-04-01", "raised_to": "2024-06-30"})
    done_q1 = member_client.get(URL, {"completed_from": "2024-04-01", "completed_to": "2024-06-30"})

    assert _titles(logged_q1) == ["Logged 1 April"]
    assert _titles(done_q1) == ["Done in Q1"]
