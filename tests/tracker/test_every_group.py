"""`?group=` picks any working group or the SVRP on the tracker, the quarterly update
(its quarters, preview and downloads) and the distribution list; a Task and Finish
group's id shows its working group, whose update covers it."""

import json

import pytest

from members.models import Group
from tests.factories import (
    CrestRecommendationFactory,
    GroupFactory,
    KeyUpdateFactory,
    MeetingFactory,
    MembershipFactory,
    ToCActivityFactory,
    london,
)

pytestmark = pytest.mark.django_db

TRACKER = "/tracker/"
QUARTERS = "/reports/quarterly/"
PREVIEW = "/reports/quarterly/2024-25/q1/"
DOWNLOAD = "/reports/quarterly/2024-25/q1/report.json"
DISTRIBUTION = "/members/distribution-list/"
PAGES = [TRACKER, QUARTERS, PREVIEW, DISTRIBUTION]


def with_data(group: Group, name: str) -> Group:
    """A ToC activity, a Crest recommendation, a seat, and a meeting in 2024-25 Q1 with a
    key update for the SVRP, each named after `name`."""
    ToCActivityFactory(group=group, title=f"{name} activity")
    CrestRecommendationFactory(group=group, text=f"{name} recommendation")
    MembershipFactory(group=group, role_title=f"{name} seat")
    meeting = MeetingFactory(group=group, starts_at=london(2024, 5, 14))
    KeyUpdateFactory(meeting=meeting, text=f"{name} news")
    return group


@pytest.fixture
def groups(working_group):
    """The partnership as the ToR loader sets it up: working groups report to the SVRP
    (their parent), and a working group has a Task and Finish group."""
    svrp = GroupFactory(name="Strategic Violence Reduction Partnership", kind=Group.Kind.SVRP)
    working_group.parent = svrp
    working_group.save()
    education = GroupFactory(name="Education Working Group", parent=svrp)
    task_group = GroupFactory(
        name="Schools Task and Finish Group", kind=Group.Kind.TASK_AND_FINISH, parent=education
    )
    return {
        "comms": with_data(working_group, "Comms"),
        "svrp": with_data(svrp, "Board"),
        "education": with_data(education, "Education"),
        "task_group": with_data(task_group, "Schools"),
    }


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("which", ["svrp", "education"])
def test_each_page_shows_the_group_asked_for(member_client, groups, page, which):
    group = groups[which]

    response = member_client.get(f"{page}?group={group.pk}")

    assert response.status_code == 200
    assert response.context["group"] == group
    assert f'<option value="{group.pk}" selected>' in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_without_a_choice_each_page_shows_the_first_working_group(member_client, groups, page):
    response = member_client.get(page)

    assert response.context["group"] == groups["comms"]


def test_the_picker_lists_working_groups_by_name_then_the_svrp(member_client, groups):
    GroupFactory(name="Closed Working Group", is_active=False)

    response = member_client.get(TRACKER)

    assert [group.name for group in response.context["groups"]] == [
        "Communications Working Group",
        "Education Working Group",
        "Strategic Violence Reduction Partnership",
    ]
    content = response.content.decode()
    assert '<label for="group-picker" class="form-label">Group</label>' in content
    assert "Schools Task and Finish Group" not in content.split('id="group-picker"')[1]


def test_the_svrps_tracker_shows_its_own_items_not_its_working_groups(member_client, groups):
    content = member_client.get(f"{TRACKER}?group={groups['svrp'].pk}").content.decode()

    assert "Strategic Violence Reduction Partnership: Theory of Change activities" in content
    assert "Board activity" in content
    assert "Board recommendation" in content
    assert "Comms activity" not in content
    assert "Education activity" not in content


def test_a_working_groups_tracker_shows_its_task_and_finish_groups_items(member_client, groups):
    content = member_client.get(f"{TRACKER}?group={groups['education'].pk}").content.decode()

    assert "Education activity" in content
    assert "Schools activity" in content
    assert "Comms activity" not in content
    assert "Board activity" not in content


@pytest.mark.parametrize(
    ("which", "news"), [("svrp", "Board news"), ("education", "Education news")]
)
def test_each_groups_update_is_previewed_and_downloaded(chair_client, groups, which, news):
    group = groups[which]

    preview = chair_client.get(f"{PREVIEW}?group={group.pk}")
    download = chair_client.get(f"{DOWNLOAD}?group={group.pk}")

    assert preview.status_code == download.status_code == 200
    assert f"{group.name}, April–June 2024" in preview.content.decode()
    assert news in preview.content.decode()
    assert json.loads(download.content)["group"]["name"] == group.name


def test_the_education_update_covers_its_task_and_finish_group_only(member_client, groups):
    content = member_client.get(f"{PREVIEW}?group={groups['education'].pk}").content.decode()

    assert "Schools news" in content
    assert "Comms news" not in content
    assert "Board news" not in content


def test_the_svrps_update_does_not_take_in_its_working_groups(member_client, groups):
    content = member_client.get(f"{PREVIEW}?group={groups['svrp'].pk}").content.decode()

    assert "Board news" in content
    assert "Comms news" not in content


def test_the_svrps_quarters_are_listed(member_client, groups):
    response = member_client.get(f"{QUARTERS}?group={groups['svrp'].pk}")

    content = response.content.decode()
    assert f'href="{PREVIEW}?group={groups["svrp"].pk}"' in content


@pytest.mark.parametrize("page", PAGES)
def test_a_task_and_finish_groups_id_shows_its_working_groups_page(member_client, groups, page):
    education = groups["education"]

    response = member_client.get(f"{page}?group={groups['task_group'].pk}")

    assert response.status_code == 200
    assert response.context["group"] == education
    assert f'<option value="{education.pk}" selected>' in response.content.decode()


def test_a_task_and_finish_groups_id_downloads_its_working_groups_update(chair_client, groups):
    response = chair_client.get(f"{DOWNLOAD}?group={groups['task_group'].pk}")

    assert response.status_code == 200
    assert json.loads(response.content)["group"]["name"] == "Education Working Group"


@pytest.mark.parametrize("page", [*PAGES, DOWNLOAD])
@pytest.mark.parametrize(
    "wanted",
    ["999999", "0", "-1", "abc", "1.5", "²", "99999999999999999999", "1 OR 1=1", "%00"],
)
def test_an_unknown_group_is_404(chair_client, groups, page, wanted):
    assert chair_client.get(page, {"group": wanted}).status_code == 404


@pytest.mark.parametrize("page", [*PAGES, DOWNLOAD])
@pytest.mark.parametrize("which", ["svrp", "education", "task_group"])
def test_an_inactive_group_is_404(chair_client, groups, page, which):
    Group.objects.filter(pk=groups[which].pk).update(is_active=False)

    assert chair_client.get(f"{page}?group={groups[which].pk}").status_code == 404


def test_a_task_and_finish_group_of_a_closed_working_group_is_404(member_client, groups):
    Group.objects.filter(pk=groups["education"].pk).update(is_active=False)

    response = member_client.get(f"{TRACKER}?group={groups['task_group'].pk}")

    assert response.status_code == 404


def test_the_svrp_is_never_the_default(member_client, groups):
    Group.objects.filter(kind=Group.Kind.WORKING).update(is_active=False)

    response = member_client.get(TRACKER)

    assert response.status_code == 200
    assert response.context["group"] is None
    assert [group.name for group in response.context["groups"]] == [
        "Strategic Violence Reduction Partnership"
    ]
