"""Two staff keep the same tracker item current at once: the second save, started from
the version before the first, is refused (409) and shown the current version; nothing
the first saved is overwritten. A performance measure's values are one unit under the
measure's version: a value saved or imported meanwhile makes an open value form stale."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import (
    CrestRecommendationFactory,
    MeasureValueFactory,
    PerformanceMeasureFactory,
    ToCActivityFactory,
)
from tests.stale import hidden_version, page_data, second_staff_client
from tracker.models import CrestRecommendation, MeasureValue, PerformanceMeasure, ToCActivity

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague_client(working_group):
    return second_staff_client(working_group)


def _tracker_form(client, name: str, item):
    """The form of `item` on the tracker page, as a browser opening it now sees it."""
    items = client.get("/tracker/").context[name]
    return next(row.form for row in items if row.pk == item.pk)


def test_the_second_of_two_activity_updates_is_refused_and_shown_the_current_version(
    staff_client, colleague_client, working_group
):
    activity = ToCActivityFactory(group=working_group, code="3.a", title="Create the VRP brand")
    url = f"/tracker/activities/{activity.pk}/"
    mine = page_data(_tracker_form(staff_client, "activities", activity), status="complete")
    theirs = page_data(_tracker_form(colleague_client, "activities", activity))
    first = colleague_client.post(url, {**theirs, f"toc-{activity.pk}-status": "in_progress"})
    saved = ToCActivity.objects.values().get(pk=activity.pk)

    response = staff_client.post(url, mine)

    content = response.content.decode()
    assert first.status_code == 302
    assert response.status_code == 409
    assert ToCActivity.objects.values().get(pk=activity.pk) == saved
    assert "Somebody else changed 3.a" in content
    assert "The current version" in content and "of 3.a" in content
    rows = response.context["conflict"]["differences"]
    assert [(row.current, row.yours) for row in rows] == [("In progress", "Complete")]
    form = next(a.form for a in response.context["activities"] if a.pk == activity.pk)
    assert form["status"].value() == "complete"  # what was chosen, kept
    assert hidden_version(form) in content


def test_the_second_of_two_recommendation_updates_is_refused_and_shown_the_current_version(
    staff_client, colleague_client, working_group
):
    rec = CrestRecommendationFactory(group=working_group, code="8.1", text="Map the community")
    url = f"/tracker/crest/{rec.pk}/"
    mine = page_data(_tracker_form(staff_client, "recommendations", rec))
    theirs = page_data(_tracker_form(colleague_client, "recommendations", rec))
    colleague_client.post(
        url, {**theirs, f"crest-{rec.pk}-status": "in_progress", f"crest-{rec.pk}-evidence": "Map"}
    )
    saved = CrestRecommendation.objects.values().get(pk=rec.pk)

    response = staff_client.post(url, {**mine, f"crest-{rec.pk}-evidence": "Partners met"})

    content = response.content.decode()
    assert response.status_code == 409
    assert CrestRecommendation.objects.values().get(pk=rec.pk) == saved
    assert "Somebody else changed recommendation 8.1" in content
    assert "<td>In progress</td>" in content and "<td>Map</td>" in content
    assert "Partners met</textarea>" in content
    assert re.search(rf'id="crest-{rec.pk}"\s+open>', content)  # the form shown open
    form = next(r.form for r in response.context["recommendations"] if r.pk == rec.pk)
    assert hidden_version(form) in content


# A performance measure and its values ----------------------------------------------------


@pytest.fixture
def measure(working_group):
    measure = PerformanceMeasureFactory(group=working_group, code="4.1.1.a", unit="views")
    MeasureValueFactory(measure=measure, year=2024, quarter=1, value=900, note="")
    return measure


def _value_form(client, measure):
    return client.get(f"/tracker/measures/{measure.pk}/").context["value_form"]


def _values(measure) -> dict:
    return {v.period.label: (v.value, v.note) for v in MeasureValue.objects.filter(measure=measure)}


def test_the_second_of_two_values_for_a_quarter_is_refused_and_shown_the_current_value(
    staff_client, colleague_client, measure
):
    url = f"/tracker/measures/{measure.pk}/values/"
    mine = page_data(_value_form(staff_client, measure), quarter="2024-25 Q2", value="1500")
    theirs = page_data(_value_form(colleague_client, measure), quarter="2024-25 Q2", value="1400")
    first = colleague_client.post(url, theirs)
    saved = _values(measure)

    response = staff_client.post(url, mine)

    content = response.content.decode()
    assert first.status_code == 302
    assert response.status_code == 409
    assert (
        _values(measure)
        == saved
        == {
            "2024-25 Q1": (Decimal("900.00"), ""),
            "2024-25 Q2": (Decimal("1400.00"), ""),
        }
    )
    assert "Somebody else changed the values of 4.1.1.a" in content
    rows = response.context["conflict"]["differences"]
    assert [(row.label, row.current, row.yours) for row in rows] == [
        ("Value for 2024-25 Q2", "1,400", "1,500")
    ]
    assert 'value="1500"' in content
    measure.refresh_from_db()
    assert hidden_version(response.context["value_form"]) in content
    assert response.context["value_form"]["version"].value() == measure.version


def test_the_same_value_sent_twice_is_not_a_conflict(staff_client, measure):
    url = f"/tracker/measures/{measure.pk}/values/"
    data = page_data(_value_form(staff_client, measure), quarter="2024-25 Q2", value="1400")

    assert staff_client.post(url, data).status_code == 302
    assert staff_client.post(url, data).status_code == 302
    assert _values(measure)["2024-25 Q2"] == (Decimal("1400.00"), "")


def test_an_import_meanwhile_makes_an_open_value_form_stale(
    staff_client, colleague_client, measure
):
    mine = page_data(_value_form(staff_client, measure), quarter="2024-25 Q1", value="950")
    csv = SimpleUploadedFile("values.csv", b"Quarter,Value,Note\n2024-25 Q1,1000,Recounted\n")
    colleague_client.post(f"/tracker/measures/{measure.pk}/import/", {"file": csv})

    response = staff_client.post(f"/tracker/measures/{measure.pk}/values/", mine)

    assert response.status_code == 409
    assert _values(measure)["2024-25 Q1"] == (Decimal("1000.00"), "Recounted")
    # The form again, judged against the value imported meanwhile, asks why it corrects it.
    assert "say why it is corrected" in response.content.decode()


def test_saving_a_value_moves_the_measures_version_on(staff_client, measure):
    before = PerformanceMeasure.objects.get(pk=measure.pk).version
    data = page_data(_value_form(staff_client, measure), quarter="2024-25 Q2", value="1400")

    staff_client.post(f"/tracker/measures/{measure.pk}/values/", data)

    assert PerformanceMeasure.objects.get(pk=measure.pk).version == before + 1
