"""The SVRP pack: every working group's finalised update of a quarter in one document,
its pages, its downloads, and sending it to the SVRP.

The quarter is 2024-25 Q1. The Communications Working Group finalised a version-2
update with the chair's part (overall Amber, an ask); the Youth Justice Working Group
finalised one in version 1, before version 2 existed; Another Working Group has not
finalised. Zoë Łukasiewicz finalised the version-2 update: her name must read as written.
"""

import datetime as dt
import io
import json
from pathlib import Path

import docx
import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from pypdf import PdfReader

from core.permissions import CHAIR
from core.quarters import Quarter
from members.models import Group
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    PersonFactory,
    QuarterlyReportFactory,
    UserFactory,
    london,
)
from tests.tracker.fixtures import QUARTER
from tracker.models import QuarterlyDraft, ReportSend
from tracker.pack import STATUS_PAGES, pack_for, render_pack_docx, render_pack_pdf
from tracker.rag import Rag
from tracker.report import report_finalise, report_reissue
from tracker.report_versions import VERSIONS

pytestmark = pytest.mark.django_db

LIST = "/reports/svrp-pack/"
Q1 = "/reports/svrp-pack/2024-25/q1/"
SEND = f"{Q1}send/"
V1 = Path(__file__).parent / "snapshots" / "v1" / "report.json"
A4_POINTS = (595, 842)
TODAY = dt.date(2026, 12, 8)
AMBER_MEANS = "At risk: in hand, but needs watching"
ASK = "Decision: approve the revised Terms of Reference at the next SVRP meeting."
STATUS_HEADINGS = [
    "Communications Working Group: status and asks",
    "Youth Justice Working Group: status and asks",
]
UPDATE_HEADINGS = [
    "Communications Working Group: full update",
    "Youth Justice Working Group: full update",
]


@pytest.fixture
def svrp(db):
    board = GroupFactory(name="Strategic Violence Reduction Partnership", kind=Group.Kind.SVRP)
    for name, email in (("Łucja Wójcik", "lucja@example.org"), ("Ann Lee", "ann@example.org")):
        MembershipFactory(group=board, person=PersonFactory(full_name=name, email=email))
    MembershipFactory(group=board, person=None)  # a vacant seat
    return board


@pytest.fixture
def finaliser(db):
    user = UserFactory(email="zoe@example.org", roles=[CHAIR])
    PersonFactory(full_name="Zoë Łukasiewicz", email=user.email, user=user)
    return user


@pytest.fixture
def comms(quarter_data, finaliser, clock):
    """The Communications Working Group's update (version 2), finalised with the chair's
    part: Amber overall where the figures suggest Red, and an ask of the SVRP. Finalised
    at 10:00 on Tuesday 8 December 2026, whatever instant the suite's clock starts at;
    the clock then goes back, so that sessions opened before it stay open."""
    started = timezone.now()
    clock.move_to(london(2026, 12, 8, 10))
    QuarterlyDraft.objects.create(
        group=quarter_data.group,
        year=QUARTER.year,
        quarter=QUARTER.number,
        summary="The brand and website launched on time.",
        asks=ASK,
        overall_rag=Rag.AMBER,
        overall_reason="Attendance is the only area off track, and it has a plan.",
        attendance_rag=Rag.RED,
        attendance_reason="Health sent no one to either meeting of the quarter.",
    )
    finalised = report_finalise(group=quarter_data.group, quarter=QUARTER, by=finaliser)
    clock.move_to(started)
    return finalised


@pytest.fixture
def youth(db, finaliser):
    """The Youth Justice Working Group's update of the quarter, finalised in version 1."""
    group = GroupFactory(name="Youth Justice Working Group", short_name="YJ Working Group")
    content = json.loads(V1.read_text(encoding="utf-8"))
    content["group"] = {"id": group.pk, "name": group.name, "short_name": group.short_name}
    return QuarterlyReportFactory(
        group=group,
        year=QUARTER.year,
        quarter=QUARTER.number,
        content=content,
        finalised_by=finaliser,
        finalised_at=content["finalised"]["at"],
    )


@pytest.fixture
def pack(comms, youth):
    return pack_for(QUARTER, today=TODAY)


# What the pack holds


def test_it_holds_each_finalised_update_and_names_the_groups_that_have_not(
    pack, comms, youth, quarter_data
):
    assert pack.updates == [comms, youth]
    assert pack.missing == [quarter_data.other_group]
    assert pack.made_on == TODAY


def test_it_holds_the_current_issue_of_a_re_issued_update(comms, youth, finaliser):
    reissued = report_reissue(
        group=comms.group, quarter=QUARTER, by=finaliser, reason="A figure was corrected."
    )

    assert pack_for(QUARTER).updates == [reissued, youth]


def test_a_group_that_is_no_working_group_is_neither_held_nor_missing(comms):
    QuarterlyReportFactory(
        group=GroupFactory(kind=Group.Kind.SVRP), year=QUARTER.year, quarter=QUARTER.number
    )

    assert pack_for(QUARTER).updates == [comms]


def test_its_marking_is_the_strictest_of_the_updates(quarter_data, finaliser, youth):
    assert pack_for(QUARTER).marking == "OFFICIAL"  # version 1 counts as the portal's

    with override_settings(PROTECTIVE_MARKING="OFFICIAL-SENSITIVE"):
        report_finalise(group=quarter_data.group, quarter=QUARTER, by=finaliser)

    assert pack_for(QUARTER).marking == "OFFICIAL-SENSITIVE"


def test_every_version_of_the_update_has_its_status_page():
    assert set(STATUS_PAGES) == set(VERSIONS)


# The Word file


def word(pack) -> docx.Document:
    return docx.Document(io.BytesIO(render_pack_docx(pack)))


def headings(document) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]


def part(document, heading: str) -> list[str]:
    """The text of each paragraph from `heading` to the next Heading 1 (not the page break
    before it)."""
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == heading)
    found = []
    for paragraph in paragraphs[start + 1 :]:
        if paragraph.style.name == "Heading 1":
            break
        if paragraph.text:
            found.append(paragraph.text)
    return found


def rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_word_is_a4_with_the_marking_at_the_head_and_foot_of_every_page(pack):
    document = word(pack)

    for page in document.sections:
        assert page.orientation == WD_ORIENT.PORTRAIT
        assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)
        for header in (page.first_page_header, page.header):
            assert header.paragraphs[0].text == "OFFICIAL"
        for footer in (page.first_page_footer, page.footer):
            assert [p.text for p in footer.paragraphs] == ["OFFICIAL", "Page 1 of 1"]
    [logo] = document.sections[0].first_page_header._element.xpath(".//wp:docPr")
    assert logo.get("descr") == "Logo: Violence Reduction Partnership"


def test_word_has_a_cover_contents_and_a_heading_for_each_group(pack):
    document = word(pack)

    top = [text for style, text in headings(document) if style in ("Title", "Heading 1")]
    assert top == ["SVRP pack: 2024-25 Q1", "Contents", *STATUS_HEADINGS, *UPDATE_HEADINGS]
    cover = [p.text for p in document.paragraphs if p.style.name == "Subtitle"]
    assert cover == [
        "Hampshire, Isle of Wight, Portsmouth and Southampton Violence Reduction Partnership",
        "2024-25 Q1, April–June 2024",
        "Put together on 8 December 2026",
        "Protective marking: OFFICIAL",
    ]


def test_word_starts_each_groups_page_on_a_new_page(pack):
    document = word(pack)
    paragraphs = document.paragraphs

    for heading in ["Contents", *STATUS_HEADINGS, *UPDATE_HEADINGS]:
        index = next(i for i, p in enumerate(paragraphs) if p.text == heading)
        breaks = paragraphs[index - 1]._element.iter(qn("w:br"))
        assert [b.get(qn("w:type")) for b in breaks] == ["page"], heading


def test_word_contents_say_which_groups_have_not_finalised_yet(pack):
    contents = next(t for t in word(pack).tables if t.rows[0].cells[0].text == "Working group")

    assert rows(contents) == [
        ["Working group", "Update", "Overall status"],
        ["Another Working Group", "Not finalised yet", "–"],
        [
            "Communications Working Group",
            "Issue 1, finalised by Zoë Łukasiewicz on Tuesday 8 December 2026, 10:00.",
            "Amber",
        ],
        [
            "Youth Justice Working Group",
            "Issue 1, finalised by Chloé Ferreira-Nyström on Monday 15 July 2024, 09:30.",
            "Not rated: finalised before updates carried a rating",
        ],
    ]
    overall = contents.rows[2].cells[2]
    assert overall._tc.xpath("./w:tcPr/w:shd/@w:fill") == ["FFBF47"]


def test_word_gives_each_groups_status_in_words_and_its_ask(pack):
    document = word(pack)

    assert part(document, STATUS_HEADINGS[0]) == [
        "Issue 1, finalised by Zoë Łukasiewicz on Tuesday 8 December 2026, 10:00.",
        f"Overall status: Amber ({AMBER_MEANS}).",
        "Status of each area",
        "Decisions and asks for the SVRP",
        ASK,
    ]
    status = next(t for t in document.tables if t.rows[0].cells[0].text == "Area")
    assert rows(status)[:2] == [
        ["Area", "Rating", "What the rating means"],
        ["Overall status", "Amber", AMBER_MEANS],
    ]
    assert ["Attendance", "Red", "Off track: needs the SVRP's attention or help"] in rows(status)


def test_word_says_a_version_1_update_has_no_chairs_part_and_gives_its_key_updates(pack):
    said = part(word(pack), STATUS_HEADINGS[1])

    assert "it has none of them" in said[1]
    assert said[2] == "Key updates and decisions for the SVRP"


def test_word_draws_each_full_update_by_its_own_versions_layout(pack):
    found = headings(word(pack))
    comms = found.index(("Heading 1", UPDATE_HEADINGS[0]))
    youth = found.index(("Heading 1", UPDATE_HEADINGS[1]))

    # Version 2: the chair's part first, measures as parts of their section.
    assert found[comms + 1 : comms + 3] == [
        ("Heading 2", "Document control"),
        ("Heading 2", "Summary and status"),
    ]
    assert ("Heading 3", "4.1.2 Complaints about VRU communications") in found[comms:youth]
    # Version 1: its own sections, the figures first.
    assert found[youth + 1] == ("Heading 2", "Summary")
    assert all(style == "Heading 2" for style, _ in found[youth + 1 :])


# The PDF


def pdf(pack) -> PdfReader:
    return PdfReader(io.BytesIO(render_pack_pdf(pack)))


def test_every_pdf_page_is_a4_with_the_marking_at_its_head_and_foot(pack):
    reader = pdf(pack)

    for number, page in enumerate(reader.pages, start=1):
        assert (round(page.mediabox.width), round(page.mediabox.height)) == A4_POINTS
        lines = page.extract_text().splitlines()
        assert lines[0] == "OFFICIAL"
        assert "OFFICIAL" in lines[-2]
        assert lines[-1] == f"SVRP pack: 2024-25 Q1 – Page {number} of {len(reader.pages)}"


def test_the_pdf_names_every_group_and_every_name_as_written(pack):
    pages = [page.extract_text() for page in pdf(pack).pages]
    text = "\n".join(pages)

    for name in ("Communications", "Youth Justice", "Another"):
        assert f"{name} Working Group" in text
    assert "Not finalised yet" in text
    assert "Zoë Łukasiewicz" in text
    assert "Chloé Ferreira-Nyström" in text
    assert ASK in text
    # One page for each group's status: the next group's starts a page of its own.
    [comms] = [page for page in pages if STATUS_HEADINGS[0] in page]
    assert STATUS_HEADINGS[1] not in comms
    assert f"Overall status: Amber ({AMBER_MEANS})." in comms


def test_the_pdf_bookmarks_each_part_and_each_updates_sections_under_it(pack):
    outline = pdf(pack).outline
    top, under = [], {}
    for item in outline:
        if isinstance(item, list):
            under[top[-1]] = [nested.title for nested in item if not isinstance(nested, list)]
        else:
            top.append(item.title)

    assert top == ["Contents", *STATUS_HEADINGS, *UPDATE_HEADINGS]
    assert under[STATUS_HEADINGS[0]] == ["Decisions and asks for the SVRP"]
    assert under[UPDATE_HEADINGS[0]][:2] == ["Document control", "Summary and status"]
    assert under[UPDATE_HEADINGS[1]][0] == "Summary"


def test_the_same_data_on_the_same_day_gives_the_same_files(comms, youth, clock):
    clock.move_to(london(2026, 12, 8, 8))
    morning = pack_for(QUARTER)
    first = (render_pack_docx(morning), render_pack_pdf(morning))
    clock.move_to(london(2026, 12, 8, 17, 30))
    evening = pack_for(QUARTER)

    assert (render_pack_docx(evening), render_pack_pdf(evening)) == first


# The pages


READERS = {"owner": 200, "other_member": 200, "chair": 200, "staff": 200}
# The pack's files, like a single update's, are for the chair and VRU staff.
DOWNLOADERS = {"owner": 403, "other_member": 403, "chair": 200, "staff": 200}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (LIST, READERS),
        (Q1, READERS),
        (f"{Q1}pack.docx", DOWNLOADERS),
        (f"{Q1}pack.pdf", DOWNLOADERS),
    ],
)
def test_every_portal_role_reads_the_pack_and_anonymous_visitors_sign_in(
    persona_clients, comms, url, expected
):
    anonymous = persona_clients["anonymous"].get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    for persona, status in expected.items():
        assert persona_clients[persona].get(url).status_code == status, persona


def test_members_are_told_who_downloads_the_pack(member_client, comms):
    content = member_client.get(Q1).content.decode()

    assert "The chair and VRU staff download the pack" in content
    assert "pack.pdf" not in content


def test_an_account_with_no_role_reads_no_pack(client, comms):
    client.force_login(UserFactory(email="nobody@example.org"))

    for url in (LIST, Q1, f"{Q1}pack.pdf"):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize(
    ("extension", "content_type"),
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("pdf", "application/pdf"),
    ],
)
def test_a_download_is_the_pack_as_an_attachment_never_cached(
    chair_client, comms, extension, content_type
):
    response = chair_client.get(f"{Q1}pack.{extension}")

    assert response["Content-Type"] == content_type
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == (
        f'attachment; filename="svrp-pack-2024-25-q1.{extension}"'
    )


def test_the_list_shows_each_quarter_with_a_finalised_update_newest_first(
    member_client, comms, youth, finaliser
):
    report_reissue(group=comms.group, quarter=QUARTER, by=finaliser, reason="Corrected.")
    QuarterlyReportFactory(group=comms.group, year=2024, quarter=2, finalised_by=finaliser)
    ReportSend.objects.create(
        kind=ReportSend.Kind.PACK, year=2024, quarter=1, recipients=[], sent_by=finaliser
    )

    response = member_client.get(LIST)

    rows = [(row["quarter"], row["updates"], row["last_sent"]) for row in response.context["rows"]]
    assert rows == [
        (Quarter(2024, 2), 1, None),
        (Quarter(2024, 1), 2, ReportSend.objects.get().sent_at),
    ]
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert f'<a href="{Q1}">2024-25 Q1</a>' in content


def test_the_list_says_when_nothing_is_finalised(member_client):
    assert "No working group has finalised" in member_client.get(LIST).content.decode()


def test_the_list_costs_the_same_queries_whatever_the_data(
    member_client, finaliser, django_assert_num_queries
):
    def finalise_quarters(years):
        for year in years:
            for number in (1, 2, 3, 4):
                QuarterlyReportFactory(year=year, quarter=number, finalised_by=finaliser)
                ReportSend.objects.create(
                    kind="pack", year=year, quarter=number, recipients=[], sent_by=finaliser
                )

    finalise_quarters([2023])
    with CaptureQueriesContext(connection) as small:
        member_client.get(LIST)
    finalise_quarters([2024, 2025, 2026, 2027, 2028, 2029])

    with django_assert_num_queries(len(small)):
        member_client.get(LIST)


def test_the_page_shows_what_each_group_gave_the_pack(member_client, chair_client, comms, youth):
    response = member_client.get(Q1)

    content = " ".join(response.content.decode().split())
    assert content.count("<h1") == 1
    group = comms.group.pk
    assert (
        f'<a href="/reports/quarterly/2024-25/q1/?group={group}">Issue 1</a>, '
        "finalised by Zoë Łukasiewicz on" in content
    )
    assert "finalised by Chloé Ferreira-Nyström" in content
    assert "Another Working Group" in content
    assert "Not finalised yet" in content
    assert "Protective marking: <strong>OFFICIAL</strong>" in content
    # The files themselves are the chair's and VRU staff's to download.
    downloads = " ".join(chair_client.get(Q1).content.decode().split())
    assert f'href="{Q1}pack.docx"' in downloads
    assert f'href="{Q1}pack.pdf"' in downloads


def test_only_the_chair_and_staff_see_the_send_form(persona_clients, comms):
    for persona in ("owner", "other_member"):
        assert SEND not in persona_clients[persona].get(Q1).content.decode(), persona
    for persona in ("chair", "staff"):
        response = persona_clients[persona].get(Q1)
        content = response.content.decode()
        assert f'action="{SEND}"' in content, persona
        assert f'value="{response.context["pack"].signature}"' in content


def test_a_quarter_nobody_finalised_has_no_pack_to_download_or_send(
    staff_client, svrp, working_group, mailoutbox
):
    content = staff_client.get(Q1).content.decode()

    assert "No working group has finalised 2024-25 Q1 yet" in content
    assert SEND not in content
    assert staff_client.get(f"{Q1}pack.pdf").status_code == 404
    response = staff_client.post(SEND, {"signature": ""}, follow=True)
    assert "the pack is empty" in response.content.decode()
    assert mailoutbox == []
    assert not ReportSend.objects.exists()


def test_a_quarter_outside_the_portal_is_404(member_client):
    assert member_client.get("/reports/svrp-pack/1999-00/q1/").status_code == 404


# Sending


def signature_of(client) -> str:
    return client.get(Q1).context["pack"].signature


def test_the_chair_sends_the_pack_to_each_svrp_seat_holder_with_word_and_pdf(
    chair_client, chair_user, svrp, comms, youth, mailoutbox
):
    response = chair_client.post(SEND, {"signature": signature_of(chair_client)}, follow=True)

    assert sorted(message.to[0] for message in mailoutbox) == [
        "ann@example.org",
        "lucja@example.org",
    ]
    for message in mailoutbox:
        names = [name for name, _content, _type in message.attachments]
        assert names == ["svrp-pack-2024-25-q1.docx", "svrp-pack-2024-25-q1.pdf"]
        document = docx.Document(io.BytesIO(message.attachments[0][1]))
        assert ("Heading 1", STATUS_HEADINGS[0]) in headings(document)
        assert message.attachments[1][1].startswith(b"%PDF")
    message = mailoutbox[0]
    assert message.subject == "SVRP pack, 2024-25 Q1: the working groups' quarterly updates"
    assert "Not finalised yet: Another Working Group." in message.body
    assert "Handle it as OFFICIAL." in message.body
    sent = ReportSend.objects.get()
    assert (sent.kind, sent.report, sent.sent_by) == ("pack", None, chair_user)
    assert (sent.year, sent.quarter) == (2024, 1)
    assert sent.recipients == ["ann@example.org", "lucja@example.org"]
    assert response.redirect_chain == [(Q1, 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "The 2024-25 Q1 SVRP pack was sent, as Word and PDF, to 2 people on the SVRP's "
        "distribution list."
    ]


def test_each_send_is_listed_with_its_addresses_shown_to_staff_only(
    staff_client, chair_client, member_client, chair_user, comms
):
    ReportSend.objects.create(
        kind=ReportSend.Kind.PACK,
        year=2024,
        quarter=1,
        recipients=["ann@example.org", "lucja@example.org"],
        sent_by=chair_user,
    )

    staff = staff_client.get(Q1).content.decode()
    assert "Sent by Chair on" in staff
    assert "to 2 people: ann@example.org, lucja@example.org" in staff
    for client in (chair_client, member_client):
        content = client.get(Q1).content.decode()
        assert "to 2 people" in content
        assert "ann@example.org" not in content


@pytest.mark.parametrize("persona", ["owner", "other_member"])
def test_members_cannot_send_the_pack(persona_clients, svrp, comms, persona, mailoutbox):
    response = persona_clients[persona].post(SEND, {"signature": str(comms.pk)})

    assert response.status_code == 403
    assert mailoutbox == []
    assert not ReportSend.objects.exists()


def test_anonymous_visitors_cannot_send_the_pack(client, svrp, comms, mailoutbox):
    response = client.post(SEND, {"signature": str(comms.pk)})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert mailoutbox == []


def test_it_rejects_get(staff_client, comms):
    assert staff_client.get(SEND).status_code == 405


def test_a_pack_that_changed_since_it_was_read_is_not_sent(
    staff_client, svrp, comms, youth, finaliser, mailoutbox
):
    read = signature_of(staff_client)
    report_reissue(group=youth.group, quarter=QUARTER, by=finaliser, reason="Corrected.")

    response = staff_client.post(SEND, {"signature": read}, follow=True)

    assert "The 2024-25 Q1 pack changed while you were reading it" in response.content.decode()
    assert mailoutbox == []
    assert not ReportSend.objects.exists()


def test_with_nobody_on_the_svrp_nothing_is_sent_or_recorded(staff_client, comms, mailoutbox):
    content = staff_client.get(Q1).content.decode()
    assert "there is nobody to send it to" in content

    response = staff_client.post(SEND, {"signature": signature_of(staff_client)}, follow=True)

    assert "nobody with an email address" in response.content.decode()
    assert mailoutbox == []
    assert not ReportSend.objects.exists()
