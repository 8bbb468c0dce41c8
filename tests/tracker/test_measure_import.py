"""CSV import of a measure's values: every row validated, all or nothing."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from tests.factories import MeasureValueFactory, PerformanceMeasureFactory
from tracker.models import MeasureValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure(working_group):
    measure = PerformanceMeasureFactory(group=working_group, code="4.1.1.a", unit="views")
    MeasureValueFactory(measure=measure, year=2023, quarter=4, value=900, note="Before")
    return measure


def upload(client, measure, text: str, name="values.csv"):
    file = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post(f"/tracker/measures/{measure.pk}/import/", {"file": file}, follow=True)


def values(measure) -> dict[str, tuple[Decimal, str]]:
    return {
        v.period.label: (v.value, v.note)
        for v in MeasureValue.objects.filter(measure=measure).order_by("year", "quarter")
    }


def test_a_good_file_is_imported_and_existing_quarters_corrected(staff_client, staff_user, measure):
    response = upload(
        staff_client,
        measure,
        "Quarter,Value,Note\n"
        "2023-24 Q4,950,Recounted\n"
        '2024-25 Q1,"1,250",Brand launch\n'
        "\n"
        "2024-25 Q2,1400.5,\n",
    )

    assert values(measure) == {
        "2023-24 Q4": (950, "Recounted"),
        "2024-25 Q1": (1250, "Brand launch"),
        "2024-25 Q2": (Decimal("1400.5"), ""),
    }
    assert MeasureValue.objects.filter(updated_by=staff_user).count() == 3
    assert response.redirect_chain[-1][0] == f"/tracker/measures/{measure.pk}/"
    assert "4.1.1.a: 3 values imported (2 new, 1 corrected)." in response.content.decode()


def test_the_note_column_may_be_left_out_and_columns_reordered(staff_client, measure):
    upload(staff_client, measure, "value,quarter\n1000,2024-25 Q1\n")

    assert values(measure)["2024-25 Q1"] == (1000, "")


def test_one_bad_row_imports_nothing_and_every_error_is_listed_by_line(staff_client, measure):
    before = values(measure)

    response = upload(
        staff_client,
        measure,
        "quarter,value,note\n"
        "2024-25 Q1,1250,Fine\n"
        "2024-25 Q5,100,\n"
        "2024-25 Q2,lots,\n"
        "2024-25 Q1,1300,Again\n"
        "2099-00 Q1,1,Future\n"
        "2024-25 Q3,1,2,3\n"
        ",5,\n",
    )

    content = response.content.decode()
    assert values(measure) == before
    assert "Nothing was imported: correct the file and try again." in content
    expected = [
        'Line 3: "2024-25 Q5" is not a quarter such as "2024-25 Q1".',
        "Line 4: value: Enter a number.",
        "Line 5: 2024-25 Q1 is also on line 2.",
        "Line 6: 2099-00 Q1 has not started yet.",
        "Line 7: 4 cells, but there are 3 headings.",
        "Line 8: Enter a quarter such as 2024-25 Q1.",
    ]
    assert response.context["import_form"].errors["file"] == expected
    for error in expected:
        assert escape(error) in content


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "The submitted file is empty."),
        ("2024-25 Q1,100\n", "Line 1: the first line must be the headings quarter, value, note"),
        ("quarter,amount\n2024-25 Q1,100\n", "Line 1: the first line must be the headings"),
        ("quarter,value,note\n", "The file has headings but no values."),
    ],
)
def test_a_file_without_the_headings_or_values_is_refused(staff_client, measure, text, error):
    before = values(measure)

    response = upload(staff_client, measure, text)

    assert error in response.content.decode()
    assert values(measure) == before


def test_a_file_that_is_not_utf8_is_refused(staff_client, measure):
    file = SimpleUploadedFile(
        "values.csv", "quarter,value,note\n2024-25 Q1,1,Caf\xe9\n".encode("latin-1")
    )

    response = staff_client.post(f"/tracker/measures/{measure.pk}/import/", {"file": file})

    assert "The file is not UTF-8 text" in response.content.decode()
    assert "2024-25 Q1" not in values(measure)


@pytest.mark.parametrize("persona", ["owner", "other_member", "chair"])
def test_only_staff_import(persona_clients, measure, persona):
    before = values(measure)

    response = upload(persona_clients[persona], measure, "quarter,value\n2024-25 Q1,1\n")

    assert response.status_code == 403
    assert values(measure) == before


def test_it_rejects_get(staff_client, measure):
    assert staff_client.get(f"/tracker/measures/{measure.pk}/import/").status_code == 405


def test_a_note_longer_than_2000_characters_is_an_error_on_its_line(staff_client, measure):
    before = values(measure)

    response = upload(
        staff_client,
        measure,
        f"quarter,value,note\n2024-25 Q1,1250,ok\n2024-25 Q2,1400,{'x' * 2001}\n",
    )

    content = response.content.decode()
    assert "Line 3: note: Ensure this value has at most 2000 characters (it has 2001)." in content
    assert values(measure) == before
