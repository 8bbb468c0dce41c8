"""Finalising with care, and re-issuing: the chair confirms what will be frozen, only once
the quarter has ended; a correction is a new issue with its reason, and every issue is
kept, readable and downloadable as it was sent."""

import html
import json
import re

import pytest

from core.quarters import Quarter
from tests.tracker.test_report_finalise import change_everything
from tracker.exports import FORMATS
from tracker.models import QuarterlyDraft, QuarterlyReport

pytestmark = pytest.mark.django_db

Q1 = "/reports/quarterly/2024-25/q1/"


@pytest.fixture
def urls(quarter_data):
    group = quarter_data.group.pk
    return {
        name: f"{Q1}{path}?group={group}"
        for name, path in {
            "preview": "",
            "finalise": "finalise/",
            "reissue": "reissue/",
            "draft": "draft/",
            "json": "report.json",
        }.items()
    } | {"quarters": f"/reports/quarterly/?group={group}"}


def reissue(client, urls, reason: str, *, issue: int | None = None):
    if issue is None:
        issue = client.get(urls["reissue"]).context["form"]["issue"].value()
    return client.post(urls["reissue"], {"reason": reason, "issue": issue}, follow=True)


def words(content: str) -> str:
    """The page's text with its tags and runs of spaces taken out, as a reader hears it."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


def test_the_confirmation_lists_what_will_be_frozen(chair_client, quarter_data, urls):
    QuarterlyDraft.objects.create(
        group=quarter_data.group,
        year=2024,
        quarter=1,
        toc_rag="green",
        toc_reason="3.b starts next week.",
    )

    response = chair_client.get(urls["finalise"])

    assert response.status_code == 200
    text = words(response.content.decode())
    assert "it cannot be changed afterwards" in text
    assert "A correction can only be made by re-issuing it" in text
    assert (
        "Overall status Red – Off track: needs the SVRP's attention or help "
        "The portal's suggestion: The worst area is Red."
    ) in text
    assert (
        "Theory of Change activities Green – On track The chair's rating: 3.b starts next week."
    ) in text
    assert "Performance measures Amber – At risk: in hand, but needs watching" in text
    assert "Actions Red – Off track: needs the SVRP's attention or help" in text
    assert "Attendance rate 60%" in text
    assert "Actions outstanding at 30 June 2024 3" in text
    assert "Meetings held 2" in text
    assert "Finalise the 2024-25 Q1 update" in text
    assert not QuarterlyReport.objects.exists()


def test_the_confirmation_says_when_the_chairs_part_is_not_written(chair_client, urls):
    content = chair_client.get(urls["finalise"]).content.decode()

    assert "The chair's part has not been written" in words(content)


def test_finalising_through_the_confirmation_makes_issue_1(chair_client, chair_user, urls):
    content = chair_client.get(urls["preview"]).content.decode()
    assert f'href="{urls["finalise"]}">Finalise the 2024-25 Q1 update</a>' in content

    response = chair_client.post(urls["finalise"], follow=True)

    snapshot = QuarterlyReport.objects.get()
    assert (snapshot.issue, snapshot.reason, snapshot.finalised_by) == (1, "", chair_user)
    assert snapshot.content["issue"] == {"number": 1, "reason": ""}
    assert response.redirect_chain[-1][0] == urls["preview"]
    text = words(response.content.decode())
    assert "Issue 1 (current) – finalised by Chair on" in text
    assert "Re-issue the 2024-25 Q1 update" in text
    assert "Finalise the" not in text


def test_the_running_quarter_can_be_previewed_and_drafted_but_not_finalised(
    chair_client, working_group
):
    current = Quarter.current()
    base = f"/reports/quarterly/{current.slug}/"
    query = f"?group={working_group.pk}"
    from_day = f"{current.next().start:%-d %B %Y}"

    preview = chair_client.get(f"{base}{query}").content.decode()
    confirmation = chair_client.get(f"{base}finalise/{query}", follow=True)
    refused = chair_client.post(f"{base}finalise/{query}", follow=True)

    said = f"{current.label} is still running: it can be finalised from {from_day}."
    assert said in preview
    assert "Finalise the" not in preview
    assert chair_client.get(f"{base}draft/{query}").status_code == 200
    assert confirmation.redirect_chain[-1][0] == f"{base}{query}"
    assert said in confirmation.content.decode()
    messages = [str(m) for m in refused.context["messages"]]
    assert messages == [said]
    assert not QuarterlyReport.objects.exists()


def test_a_finalised_quarter_is_not_finalised_again_from_its_confirmation(chair_client, urls):
    chair_client.post(urls["finalise"])

    response = chair_client.get(urls["finalise"], follow=True)

    assert response.redirect_chain[-1][0] == urls["preview"]
    assert "2024-25 Q1 was finalised already: it stays as it was sent." in (
        response.content.decode()
    )
    assert QuarterlyReport.objects.count() == 1


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_re_issue_needs_a_reason(chair_client, urls, reason):
    chair_client.post(urls["finalise"])

    response = reissue(chair_client, urls, reason)

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["This field is required."]
    assert QuarterlyReport.objects.count() == 1


def test_a_re_issue_is_current_and_every_earlier_issue_is_kept_byte_for_byte(
    chair_client, staff_client, quarter_data, urls
):
    chair_client.post(urls["finalise"])
    downloads = {ext: staff_client.get(urls["json"].replace(".json", f".{ext}")) for ext in FORMATS}
    first = {ext: response.content for ext, response in downloads.items()}
    change_everything(quarter_data)

    response = reissue(chair_client, urls, "The website figures were corrected.")

    said = response.content.decode()
    assert "Issue 2 of the 2024-25 Q1 update for the Communications Working Group" in said
    assert "is now current. Issue 1 is kept exactly as it was sent." in said
    one, two = QuarterlyReport.objects.order_by("issue")
    assert (two.issue, two.reason) == (2, "The website figures were corrected.")
    assert two.content["issue"] == {"number": 2, "reason": "The website figures were corrected."}
    assert two.content["measures"][0]["this_quarter"] == 2000
    assert one.content["measures"][0]["this_quarter"] == 1250
    for ext in FORMATS:
        url = urls["json"].replace(".json", f".{ext}")
        assert staff_client.get(f"{url}&issue=1").content == first[ext], ext
    current = json.loads(staff_client.get(urls["json"]).content)
    assert current["issue"]["number"] == 2
    assert json.loads(staff_client.get(f"{urls['json']}&issue=2").content) == current
    # Saved side by side, the two issues' files keep their own names.
    names = [staff_client.get(f"{urls['json']}&issue={n}")["Content-Disposition"] for n in (1, 2)]
    assert names == [
        'attachment; filename="svrp-update-comms-working-group-2024-25-q1.json"',
        'attachment; filename="svrp-update-comms-working-group-2024-25-q1-issue-2.json"',
    ]


def test_the_preview_marks_the_current_issue_and_keeps_the_earlier_one(
    chair_client, member_client, quarter_data, urls
):
    chair_client.post(urls["finalise"])
    change_everything(quarter_data)
    reissue(chair_client, urls, "The website figures were corrected.")

    current = words(member_client.get(urls["preview"]).content.decode())
    earlier_page = chair_client.get(f"{urls['preview']}&issue=1").content.decode()
    earlier = words(earlier_page)

    assert "Issue 2 (current) – re-issued by Chair on" in current
    assert "Why: The website figures were corrected." in current
    assert "Issue 1 (replaced; kept as it was sent) – finalised by Chair on" in current
    assert "2,000" in current
    assert "This is issue 1, kept as it was sent: a later issue replaced it." in earlier
    assert "1,250" in earlier
    assert "2,000" not in earlier
    # An earlier issue's downloads give that issue.
    assert f"report.docx?group={quarter_data.group.pk}&amp;issue=1" in earlier_page


def test_the_list_of_quarters_shows_both_issues(chair_client, member_client, quarter_data, urls):
    chair_client.post(urls["finalise"])
    reissue(chair_client, urls, "A correction.")

    content = member_client.get(urls["quarters"]).content.decode()

    row = re.search(r"2024-25 Q1</a>.*?</tr>", content, re.S).group(0)
    text = words(row)
    assert "Issue 2 (current) – re-issued by Chair on" in text
    assert "Issue 1 (replaced; kept as it was sent) – finalised by Chair on" in text
    assert f'href="{urls["preview"]}&amp;issue=1"' in row


def test_a_re_issue_started_before_another_is_refused(chair_client, staff_client, urls):
    chair_client.post(urls["finalise"])
    opened = chair_client.get(urls["reissue"]).context["form"]["issue"].value()
    reissue(staff_client, urls, "Staff corrected it first.")

    response = chair_client.post(
        urls["reissue"], {"reason": "My correction.", "issue": opened}, follow=True
    )

    assert response.status_code == 409
    content = response.content.decode()
    assert "issue 2 is now current and yours was not made" in content
    assert "My correction." in content
    assert response.context["form"]["issue"].value() == 2
    assert QuarterlyReport.objects.count() == 2


def test_only_a_finalised_update_is_re_issued(chair_client, urls):
    assert chair_client.get(urls["reissue"]).status_code == 404
    assert chair_client.post(urls["reissue"], {"reason": "x", "issue": 1}).status_code == 404
    assert not QuarterlyReport.objects.exists()


def test_members_may_not_finalise_or_re_issue(persona_clients, chair_client, urls):
    for persona in ("owner", "other_member"):
        client = persona_clients[persona]
        assert client.get(urls["finalise"]).status_code == 403, persona
        assert client.post(urls["finalise"]).status_code == 403, persona
    assert not QuarterlyReport.objects.exists()
    chair_client.post(urls["finalise"])
    for persona in ("owner", "other_member"):
        client = persona_clients[persona]
        assert client.get(urls["reissue"]).status_code == 403, persona
        response = client.post(urls["reissue"], {"reason": "Mine", "issue": 1})
        assert response.status_code == 403, persona
    anonymous = persona_clients["anonymous"].post(urls["reissue"], {"reason": "x", "issue": 1})
    assert anonymous["Location"].startswith("/accounts/login/")
    assert persona_clients["staff"].get(urls["reissue"]).status_code == 200
    assert QuarterlyReport.objects.count() == 1


@pytest.mark.parametrize("issue", ["3", "0", "abc", "99999999", "-1", "１"])
def test_an_issue_that_does_not_exist_is_404(chair_client, urls, issue):
    chair_client.post(urls["finalise"])

    assert chair_client.get(f"{urls['preview']}&issue={issue}").status_code == 404
    assert chair_client.get(f"{urls['json']}&issue={issue}").status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"reason": "r" * 1001, "issue": 1},
        {"reason": "A\x00reason", "issue": 1},
        {"reason": "A reason", "issue": "many"},
        {"reason": "A reason", "issue": 70000},
        {"reason": "A reason"},
    ],
)
def test_hostile_re_issues_are_refused_cleanly(chair_client, urls, data):
    chair_client.post(urls["finalise"])

    response = chair_client.post(urls["reissue"], data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert QuarterlyReport.objects.count() == 1
