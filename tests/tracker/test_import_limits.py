"""CSV imports within bounds: size, rows, cell length and well-formed CSV, or nothing saved.

A malformed file is refused whole, naming the line; it is never half read.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from tests.factories import MeasureValueFactory, PerformanceMeasureFactory
from tracker.imports import (
    MAX_CELL_LENGTH,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFailed,
    read_measure_values,
)
from tracker.models import MeasureValue

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 1, 15)


@pytest.fixture
def measure(working_group):
    measure = PerformanceMeasureFactory(group=working_group, code="4.1.1.a")
    MeasureValueFactory(measure=measure, year=2023, quarter=4, value=900, note="Before")
    return measure


def upload(client, measure, data: bytes | str):
    if isinstance(data, str):
        data = data.encode("utf-8")
    file = SimpleUploadedFile("values.csv", data, content_type="text/csv")
    return client.post(f"/tracker/measures/{measure.pk}/import/", {"file": file}, follow=True)


def stored(measure) -> list[tuple[int, int, str]]:
    return list(
        MeasureValue.objects.filter(measure=measure)
        .order_by("year", "quarter")
        .values_list("year", "quarter", "note")
    )


def errors(data: str) -> list[str]:
    with pytest.raises(ImportFailed) as failure:
        read_measure_values(data.encode("utf-8"), today=TODAY)
    return failure.value.errors


def assert_refused(client, measure, data, *messages):
    before = stored(measure)

    response = upload(client, measure, data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was imported: correct the file and try again." in content
    for message in messages:
        assert escape(message) in content
    assert stored(measure) == before


def test_a_cell_over_128_kb_is_refused_with_its_line_not_a_server_error(staff_client, measure):
    data = f"quarter,value,note\n2024-25 Q1,1,ok\n2024-25 Q2,2,{'x' * 140_000}\n"

    error = f"Line 3: a cell is longer than {MAX_CELL_LENGTH:,} characters."

    assert_refused(staff_client, measure, data, error)


def test_a_quoted_cell_over_128_kb_is_refused_too(staff_client, measure):
    data = f'quarter,value,note\n2024-25 Q1,1,"{"x" * 140_000}"\n'

    assert_refused(staff_client, measure, data, "Line 2: a cell is longer than 2,000 characters.")


def test_a_long_quarter_or_value_cell_is_refused_by_its_heading(staff_client, measure):
    data = f"quarter,value,note\n2024-25 Q1,{'9' * 2001},\n"

    assert_refused(
        staff_client,
        measure,
        data,
        "Line 2: value: Ensure this value has at most 2000 characters (it has 2001).",
    )


def test_an_unterminated_quote_refuses_the_whole_file(staff_client, measure):
    data = (
        "quarter,value,note\n"
        "2024-25 Q1,1250,Fine\n"
        '2024-25 Q2,1400,"Launch week\n'
        "2024-25 Q3,1500,Autumn\n"
        "2024-25 Q4,1600,Winter\n"
    )

    error = 'Line 3: a quoted cell is never closed: a closing quote mark (") is missing'

    assert_refused(staff_client, measure, data, error)


def test_a_quote_left_open_that_closes_later_does_not_swallow_rows(staff_client, measure):
    data = (
        "quarter,value,note\n"
        '2024-25 Q1,1250,"Launch week\n'
        "2024-25 Q2,1400,Summer\n"
        '2024-25 Q3,1500,Autumn"\n'
    )

    assert_refused(
        staff_client,
        measure,
        data,
        "Line 2: a quoted cell runs on to line 3, which reads as a row of its own",
    )


def test_text_after_a_closing_quote_is_refused(staff_client, measure):
    data = 'quarter,value,note\n2024-25 Q1,1250,"Launch" week\n'

    assert_refused(staff_client, measure, data, "Line 2: text follows a closing quote mark")


def test_a_note_on_several_lines_is_still_imported(staff_client, measure):
    upload(
        staff_client,
        measure,
        'quarter,value,note\n2024-25 Q1,1250,"From the website.\nRecounted in May."\n'
        "2024-25 Q2,1400,Summer\n",
    )

    assert stored(measure)[1:] == [
        (2024, 1, "From the website.\nRecounted in May."),
        (2024, 2, "Summer"),
    ]


def test_a_row_with_too_few_cells_is_an_error_on_its_line(staff_client, measure):
    data = "quarter,value,note\n2024-25 Q1,1250,Fine\n2024-25 Q2,1400\n"

    assert_refused(staff_client, measure, data, "Line 3: 2 cells, but there are 3 headings.")


def test_a_file_over_1_mb_is_refused(staff_client, measure):
    row = "2024-25 Q1,1,note\n"
    data = "quarter,value,note\n" + row * (MAX_FILE_BYTES // len(row) + 1)

    assert_refused(staff_client, measure, data, "The file is larger than 1 MB: split it.")


def test_the_reader_refuses_a_file_over_1_mb_on_its_own():
    row = "2024-25 Q1,1,note\n"

    assert errors("quarter,value,note\n" + row * (MAX_FILE_BYTES // len(row) + 1)) == [
        "The file is larger than 1 MB: split it."
    ]


def test_a_file_with_too_many_rows_is_refused_before_it_is_all_read(staff_client, measure):
    data = "quarter,value,note\n" + "2024-25 Q1,1,\n" * (MAX_ROWS + 1)

    assert_refused(staff_client, measure, data, "The file has more than 1,000 rows: split it.")


def test_bad_encoding_names_the_line(staff_client, measure):
    data = "quarter,value,note\n2024-25 Q1,1,Fine\n2024-25 Q2,1,Caf\xe9\n".encode("latin-1")

    assert_refused(staff_client, measure, data, "The file is not UTF-8 text (line 3 is not)")


@pytest.mark.parametrize("label", ["9999-00 Q3", "9999-00 Q4", "0000-01 Q1", "0000-01 Q4"])
def test_a_quarter_outside_the_window_is_an_error_not_a_server_error(staff_client, measure, label):
    data = f"quarter,value,note\n2024-25 Q1,1,Fine\n{label},1,\n"

    assert_refused(
        staff_client, measure, data, f"Line 3: {label} is outside the quarters the portal holds"
    )


def test_a_control_character_in_a_note_is_an_error_on_its_line(staff_client, measure):
    data = "quarter,value,note\n2024-25 Q1,1,Pasted\x0bfrom Word\n"

    assert_refused(
        staff_client,
        measure,
        data,
        "Line 2: note: This text contains an invisible control character (U+000B)",
    )
