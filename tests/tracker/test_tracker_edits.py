import datetime as dt
import re

import pytest

from tests.factories import CrestRecommendationFactory, ToCActivityFactory
from tracker.models import CrestRecommendation, ToCActivity

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(working_group):
    return ToCActivityFactory(group=working_group, code="3.a", title="Create the VRP brand")


@pytest.fixture
def rec(working_group):
    return CrestRecommendationFactory(group=working_group, code="8.1", text="Map the community")


def activity_post(client, activity, status="in_progress"):
    prefix = f"toc-{activity.pk}"
    data = {f"{prefix}-status": status, f"{prefix}-version": _version_now(activity)}
    return client.post(f"/tracker/activities/{activity.pk}/", data, follow=True)


def _version_now(item) -> int:
    """The version the tracker page carries when opened now."""
    return type(item).objects.values_list("version", flat=True).get(pk=item.pk)


def crest_post(client, rec, **data):
    fields = {
        "status": "achieved",
        "evidence": "Map published",
        "achieved_on": "2024-05-20",
        "version": _version_now(rec),
    }
    fields.update(data)
    return client.post(
        f"/tracker/crest/{rec.pk}/",
        {f"crest-{rec.pk}-{name}": value for name, value in fields.items()},
        follow=True,
    )


def test_staff_change_an_activitys_status(staff_client, activity, working_group):
    response = activity_post(staff_client, activity)

    activity.refresh_from_db()
    assert activity.status == ToCActivity.Status.IN_PROGRESS
    assert response.redirect_chain[-1][0] == f"/tracker/?group={working_group.pk}#toc-{activity.pk}"
    assert "3.a is now in progress." in response.content.decode()


def test_an_unknown_status_is_refused_with_the_error_by_the_field(staff_client, activity):
    response = activity_post(staff_client, activity, status="finished")

    activity.refresh_from_db()
    assert activity.status == ToCActivity.Status.NOT_STARTED
    content = response.content.decode()
    assert f'aria-describedby="id_toc-{activity.pk}-status-error"' in content
    assert "Select a valid choice." in content


@pytest.mark.parametrize("persona", ["owner", "other_member", "chair"])
def test_only_staff_edit_activities(persona_clients, activity, persona):
    response = activity_post(persona_clients[persona], activity)

    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.status == ToCActivity.Status.NOT_STARTED


def test_activity_updates_reject_get(staff_client, activity):
    assert staff_client.get(f"/tracker/activities/{activity.pk}/").status_code == 405


def test_achieving_a_recommendation_makes_the_tor_due_for_revision(
    staff_client, rec, working_group
):
    response = crest_post(staff_client, rec)

    rec.refresh_from_db()
    working_group.refresh_from_db()
    assert rec.status == CrestRecommendation.Status.ACHIEVED
    assert rec.achieved_on == dt.date(2024, 5, 20)
    assert rec.evidence == "Map published"
    assert working_group.tor_revision_due
    content = response.content.decode()
    assert "Crest recommendation 8.1 saved: achieved. The ToR is now due for revision." in content
    assert "ToR revision due:" in content
    assert "ToR revision due:" in staff_client.get("/").content.decode()


def test_achieving_needs_evidence_and_a_date(staff_client, rec, working_group):
    response = crest_post(staff_client, rec, evidence=" ", achieved_on="")

    content = response.content.decode()
    assert "Say what shows the recommendation is achieved." in content
    assert "Enter the date the recommendation was achieved." in content
    # The form that failed stays open, its errors next to the fields.
    assert re.search(rf'id="crest-{rec.pk}"\s+open>', content)
    rec.refresh_from_db()
    working_group.refresh_from_db()
    assert rec.status == CrestRecommendation.Status.NOT_STARTED
    assert not working_group.tor_revision_due


def test_only_an_achieved_recommendation_has_a_date(staff_client, rec):
    response = crest_post(staff_client, rec, status="in_progress", evidence="")

    assert "Leave this empty unless the recommendation is achieved." in response.content.decode()
    rec.refresh_from_db()
    assert rec.status == CrestRecommendation.Status.NOT_STARTED


@pytest.mark.parametrize(
    ("day", "error"),
    [
        ("2099-01-01", "The date cannot be in the future."),
        # Beyond the portal's dates altogether (core.bounds).
        ("2999-01-01", "Enter a date between 1 January 2000 and 31 December 2100."),
    ],
)
def test_the_achieved_date_cannot_be_in_the_future(staff_client, rec, day, error):
    response = crest_post(staff_client, rec, achieved_on=day)

    assert error in response.content.decode()


def test_progress_without_achievement_leaves_the_tor_alone(staff_client, rec, working_group):
    response = crest_post(staff_client, rec, status="in_progress", achieved_on="")

    working_group.refresh_from_db()
    rec.refresh_from_db()
    assert rec.status == CrestRecommendation.Status.IN_PROGRESS
    assert not working_group.tor_revision_due
    assert "Crest recommendation 8.1 saved: in progress." in response.content.decode()


@pytest.mark.parametrize("persona", ["owner", "other_member", "chair"])
def test_only_staff_edit_recommendations(persona_clients, rec, working_group, persona):
    response = crest_post(persona_clients[persona], rec)

    assert response.status_code == 403
    rec.refresh_from_db()
    working_group.refresh_from_db()
    assert rec.status == CrestRecommendation.Status.NOT_STARTED
    assert not working_group.tor_revision_due


def test_recommendation_updates_reject_get(staff_client, rec):
    assert staff_client.get(f"/tracker/crest/{rec.pk}/").status_code == 405


def test_anonymous_edits_go_to_sign_in(client, activity, rec):
    assert activity_post(client, activity).redirect_chain[0][0].startswith("/accounts/login/")
    assert crest_post(client, rec).redirect_chain[0][0].startswith("/accounts/login/")
    activity.refresh_from_db()
    assert activity.status == ToCActivity.Status.NOT_STARTED


def test_evidence_longer_than_2000_characters_is_refused(staff_client, rec, working_group):
    content = crest_post(staff_client, rec, evidence="x" * 2001).content.decode()

    assert "Ensure this value has at most 2000 characters (it has 2001)." in content
    rec.refresh_from_db()
    working_group.refresh_from_db()
    assert (rec.status, rec.evidence) == (CrestRecommendation.Status.NOT_STARTED, "")
    assert not working_group.tor_revision_due
