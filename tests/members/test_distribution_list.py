import csv
import datetime as dt
import io

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Agency, Membership
from tests.factories import AgencyFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/members/distribution-list/"


@pytest.fixture
def seats(working_group):
    """Part of the ToR's table: a Specified Authority's filled seat, and two vacant ones."""
    working_group.tor_version = "V2"
    working_group.tor_published = dt.date(2023, 11, 1)
    working_group.save()
    police = AgencyFactory(name="Police", order=1)
    education = AgencyFactory(name="Education", order=2, duty_status=Agency.DutyStatus.RELEVANT)
    return {
        "police": MembershipFactory(
            group=working_group,
            agency=police,
            role_title="Corporate Communications, Serious Violence Lead",
            person__full_name="Pat Police",
            tor_sent_on=dt.date(2023, 11, 20),
        ),
        "education": MembershipFactory(
            group=working_group,
            agency=education,
            role_title="=Education lead",
            person=None,
            attendance_status=Membership.AttendanceStatus.NOT_YET_REQUIRED,
        ),
        "elsewhere": MembershipFactory(
            group=GroupFactory(name="Another Working Group"), agency=police, role_title="Not ours"
        ),
    }


def test_everyone_signed_in_sees_the_tors_table(member_client, seats):
    response = member_client.get(URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert "<title>Distribution list – VRP portal</title>" in content
    assert "(V2, published November 2023)" in content
    assert '<th scope="rowgroup" rowspan="1">Police</th>' in content
    assert "Corporate Communications, Serious Violence Lead" in content
    assert "Pat Police" in content
    assert "20 November 2023" in content
    assert "Relevant Authority" in content
    assert "Vacant" in content
    assert "Attendance not yet required" in content
    assert "Not sent" in content
    assert "Not ours" not in content
    assert "/distribution-list/seats/" not in content


def test_it_requires_sign_in(client):
    for url in (URL, "/members/distribution-list.csv", "/members/distribution-list.docx"):
        assert client.get(url).status_code == 302


def test_the_directory_still_works_and_links_here(member_client, seats):
    content = member_client.get("/members/").content.decode()

    assert "Agencies and seats" in content
    assert f'href="{URL}"' in content


def test_the_csv_has_a_row_per_seat_and_cannot_run_formulas(member_client, seats):
    response = member_client.get("/members/distribution-list.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="distribution-list-comms-working-group.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    police = [
        "Police",
        "Specified Authority",
        "Corporate Communications, Serious Violence Lead",
        "Member",
        "Pat Police",
        "Attendance required",
        "20 November 2023",
    ]
    education = [
        "Education",
        "Relevant Authority",
        "'=Education lead",
        "Member",
        "Vacant",
        "Attendance not yet required",
        "Not sent",
    ]
    assert rows[0][:3] == ["Agency", "Serious Violence Duty status", "Seat"]
    assert police in rows
    assert education in rows
    assert not any("Not ours" in row for row in rows)


def test_the_word_file_has_the_same_table(member_client, seats):
    response = member_client.get("/members/distribution-list.docx")

    document = docx.Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == "Distribution list: Communications Working Group"
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[0][0] == "Agency"
    assert ["Police", "Specified Authority", "Corporate Communications, Serious Violence Lead"] in [
        row[:3] for row in rows
    ]
    assert ["Education", "Vacant", "Not sent"] in [[row[0], row[4], row[6]] for row in rows]


def record(client, seat, day):
    return client.post(
        f"/members/distribution-list/seats/{seat.pk}/tor-sent/",
        {f"seat-{seat.pk}-tor_sent_on": day},
        follow=True,
    )


def test_staff_record_the_date_the_tor_was_sent(staff_client, seats, working_group):
    seat = seats["education"]

    response = record(staff_client, seat, "2024-03-05")

    seat.refresh_from_db()
    assert seat.tor_sent_on == dt.date(2024, 3, 5)
    assert response.redirect_chain[-1][0] == f"{URL}?group={working_group.pk}#seat-{seat.pk}"
    assert "ToR sent on 5 March 2024 recorded for =Education lead (A" in response.content.decode()


def test_staff_can_clear_the_date(staff_client, seats):
    seat = seats["police"]

    response = record(staff_client, seat, "")

    seat.refresh_from_db()
    assert seat.tor_sent_on is None
    assert "The ToR sent date for" in response.content.decode()


def test_staff_get_a_labelled_date_field_per_seat(staff_client, seats):
    content = staff_client.get(URL).content.decode()

    seat = seats["police"]
    assert f'<label for="id_seat-{seat.pk}-tor_sent_on" class="visually-hidden">' in content
    assert 'value="2023-11-20"' in content


@pytest.mark.parametrize("day", ["2999-01-01", "not a date"])
def test_a_bad_date_is_refused_with_the_error_by_the_field(staff_client, seats, day):
    seat = seats["police"]

    response = record(staff_client, seat, day)

    content = response.content.decode()
    assert f'aria-describedby="id_seat-{seat.pk}-tor_sent_on-error"' in content
    seat.refresh_from_db()
    assert seat.tor_sent_on == dt.date(2023, 11, 20)


@pytest.mark.parametrize("persona", ["owner", "other_member", "chair"])
def test_only_staff_record_it(persona_clients, seats, persona):
    seat = seats["education"]

    response = record(persona_clients[persona], seat, "2024-03-05")

    assert response.status_code == 403
    seat.refresh_from_db()
    assert seat.tor_sent_on is None


def test_it_rejects_get(staff_client, seats):
    seat = seats["police"]

    response = staff_client.get(f"/members/distribution-list/seats/{seat.pk}/tor-sent/")

    assert response.status_code == 405


def test_it_costs_the_same_queries_whatever_the_data(
    staff_client, working_group, django_assert_num_queries
):
    MembershipFactory.create_batch(2, group=working_group)
    with CaptureQueriesContext(connection) as small:
        staff_client.get(URL)
    MembershipFactory.create_batch(20, group=working_group)

    with django_assert_num_queries(len(small)):
        response = staff_client.get(URL)

    assert response.context["seat_count"] == 23  # with the staff persona's own seat


def test_a_signed_in_user_with_no_portal_role_sees_no_seats(client, seats):
    client.force_login(UserFactory(email="nobody@example.org"))

    for path in (
        "/members/",
        URL,
        "/members/distribution-list.csv",
        "/members/distribution-list.docx",
    ):
        assert client.get(path).status_code == 403, path
