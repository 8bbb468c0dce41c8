"""The Communications Working Group's ToR, generated from a fresh `load_tor`, says what
the partnership's own ToR (V2, November 2023) says, in its words: on the page, in the
Word document and in the PDF.

Every phrase below is copied from the document (terms-of-reference.txt), not from
portal/tor.py, so a slip in either shows up here.
"""

import html
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from core.permissions import MEMBER
from members.models import Group
from tests.factories import UserFactory
from tracker.tor_document import blocks, tor_content

pytestmark = pytest.mark.django_db

COMMS = "Communications Working Group"

# The "Distribution list and membership" table: agency, duty status, name and role,
# date sent (empty in the document). An agency's further seats leave its cells empty.
ROWS = [
    ["Violence Reduction Unit (VRU)", "N/A", "VRU Director and Chair", ""],
    ["", "", "VRU Manager and Vice-Chair", ""],
    ["", "", "VRU Programmes and Projects Officer", ""],
    [
        "Police",
        "Specified Authority",
        "Corporate Communications, Serious Violence Lead",
        "",
    ],
    [
        "Hampshire Fire & Rescue Service (HRFS)",
        "Specified Authority",
        "Representation from Communications team",
        "",
    ],
    [
        "Youth Justice Service (YJS)",
        "Specified Authority",
        "Representation from Portsmouth Youth Justice",
        "",
    ],
    [
        "Health – Integrated Care Boards",
        "Specified Authority",
        "Representations from University Hospital Southampton (UHS) Communications",
        "",
    ],
    ["", "", "Representations from ICB Communications", ""],
    ["", "", "Representation from Southern Health", ""],
    ["", "", "Representation from Solent Health", ""],
    ["Local Authorities", "Specified Authority", "Representation from Hampshire", ""],
    ["", "", "Representation from Isle of Wight", ""],
    ["", "", "Representation from Portsmouth", ""],
    ["", "", "Representation from Southampton", ""],
    [
        "Office of Police and Crime Commissioner (OPCC)",
        "N/A",
        "Attendance not yet required",
        "",
    ],
    ["Probation", "Specified Authority", "Regional Communications Lead", ""],
    ["Education", "Relevant Authority", "Attendance not yet required", ""],
    ["Prison Service", "Relevant Authority", "Attendance not yet required", ""],
    ["Voluntary Sector", "N/A", "Fundraising, Marketing and Communications Manager", ""],
]

PHRASES = [
    "Distribution list and membership",
    "Specified or Relevant Authority",
    "As stated within the Home Office Serious Violence Duty (SVD) Statutory Guidance, "
    "December 2022.",
    "Name & Role / Partner",
    "Date Sent",
    # Introduction
    "The Strategic Violence Reduction Partnership (SVRP) has been established to develop and "
    "deliver a Strategy to address the root causes of serious violence in our communities",
    "One of the sub groups within the SVRP to achieve this is the Communications (Comms) "
    "Working Group.",
    # Vision and mission
    "Our vision is for Hampshire, Isle of Wight, Portsmouth and Southampton to be a place where "
    "people can live their lives free from violence and the fear of violence.",
    "Our mission is to prevent violence by building a collaborative, courageous and sustainable "
    "Partnership which will drive the change required to successfully address the causes and "
    "consequences of violence.",
    # Aims and activities linked to the ToC
    "The following activities will be delivered by the Comms Working Group, in alignment with "
    "the ToC:",
    "Create VRP brand and website to communicate with Partners and public (3.a)",
    "Celebrate and highlight work of communities and the VRP working together (3.b)",
    "Develop a strengths based counter-narrative (3.c)",
    # Crest Advisory recommendations
    "Partners should invest in more comprehensive community mapping, to identify the "
    "individuals and organisations across Hampshire and the Isle of Wight that could be "
    "actively involved in violence reduction efforts (8.1).",
    "Once a recommendation has been achieved, the Crest Advisory Readiness Tracker will be "
    "updated and the Comms Working Group ToR will also be revised to reflect this.",
    # Outcomes based performance framework
    "Specified and Relevant authorities and public are well informed about serious violence "
    "and the Partnership response.",
    "The success measure to achieve this will be:",
    "VRU Communications are reaching Specified and Relevant authorities and public, measured "
    "by data source:",
    "VRU: Number of views of VRU website (4.1.1.a)",
    # Partner responsibilities
    "Justice (Probation Services and Youth Justice Service)",
    "Understand the requirements of the SVD and actively seek opportunities to collaborate and "
    "improve the HIPS wide response.",
    "Adopt and promote a Public Health Approach to tackling serious violence to Partners, "
    "Stakeholders and the Public.",
    # Reporting relationships
    "The Chair / Vice Chair of the Comms Working Group will raise any key updates and "
    "decisions to the SVRP on a quarterly basis.",
    # Meeting frequency and format
    "Meetings will be held quarterly and reviewed in March 2024.",
    "To foster positive relationships, these will be held via Teams with every third meeting "
    "being held in person and hosted by a different Specified Authority.",
    "There may be separate Task and Finish groups for separate work streams if required.",
    # Administration
    "No minutes will be taken, however actions and attendance for all meetings will be "
    "recorded and monitored by the VRU.",
    # Version and publication date
    "VRP Communications Working Group Terms of Reference (ToR), V2",
    "Published November 2023 by VRU",
]

HEADINGS = [
    "Distribution list and membership",
    "Introduction",
    "Vision and mission",
    "Aims and activities linked to the Theory of Change (ToC)",
    "Crest Advisory recommendations",
    "Outcomes based performance framework",
    "Partner responsibilities",
    "Reporting relationships",
    "Meeting frequency and format",
    "Administration",
]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_text(content: bytes) -> str:
    return flat(html.unescape(re.sub(r"<[^>]+>", " ", content.decode())))


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return flat(" ".join([p.text for p in document.paragraphs] + cells))


def squeezed(text: str) -> str:
    """Text without its spaces: reading a PDF back loses the space where a table cell's
    line wraps ("Specified or RelevantAuthority")."""
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes) -> str:
    return squeezed(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture
def comms():
    call_command("load_tor", stdout=io.StringIO())
    return Group.objects.get(name=COMMS)


@pytest.fixture
def reader():
    client = Client()
    client.force_login(UserFactory(roles=[MEMBER]))
    return client


def test_the_distribution_list_has_every_agency_row_of_the_tor(comms):
    distribution = tor_content(comms)["distribution"]

    assert distribution["rows"] == ROWS
    assert distribution["headers"] == [
        "Agency",
        "Specified or Relevant Authority\u00b9",
        "Name & Role / Partner",
        "Date Sent",
    ]


def test_the_sections_come_in_the_tors_order(comms):
    titles = [section["title"] for section in tor_content(comms)["sections"]]

    assert titles[:9] == HEADINGS[1:]


def test_the_page_says_it_in_the_tors_words(comms, reader):
    response = reader.get(reverse("tor:group", args=[comms.pk]))

    assert response.status_code == 200
    text = page_text(response.content)
    for phrase in PHRASES:
        assert phrase in text
    for heading in HEADINGS:
        assert heading in text
    for agency, duty, role, _sent in ROWS:
        assert role in text
        assert agency in text
        assert duty in text


def test_the_page_shows_each_row_as_a_row(comms, reader):
    content = reader.get(reverse("tor:group", args=[comms.pk])).content.decode()

    # Each cell names its column, for the card it becomes on a phone.
    duty = r"<td data-label=\"Specified or Relevant Authority\u00b9?\">"
    seat = r"<td data-label=\"Name &amp; Role / Partner\">"
    assert re.search(
        rf"<th scope=\"row\">Education</th>\s*{duty}Relevant Authority</td>\s*"
        rf"{seat}Attendance not yet required</td>",
        content,
    )
    assert re.search(
        rf"<th scope=\"row\">Police</th>\s*{duty}Specified Authority</td>\s*"
        rf"{seat}Corporate Communications, Serious Violence Lead</td>",
        content,
    )


def test_the_word_document_says_it_in_the_tors_words(comms, reader):
    response = reader.get(reverse("tor:group_docx", args=[comms.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="terms-of-reference-comms-working-group-v2.docx"'
    )
    document = Document(io.BytesIO(response.content))
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == [
        "Agency",
        "Specified or Relevant Authority\u00b9",
        "Name & Role / Partner",
        "Date Sent",
    ]
    # A blank cell is a no-break space (an empty one would be drawn as a dash).
    assert [[cell.text.strip() for cell in row.cells] for row in table.rows[1:]] == ROWS
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:10] == HEADINGS
    text = docx_text(response.content)
    for phrase in PHRASES:
        assert phrase in text


def test_the_pdf_says_it_in_the_tors_words(comms, reader):
    response = reader.get(reverse("tor:group_pdf", args=[comms.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for phrase in PHRASES:
        assert squeezed(phrase) in text
    for row in ROWS:
        assert squeezed("".join(row)) in text


def test_a_filled_seat_names_its_holder_and_the_date_sent(comms):
    from members.models import Membership
    from tests.factories import PersonFactory

    seat = Membership.objects.get(role_title="Regional Communications Lead")
    seat.person = PersonFactory(full_name="Zoë Ŵyn", agency=seat.agency)
    seat.tor_sent_on = "2024-05-14"
    seat.save()

    rows = tor_content(comms)["distribution"]["rows"]

    assert [
        "Probation",
        "Specified Authority",
        "Zoë Ŵyn, Regional Communications Lead",
        "14 May 2024",
    ] in rows


def test_the_meeting_rules_follow_the_groups_fields(comms):
    comms.meeting_frequency = Group.Frequency.MONTHLY
    comms.in_person_every = 2
    comms.review_date = None
    comms.save()

    meetings = next(s for s in tor_content(comms)["sections"] if s["key"] == "meetings")

    assert [block["text"] for block in meetings["blocks"][:2]] == [
        "Meetings will be held monthly.",
        "To foster positive relationships, these will be held via Teams with every second "
        "meeting being held in person and hosted by a different Specified Authority.",
    ]


def test_staff_text_reads_as_paragraphs_and_bullets():
    assert blocks("Intro\n- one\n\n-- under one\nAfter") == [
        {"level": 0, "text": "Intro"},
        {"level": 1, "text": "one"},
        {"level": 2, "text": "under one"},
        {"level": 0, "text": "After"},
    ]


def test_text_written_as_markup_is_shown_as_text(comms, reader):
    comms.tor_text.introduction = '<script>alert("x")</script>'
    comms.tor_text.save()

    content = reader.get(reverse("tor:group", args=[comms.pk])).content.decode()

    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content
