"""The privacy notice: open to everyone, linked from every page, and factual about what
the portal holds, why, for how long, who sees it and who to ask."""

import re

import pytest

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")


def test_anyone_can_read_it_without_signing_in(client):
    response = client.get("/privacy/")

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert "<title>Privacy notice – VRP portal</title>" in page
    assert 'href="/accounts/login/"' in page


@pytest.mark.parametrize(
    "fact",
    [
        "name, work email address, job title and agency",  # what is held
        "<strong>public task</strong> (UK GDPR Article 6(1)(e))",  # the lawful basis
        "Serious Violence Duty",  # why
        "Nothing is deleted through the portal",  # how long
        "VRU staff <strong>anonymise</strong> them",
        "“Former member” and a number",
        "<strong>VRU staff</strong>: everything above, and email addresses",  # who sees it
        "<strong>subject access request</strong>",  # who to ask, and how
        "Ask any member of VRU staff",
        "Information Commissioner's Office",
        "the apologies and deputies members send ahead of a meeting",  # between meetings
        "<strong>A record of every email the portal sends</strong>",
        "the action note after each meeting and the group's Terms of Reference",
        "published versions of a group's Terms of Reference, are kept exactly as they were sent",
        "a note of it for VRU staff: what it is, who asked for it, when, and whether it went",
        "deleted 90 days after it finished, unless it failed",  # background sends
    ],
)
def test_it_says_what_is_held_why_for_how_long_who_sees_it_and_who_to_ask(client, fact):
    page = client.get("/privacy/").content.decode().replace("&#x27;", "'")

    assert fact in page


@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/members/people/"])
def test_every_page_links_to_it_from_the_footer(client, staff_client, path):
    for visitor in (client, staff_client):
        page = visitor.get(path, follow=True).content.decode()
        footer = page.split("<footer", 1)[1]
        assert 'href="/privacy/"' in footer, path


def test_signed_in_people_read_it_too(member_client):
    assert member_client.get("/privacy/").status_code == 200


def test_it_rejects_post(client):
    assert client.post("/privacy/").status_code == 405


def test_it_has_no_inline_script_or_style(client):
    page = client.get("/privacy/").content.decode()

    assert INLINE_SCRIPT.search(page) is None
    assert " style=" not in page and "<style" not in page
