from decimal import Decimal

import pytest

from core.quarters import Quarter
from tracker.models import MeasureValue

pytestmark = pytest.mark.django_db


def post(client, measure, **data):
    # The measure page as opened now carries the measure's current version.
    measure.refresh_from_db(fields=["version"])
    fields = {"quarter": "2024-25 Q2", "value": "1400", "note": "", "version": measure.version}
    fields.update(data)
    return client.post(f"/tracker/measures/{measure.pk}/values/", fields, follow=True)


def values(measure) -> dict[str, Decimal]:
    return {v.period.label: v.value for v in MeasureValue.objects.filter(measure=measure)}


def test_staff_enter_a_quarters_value(staff_client, staff_user, quarter_data):
    response = post(staff_client, quarter_data.views, note="From the website statistics")

    value = MeasureValue.objects.get(measure=quarter_data.views, year=2024, quarter=2)
    assert value.value == 1400
    assert value.note == "From the website statistics"
    assert value.updated_by == staff_user
    assert response.redirect_chain[-1][0] == f"/tracker/measures/{quarter_data.views.pk}/"
    assert "4.1.1.a: the value for 2024-25 Q2 is saved (1,400 views)." in response.content.decode()


def test_staff_correct_a_value_saying_why(staff_client, quarter_data):
    response = post(
        staff_client, quarter_data.views, quarter="2024-25 Q1", value="1300", note="Bots removed"
    )

    value = MeasureValue.objects.get(measure=quarter_data.views, year=2024, quarter=1)
    assert (value.value, value.note) == (1300, "Bots removed")
    assert value.history.count() == 2
    assert "the value for 2024-25 Q1 is corrected (1,300 views)" in response.content.decode()


def test_a_correction_without_a_note_is_refused(staff_client, quarter_data):
    before = values(quarter_data.views)

    response = post(staff_client, quarter_data.views, quarter="2024-25 Q1", value="1300")

    content = response.content.decode()
    assert "2024-25 Q1 already has the value 1250: say why it is corrected." in content
    assert 'value="1300"' in content  # nothing the user typed is lost
    assert values(quarter_data.views) == before


@pytest.mark.parametrize(
    ("quarter", "value", "error"),
    [
        ("Q1 2024", "10", "is not a quarter such as"),
        ("2024-26 Q1", "10", "is not a financial year"),
        ("", "10", "This field is required."),
        ("2024-25 Q2", "ten", "Enter a number."),
        ("2024-25 Q2", "1.234", "Ensure that there are no more than 2 decimal places."),
    ],
)
def test_invalid_values_are_refused_with_the_error_by_the_field(
    staff_client, quarter_data, quarter, value, error
):
    before = values(quarter_data.views)

    response = post(staff_client, quarter_data.views, quarter=quarter, value=value)

    content = response.content.decode()
    assert error in content
    assert "is-invalid" in content
    assert values(quarter_data.views) == before


def test_a_quarter_still_to_come_is_refused(staff_client, quarter_data):
    future = Quarter.current().next()

    response = post(staff_client, quarter_data.views, quarter=future.label)

    assert f"{future.label} has not started yet." in response.content.decode()
    assert future.label not in values(quarter_data.views)


@pytest.mark.parametrize("persona", ["owner", "other_member", "chair"])
def test_only_staff_enter_values(persona_clients, quarter_data, persona):
    before = values(quarter_data.views)

    response = post(persona_clients[persona], quarter_data.views)

    assert response.status_code == 403
    assert values(quarter_data.views) == before


def test_it_rejects_get(staff_client, quarter_data):
    assert staff_client.get(f"/tracker/measures/{quarter_data.views.pk}/values/").status_code == 405


def test_a_note_longer_than_2000_characters_is_refused(staff_client, quarter_data):
    before = values(quarter_data.views)

    response = post(staff_client, quarter_data.views, note="x" * 2001)

    content = response.content.decode()
    assert "Ensure this value has at most 2000 characters (it has 2001)." in content
    assert 'value="1400"' in content
    assert values(quarter_data.views) == before
