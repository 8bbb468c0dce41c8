import pytest
from django.urls import reverse
from django.utils import formats

from actions import services
from actions.models import Action
from tests.factories import CrestRecommendationFactory, ToCActivityFactory, UserFactory

pytestmark = pytest.mark.django_db


def _url(action):
    return reverse("actions:detail", args=[action.pk])


def test_it_shows_everything_about_the_action(other_member_client, action, working_group):
    action.detail = "Agree colours and logo with partners."
    action.toc_activity = ToCActivityFactory(group=working_group, code="3.a")
    action.crest_recommendation = CrestRecommendationFactory(group=working_group, code="8.1")
    action.save()

    response = other_member_client.get(_url(action))

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    for text in (
        action.title,
        action.owner.full_name,
        action.agency.name,
        action.group.name,
        "Agree colours and logo with partners.",
        "3.a",
        "8.1",
        "Open",
    ):
        assert text in content


def test_the_timeline_says_who_did_what_and_when(member_client, member_user, staff_user, action):
    services.action_report_progress(
        action_id=action.pk,
        version=action.version,
        text="Draft shared.",
        status="in_progress",
        by=member_user,
    )

    content = member_client.get(_url(action)).content.decode()

    assert "Timeline" in content
    assert "Owner" in content  # the persona's name is "Owner"
    assert "Status changed from Open to In progress." in content
    assert "Draft shared." in content


def test_the_owner_gets_the_progress_form_and_other_members_do_not(
    member_client, other_member_client, chair_client, action
):
    update_url = reverse("actions:update", args=[action.pk])

    assert update_url in member_client.get(_url(action)).content.decode()
    assert update_url not in other_member_client.get(_url(action)).content.decode()
    assert update_url not in chair_client.get(_url(action)).content.decode()


def test_staff_get_edit_and_cancel_and_members_do_not(staff_client, member_client, action):
    staff_page = staff_client.get(_url(action)).content.decode()
    member_page = member_client.get(_url(action)).content.decode()

    for url in (
        reverse("actions:edit", args=[action.pk]),
        reverse("actions:cancel", args=[action.pk]),
    ):
        assert url in staff_page
        assert url not in member_page


def test_a_done_action_offers_staff_reopening_and_the_owner_no_form(
    staff_client, member_client, done_action
):
    assert "Reopen action" in staff_client.get(_url(done_action)).content.decode()
    owner_page = member_client.get(_url(done_action)).content.decode()
    assert reverse("actions:update", args=[done_action.pk]) not in owner_page
    assert "Reopen action" not in owner_page


def test_a_done_action_says_when_it_was_completed(member_client, done_action):
    content = member_client.get(_url(done_action)).content.decode()

    assert f"Done, completed on {formats.date_format(done_action.completed_on)}" in " ".join(
        content.split()
    )


def test_an_administrator_without_a_person_is_named_without_their_email(
    other_member_client, member_user, working_group
):
    root = UserFactory(email="root@example.org", is_superuser=True)
    action = services.action_create(
        action=Action(title="Fix the feed", owner=member_user.person, group=working_group),
        by=root,
    )
    services.action_report_progress(
        action_id=action.pk, version=action.version, text="Looked at it.", status="open", by=root
    )

    content = other_member_client.get(_url(action)).content.decode()

    assert "root@example.org" not in content
    assert "by a portal administrator" in content
    assert "<strong>a portal administrator</strong>" in content
