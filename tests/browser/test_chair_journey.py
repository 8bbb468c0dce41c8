"""The chair's quarter, end to end in a browser: draft the chair's part, check the preview,
finalise through the confirmation step, then correct it as a second issue.

Browser tests run on the real clock: 2026-27 Q2 (July–September 2026) has ended.
"""

import json
import re

import pytest
from playwright.sync_api import expect

from core.quarters import Quarter
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUARTER = Quarter(2026, 2)
TOC_RED = "Red – Off track: needs the SVRP's attention or help"


def test_the_chair_drafts_finalises_and_re_issues_a_quarter(page, chair_user, working_group):
    preview = f"/reports/quarterly/{QUARTER.slug}/?group={working_group.pk}"
    sign_in(page, "chair@example.org")

    page.goto(preview)
    expect(page.locator("h1")).to_have_text("Quarterly SVRP update: 2026-27 Q2")
    page.get_by_role("link", name="Write the chair's part").click()

    expect(page.locator("h1")).to_have_text("The chair's part of the 2026-27 Q2 update")
    toc = page.get_by_role("group", name="Rating: Theory of Change activities")
    expect(toc.get_by_label("Use the suggestion: Green – On track")).to_be_checked()
    toc.get_by_label(TOC_RED).check()
    page.get_by_label("Summary").fill("The brand launched; the website is late.")
    risk = page.get_by_role("group", name="Risk or issue 1")
    risk.get_by_label("Risk or issue").fill("The website contract is not yet signed")
    risk.get_by_label("Rating").select_option(label="Amber – At risk: in hand, but needs watching")
    risk.get_by_label("Owner").fill("VRU Manager")
    page.get_by_role("button", name="Save the chair's part").click()

    # A rating other than the suggestion needs its reason, said by the field; nothing typed
    # is lost.
    reason = page.get_by_label("Theory of Change activities: why your rating differs")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_toc_reason_error")).to_contain_text("Say why the rating is Red")
    expect(page.get_by_label("Summary")).to_have_value("The brand launched; the website is late.")
    expect(risk.get_by_label("Owner")).to_have_value("VRU Manager")
    assert_accessible(page)
    reason.fill("The website, the main activity, has slipped a quarter.")
    page.get_by_role("button", name="Save the chair's part").click()

    expect(page.get_by_role("status").first).to_contain_text(
        "The chair's part of the 2026-27 Q2 update is saved."
    )
    expect(page.locator("#draft-status")).to_contain_text("last saved by Chair")
    sent = json.loads(page.request.get(preview.replace("/?", "/report.json?")).text())["chair"]
    toc_part = next(area for area in sent["areas"] if area["key"] == "toc")
    assert (toc_part["rag"], toc_part["overridden"]) == ("red", True)
    assert toc_part["reason"] == "The website, the main activity, has slipped a quarter."
    assert sent["summary"] == "The brand launched; the website is late."
    assert [(r["text"], r["label"], r["owner"]) for r in sent["risks"]] == [
        ("The website contract is not yet signed", "Amber", "VRU Manager")
    ]

    page.get_by_role("link", name="Finalise the 2026-27 Q2 update").click()
    expect(page.locator("h1")).to_have_text("Finalise the 2026-27 Q2 update")
    expect(page.locator("#frozen-warning")).to_contain_text("it cannot be changed afterwards")
    frozen = page.get_by_role("table", name="Status and ratings")
    expect(
        frozen.get_by_role("row", name=re.compile("^Theory of Change activities"))
    ).to_contain_text("The chair's rating: The website, the main activity, has slipped a quarter.")
    expect(frozen.get_by_role("row", name=re.compile("^Overall status"))).to_contain_text("Red")
    assert_accessible(page)
    page.get_by_role("button", name="Finalise the 2026-27 Q2 update").click()

    expect(page.get_by_role("status").first).to_contain_text("is finalised")
    expect(page.locator("#issues")).to_contain_text("Issue 1 (current)")
    page.get_by_role("link", name="Re-issue the 2026-27 Q2 update").click()

    expect(page.locator("h1")).to_have_text("Re-issue the 2026-27 Q2 update")
    page.get_by_label("Why it is re-issued").fill("The website contract was signed after all.")
    page.get_by_role("button", name="Re-issue as issue 2").click()

    expect(page.get_by_role("status").first).to_contain_text(
        "Issue 2 of the 2026-27 Q2 update for the Communications Working Group is now current. "
        "Issue 1 is kept exactly as it was sent."
    )
    issues = page.locator("#issues")
    expect(issues).to_contain_text("Issue 2 (current) – re-issued by Chair on")
    expect(issues).to_contain_text("Why: The website contract was signed after all.")
    expect(issues).to_contain_text("Issue 1 (replaced; kept as it was sent) – finalised by Chair")

    issues.get_by_role("link", name="Issue 1").click()
    expect(page.locator("#replaced-issue")).to_contain_text(
        "This is issue 1, kept as it was sent: a later issue replaced it."
    )
