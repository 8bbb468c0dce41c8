"""Invisible control characters: refused by every form, removed by every writer.

Word pastes a vertical tab (U+000B) for a line break, and other programs U+0001
and the like. XML cannot hold them, so before this a Word download holding one
answered 500, for everyone and for good once a quarter was finalised with it.
"""

import csv
import datetime as dt
import io
import json

import docx
import openpyxl
import pypdf
import pytest
from django import forms
from django.core import mail
from django.core.management import call_command
from icalendar import Calendar

from actions.forms import CancelForm, ProgressForm
from actions.models import Action
from core.exports import safe_cell
from core.text import clean_email, clean_text, clean_tree, validate_no_control_characters
from meetings.forms import AttendanceRowForm, KeyUpdateForm, MeetingForm, SeatForm
from members.models import Person
from tests.factories import (
    ActionFactory,
    MeetingFactory,
    MembershipFactory,
    PerformanceMeasureFactory,
    PersonFactory,
    QuarterlyReportFactory,
)
from tests.tracker.fixtures import NOW, QUARTER, TODAY, build_quarter_data
from tracker.exports import render_json
from tracker.forms import CrestRecommendationForm, MeasureValueForm
from tracker.models import QuarterlyReport
from tracker.report import report_build

pytestmark = pytest.mark.django_db

Q1 = "/reports/quarterly/2024-25/q1/"
CONTROL = "\x00\x01\x08\x0b\x0c\x0e\x1f\x7f"
FORMATS = ["json", "csv", "xlsx", "docx", "pdf"]


def has_control(text: str) -> bool:
    return any(char in text for char in CONTROL)


# The function and the validator ------------------------------------------------------------


def test_clean_text_drops_control_characters_and_keeps_the_rest():
    assert clean_text("Brief\x0bpartners\x01 on the brand") == "Briefpartners on the brand"
    assert clean_text("Tab\tnew line\ncarriage\r, Zoë – café") == (
        "Tab\tnew line\ncarriage\r, Zoë – café"
    )
    assert clean_text(CONTROL) == ""
    assert clean_text(12) == 12 and clean_text(None) is None


def test_clean_tree_cleans_every_string_of_a_report():
    assert clean_tree({"a\x0b": ["b\x01", ("c\x0c", 1)], "n": None}) == {
        "a": ["b", ("c", 1)],
        "n": None,
    }


def test_the_validator_names_the_character():
    validate_no_control_characters("Plain text, with a tab\tand a new line\n")
    with pytest.raises(forms.ValidationError) as error:
        validate_no_control_characters("Brief\x0bpartners")
    assert error.value.messages == [
        "This text contains an invisible control character (U+000B), often pasted from "
        "Word or email: delete it and type the text again."
    ]


def test_the_shared_cell_helper_cleans_before_it_quotes_a_formula():
    assert safe_cell("\x0b=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("Brief\x01 partners") == "Brief partners"
    assert safe_cell(3) == 3


def test_an_email_is_cleaned_before_it_is_sent():
    message = mail.EmailMultiAlternatives(subject="Due\x01 soon", body="Body\x0b text")
    message.attach_alternative("<p>Body\x0b text</p>", "text/html")

    clean_email(message)

    assert (message.subject, message.body) == ("Due soon", "Body text")
    assert message.alternatives[0].content == "<p>Body text</p>"


# Forms refuse them -------------------------------------------------------------------------

ERROR = "This text contains an invisible control character (U+000B)"


def test_an_action_title_with_a_control_character_is_refused(
    staff_client, member_user, working_group
):
    response = staff_client.post(
        "/actions/new/",
        {
            "title": "Brief\x0bpartners on the brand",
            "owner": member_user.person.pk,
            "group": working_group.pk,
        },
    )

    assert response.status_code == 200
    assert ERROR in response.content.decode()
    assert not Action.objects.exists()


def test_a_persons_name_with_a_control_character_is_refused(staff_client, working_group):
    agency = PersonFactory().agency
    response = staff_client.post(
        "/members/people/new/",
        {
            "full_name": "Nia\x0b Newcomer",
            "email": "nia@example.org",
            "job_title": "Press Officer",
            "agency": agency.pk,
            "role": "Member",
        },
    )

    assert response.status_code == 200
    assert ERROR in response.content.decode()
    assert not Person.objects.filter(email="nia@example.org").exists()


def _forms(working_group):
    action = ActionFactory(group=working_group)
    seat = MembershipFactory(group=working_group)
    measure = PerformanceMeasureFactory(group=working_group)
    bad = "Pasted\x0bfrom Word"
    return [
        (KeyUpdateForm({"kind": "key_update", "text": bad, "for_svrp": "on"}), "text"),
        (
            ProgressForm(
                {f"action-{action.pk}-text": bad, f"action-{action.pk}-status": "open"},
                action=action,
            ),
            "text",
        ),
        (CancelForm({"reason": bad, "version": 1}, action=action), "reason"),
        (
            AttendanceRowForm(
                {f"seat-{seat.pk}-status": "deputy", f"seat-{seat.pk}-deputy_name": bad},
                membership=seat,
                attendance=None,
            ),
            "deputy_name",
        ),
        (MeetingForm({"location": bad}), "location"),
        (SeatForm({"role_title": bad}, group=working_group), "role_title"),
        (MeasureValueForm({"note": bad}, measure=measure), "note"),
        (CrestRecommendationForm({"evidence": bad}), "evidence"),
    ]


def test_every_kind_of_text_field_refuses_a_control_character(working_group):
    for form, field in _forms(working_group):
        assert any(ERROR in error for error in form.errors.get(field, [])), (
            f"{type(form).__name__}.{field} took a control character"
        )


# Writers remove them: the quarterly update -------------------------------------------------


@pytest.fixture
def dirty_quarter(working_group):
    """The 2024-25 Q1 data with control characters in an action title and people's names."""
    data = build_quarter_data(working_group)
    brief = data.actions["brief"]
    Action.objects.filter(pk=brief.pk).update(title="Brief partners\x0b on the brand\x01")
    Person.objects.filter(pk=brief.owner_id).update(full_name="Pat\x0b Police\x1f")
    working_group.vision = "Safer\x0c communities"
    working_group.save()
    return data


def parses(extension: str, content: bytes) -> str:
    """The text of a download, read back by the library a recipient would use."""
    if extension == "json":
        return json.dumps(json.loads(content))
    if extension == "csv":
        rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
        return "\n".join(",".join(row) for row in rows)
    if extension == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(content))
        return "\n".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    if extension == "docx":
        document = docx.Document(io.BytesIO(content))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("extension", FORMATS)
def test_a_live_report_with_a_control_character_downloads_in_every_format(
    chair_client, dirty_quarter, extension
):
    response = chair_client.get(f"{Q1}report.{extension}")

    assert response.status_code == 200
    text = parses(extension, response.content)
    if extension != "json":
        assert not has_control(text)
        assert "Brief partners on the brand" in text.replace("\n", " ")


def test_a_report_with_a_control_character_is_finalised_and_still_downloads(
    chair_client, dirty_quarter
):
    chair_client.post(f"{Q1}finalise/")

    assert QuarterlyReport.objects.exists()
    for extension in FORMATS:
        response = chair_client.get(f"{Q1}report.{extension}")
        assert response.status_code == 200, extension
        parses(extension, response.content)


@pytest.fixture
def frozen_snapshot(dirty_quarter, chair_user):
    """A snapshot finalised before the forms refused control characters: they are in it."""
    content = report_build(group=dirty_quarter.group, quarter=QUARTER, today=TODAY, now=NOW)
    content["finalised"] = {"by": "Chair\x0b", "at": NOW.isoformat(timespec="seconds")}
    assert clean_tree(content) != content
    return QuarterlyReportFactory(
        group=dirty_quarter.group,
        year=QUARTER.year,
        quarter=QUARTER.number,
        content=content,
        finalised_by=chair_user,
    )


@pytest.mark.parametrize("extension", FORMATS)
def test_a_finalised_snapshot_holding_a_control_character_downloads_in_every_format(
    chair_client, frozen_snapshot, extension
):
    response = chair_client.get(f"{Q1}report.{extension}")

    assert response.status_code == 200
    text = parses(extension, response.content)
    if extension == "json":
        # The canonical record stays exactly as it was sent; JSON escapes the character.
        assert response.content == render_json(frozen_snapshot.content)
    else:
        assert not has_control(text)
        assert "Brief partners on the brand" in text.replace("\n", " ")


def test_a_finalised_snapshot_holding_a_control_character_previews(chair_client, frozen_snapshot):
    assert chair_client.get(Q1).status_code == 200


# Writers remove them: everything else ------------------------------------------------------


@pytest.fixture
def dirty_seat(working_group):
    person = PersonFactory(full_name="Sam\x0b Smith\x01")
    return MembershipFactory(
        group=working_group, agency=person.agency, person=person, role_title="Press\x0c lead"
    )


def test_the_distribution_list_docx_downloads_for_everyone(member_client, dirty_seat):
    response = member_client.get("/members/distribution-list.docx")

    assert response.status_code == 200
    text = parses("docx", response.content)
    assert "Sam Smith" in text and "Press lead" in text
    assert not has_control(text)


def test_the_distribution_list_csv_has_no_control_characters(member_client, dirty_seat):
    response = member_client.get("/members/distribution-list.csv")

    text = parses("csv", response.content)
    assert "Sam Smith" in text
    assert not has_control(text)


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_the_action_log_exports_have_no_control_characters(staff_client, working_group, extension):
    ActionFactory(group=working_group, title="Brief\x0b partners", detail="\x01=1+1")

    response = staff_client.get(f"/actions/export.{extension}")

    assert response.status_code == 200
    text = parses(extension, response.content)
    assert "Brief partners" in text and "'=1+1" in text
    assert not has_control(text)


def test_a_calendar_file_has_no_control_characters(member_client, working_group):
    working_group.name = "Comms\x0b Working Group"
    working_group.save()
    meeting = MeetingFactory(group=working_group, format="in_person", location="Room\x01 1")

    response = member_client.get(f"/meetings/{meeting.pk}.ics")

    assert response.status_code == 200
    assert not has_control(response.content.decode())
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["location"]) == "Room 1"


def test_a_reminder_email_has_no_control_characters(db):
    due = dt.date(2025, 3, 14)
    owner = PersonFactory(full_name="Priya\x01 Shah", email="priya@example.org")
    ActionFactory(owner=owner, title="Share\x01 the toolkit", due_date=due)

    call_command("send_action_reminders", "--today", "2025-03-07", stdout=io.StringIO())

    (message,) = mail.outbox
    assert message.subject == "Action due in 7 days: Share the toolkit"
    assert not has_control(message.body)
    assert not has_control(message.alternatives[0].content)
