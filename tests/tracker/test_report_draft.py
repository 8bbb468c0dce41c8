"""The chair's part of the quarterly update, drafted in the portal before it is finalised:
each rating is the portal's suggestion, shown with its rule, unless the chair chooses
another and says why; the words, and the risks and issues, go with it."""

import json

import pytest
from django.test import Client
from django.utils.html import escape

from core.permissions import CHAIR
from tests.factories import PersonFactory, UserFactory
from tests.stale import hidden_version, page_data
from tests.tracker.fixtures import QUARTER
from tracker.models import DraftRisk, QuarterlyDraft, QuarterlyReport
from tracker.rag import AREAS, OVERALL_RULE
from tracker.report import report_finalise

pytestmark = pytest.mark.django_db

Q1 = "/reports/quarterly/2024-25/q1/"


@pytest.fixture
def urls(quarter_data):
    group = quarter_data.group.pk
    return {
        "draft": f"{Q1}draft/?group={group}",
        "preview": f"{Q1}?group={group}",
        "json": f"{Q1}report.json?group={group}",
    }


def opened(client, url):
    """The draft page's form and risks, as a browser opening it now sees them."""
    context = client.get(url).context
    return context["form"], context["risks"]


def page(form, risks, rows=None, **changes) -> dict:
    """What the page posts: its form with `changes`, and `rows` of risks (by default the
    risks it was opened with)."""
    data = page_data(form, **changes)
    if rows is None:
        rows = [
            {name: risk[name].value() for name in ("risk", "text", "rag", "owner")}
            for risk in risks.forms[: risks.initial_form_count()]
        ]
    data.update(
        {
            "risks-TOTAL_FORMS": str(len(rows)),
            "risks-INITIAL_FORMS": str(risks.initial_form_count()),
            "risks-MIN_NUM_FORMS": "0",
            "risks-MAX_NUM_FORMS": "20",
        }
    )
    for index, row in enumerate(rows):
        data.update(
            {f"risks-{index}-{name}": value for name, value in row.items() if value is not None}
        )
    return data


def chair_part(client, urls) -> dict:
    return json.loads(client.get(urls["json"]).content)["chair"]


def test_each_suggestion_is_shown_with_its_rule_and_why(chair_client, urls):
    response = chair_client.get(urls["draft"])

    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    for area in AREAS:
        assert escape(area.rule) in content, area.key
    assert escape(OVERALL_RULE) in content
    # The fixture's ToC activity 3.b has not started: Amber, and why.
    toc = next(row for row in response.context["rated"] if row["key"] == "toc")
    assert toc["part"]["suggested"] == "amber"
    assert "Not started: 3.b." in content
    assert "Use the suggestion: Amber – At risk: in hand, but needs watching" in content
    # Every choice says what it means, never by colour alone.
    for words in ("Green – On track", "Red – Off track: needs the SVRP"):
        assert words in content
    assert 'value="" id="id_toc_rag_0" checked' in " ".join(content.split())


def test_members_may_not_draft_and_anonymous_visitors_sign_in(persona_clients, urls):
    for persona in ("owner", "other_member"):
        client = persona_clients[persona]
        assert client.get(urls["draft"]).status_code == 403, persona
        assert client.post(urls["draft"], {"summary": "Mine"}).status_code == 403, persona
    anonymous = persona_clients["anonymous"].get(urls["draft"])
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert persona_clients["staff"].get(urls["draft"]).status_code == 200
    assert not QuarterlyDraft.objects.exists()


def test_the_preview_links_to_the_draft(chair_client, member_client, urls):
    content = chair_client.get(urls["preview"]).content.decode()

    assert f'href="{urls["draft"]}">Write the chair\'s part</a>' in content
    assert "/draft/" not in member_client.get(urls["preview"]).content.decode()


def test_a_rating_other_than_the_suggestion_without_a_reason_is_refused_by_the_field(
    chair_client, urls
):
    form, risks = opened(chair_client, urls["draft"])
    data = page(form, risks, toc_rag="green", summary="A steady quarter.")

    response = chair_client.post(urls["draft"], data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was saved: correct what is marked below." in content
    error = response.context["form"].errors["toc_reason"][0]
    assert error == (
        "Say why the rating is Green: the portal suggests Amber. Or choose “Use the suggestion”."
    )
    assert '<div id="id_toc_reason_error" class="invalid-feedback">' in content
    assert 'aria-describedby="id_toc_reason_helptext id_toc_reason_error"' in content
    # Nothing typed is lost, and nothing is stored.
    assert "A steady quarter." in content
    assert 'value="green" id="id_toc_rag_1" checked' in " ".join(content.split())
    assert not QuarterlyDraft.objects.exists()


def test_a_rating_with_its_reason_is_saved_and_sent_with_the_update(chair_client, chair_user, urls):
    form, risks = opened(chair_client, urls["draft"])
    data = page(
        form,
        risks,
        toc_rag="green",
        toc_reason="3.b starts next week: the brief is agreed.",
        summary="A steady quarter.",
        asks="Note the new website.",
    )

    response = chair_client.post(urls["draft"], data, follow=True)

    assert response.redirect_chain[-1][0] == urls["preview"]
    assert "The chair&#x27;s part of the 2024-25 Q1 update is saved." in (response.content.decode())
    draft = QuarterlyDraft.objects.get()
    assert (draft.toc_rag, draft.updated_by) == ("green", chair_user)
    part = chair_part(chair_client, urls)
    toc = next(area for area in part["areas"] if area["key"] == "toc")
    assert (toc["rag"], toc["label"], toc["meaning"]) == ("green", "Green", "On track")
    assert (toc["suggested"], toc["overridden"]) == ("amber", True)
    assert toc["reason"] == "3.b starts next week: the brief is agreed."
    assert (part["summary"], part["asks"]) == ("A steady quarter.", "Note the new website.")


def test_the_suggestion_needs_no_reason_and_keeps_none(chair_client, urls):
    form, risks = opened(chair_client, urls["draft"])
    data = page(form, risks, toc_rag="amber", crest_reason="Typed, then the choice changed.")

    chair_client.post(urls["draft"], data)

    draft = QuarterlyDraft.objects.get()
    assert (draft.toc_rag, draft.toc_reason, draft.crest_reason) == ("amber", "", "")
    toc = next(a for a in chair_part(chair_client, urls)["areas"] if a["key"] == "toc")
    assert (toc["rag"], toc["overridden"]) == ("amber", False)


def test_the_overall_suggestion_follows_the_areas_as_chosen(chair_client, urls):
    """Amber overall is the suggestion while an area is Amber; with every area rated
    Green (each with its reason), Amber overall needs a reason of its own."""
    form, risks = opened(chair_client, urls["draft"])
    greens = {}
    for area in AREAS:
        greens[f"{area.key}_rag"] = "green"
        greens[f"{area.key}_reason"] = "Back on track since the quarter ended."

    response = chair_client.post(urls["draft"], page(form, risks, overall_rag="amber", **greens))

    assert "overall_reason" in response.context["form"].errors
    assert not QuarterlyDraft.objects.exists()


def test_risks_are_added_removed_and_kept_in_order(chair_client, urls):
    form, risks = opened(chair_client, urls["draft"])
    rows = [
        {"text": "Website budget not confirmed", "rag": "amber", "owner": "VRU Manager"},
        {"text": "Comms lead vacancy at the Fire service", "rag": "red", "owner": "Chair"},
    ]
    chair_client.post(urls["draft"], page(form, risks, rows))

    assert [(r.text, r.order) for r in DraftRisk.objects.order_by("order")] == [
        ("Website budget not confirmed", 0),
        ("Comms lead vacancy at the Fire service", 1),
    ]
    form, risks = opened(chair_client, urls["draft"])
    budget, vacancy = (risks.forms[i]["risk"].value() for i in range(2))
    # One blank row is offered for a new risk; a stored risk can be removed.
    assert risks.total_form_count() == 3
    assert "Remove this risk or issue" in chair_client.get(urls["draft"]).content.decode()
    rows = [
        {"risk": budget, "text": "Website budget not confirmed", "rag": "amber", "owner": "VRU"},
        {"risk": vacancy, "text": "Vacancy", "rag": "red", "owner": "Chair", "DELETE": "on"},
        {"text": "Partners' data sharing agreement lapses", "rag": "green", "owner": "Police"},
    ]

    response = chair_client.post(urls["draft"], page(form, risks, rows), follow=True)

    assert response.redirect_chain
    stored = list(DraftRisk.objects.filter(removed=False).order_by("order"))
    assert [(r.pk, r.text, r.owner, r.order) for r in stored] == [
        (budget, "Website budget not confirmed", "VRU", 0),
        (stored[1].pk, "Partners' data sharing agreement lapses", "Police", 1),
    ]
    # Taken out of the draft, never deleted.
    assert DraftRisk.objects.get(pk=vacancy).removed is True
    assert [(r["text"], r["label"]) for r in chair_part(chair_client, urls)["risks"]] == [
        ("Website budget not confirmed", "Amber"),
        ("Partners' data sharing agreement lapses", "Green"),
    ]


def test_adding_a_row_saves_nothing_and_keeps_what_was_typed(chair_client, urls):
    form, risks = opened(chair_client, urls["draft"])
    rows = [{"text": "Budget", "rag": "amber", "owner": "VRU"}]
    data = page(form, risks, rows, summary="Half written") | {"add_risk": "1"}

    response = chair_client.post(urls["draft"], data)

    assert response.status_code == 200
    assert response.context["risks"].total_form_count() == 2
    content = response.content.decode()
    assert "Half written" in content
    assert "Budget" in content
    assert not QuarterlyDraft.objects.exists()


def test_a_risk_needs_its_words_rating_and_owner(chair_client, urls):
    form, risks = opened(chair_client, urls["draft"])
    rows = [{"text": "No owner yet", "rag": "red", "owner": ""}]

    response = chair_client.post(urls["draft"], page(form, risks, rows))

    assert response.context["risks"].forms[0].errors["owner"] == ["This field is required."]
    assert not QuarterlyDraft.objects.exists()


@pytest.fixture
def colleague_client(working_group):
    """The Vice-Chair, editing the same draft at the same time."""
    user = UserFactory(email="vice.chair@example.org", roles=[CHAIR])
    PersonFactory(email=user.email, full_name="Vice Chair", user=user)
    client = Client()
    client.force_login(user)
    return client


def test_a_stale_save_is_refused_with_the_current_version_beside_what_was_typed(
    chair_client, colleague_client, urls
):
    form, risks = opened(chair_client, urls["draft"])
    chair_client.post(urls["draft"], page(form, risks, summary="First words"))
    mine = page(*opened(chair_client, urls["draft"]), summary="My words")
    theirs = page(*opened(colleague_client, urls["draft"]), summary="Their words")
    colleague_client.post(urls["draft"], theirs)

    response = chair_client.post(urls["draft"], mine)

    assert response.status_code == 409
    content = response.content.decode()
    assert "Somebody else changed the chair&#x27;s part of the 2024-25 Q1 update" in content
    differences = [
        (d.label, d.current, d.yours) for d in response.context["conflict"]["differences"]
    ]
    assert ("Summary", "Their words", "My words") in differences
    # The form keeps what was typed, now on the current version.
    draft = QuarterlyDraft.objects.get()
    assert hidden_version(response.context["form"]) in content
    assert response.context["form"]["version"].value() == draft.version
    assert "My words" in content
    assert draft.summary == "Their words"


def test_a_first_draft_saved_by_somebody_else_meanwhile_is_a_conflict(
    chair_client, colleague_client, urls
):
    mine = page(*opened(chair_client, urls["draft"]), summary="My words")
    colleague_client.post(
        urls["draft"], page(*opened(colleague_client, urls["draft"]), summary="Theirs")
    )

    response = chair_client.post(urls["draft"], mine)

    assert response.status_code == 409
    assert QuarterlyDraft.objects.get().summary == "Theirs"


def test_the_same_page_sent_twice_is_no_conflict(chair_client, urls):
    form, risks = opened(chair_client, urls["draft"])
    chair_client.post(urls["draft"], page(form, risks, summary="Once"))
    data = page(*opened(chair_client, urls["draft"]), summary="Twice")

    first = chair_client.post(urls["draft"], data)
    second = chair_client.post(urls["draft"], data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert QuarterlyDraft.objects.get().summary == "Twice"


@pytest.mark.parametrize(
    ("changes", "rows", "field"),
    [
        ({"summary": "x" * 4001}, [], "summary"),
        ({"asks": "An ask\x00 with a NUL"}, [], "asks"),
        ({"toc_rag": "green", "toc_reason": "y" * 1001}, [], "toc_reason"),
        ({"toc_rag": "purple"}, [], "toc_rag"),
        ({}, [{"text": "z" * 1001, "rag": "red", "owner": "Chair"}], "risks"),
        ({}, [{"text": "Risk", "rag": "red", "owner": "o" * 201}], "risks"),
        ({}, [{"text": "Risk", "rag": "scarlet", "owner": "Chair"}], "risks"),
        ({}, [{"text": "Risk", "rag": "red", "owner": "Chair"}] * 21, "risks"),
    ],
)
def test_hostile_input_is_refused_cleanly(chair_client, urls, changes, rows, field):
    form, risks = opened(chair_client, urls["draft"])

    response = chair_client.post(urls["draft"], page(form, risks, rows, **changes))

    assert response.status_code == 200
    if field == "risks":
        formset = response.context["risks"]
        assert formset.non_form_errors() or any(formset.errors)
    else:
        assert field in response.context["form"].errors
    assert "Nothing was saved" in response.content.decode()
    assert not QuarterlyDraft.objects.exists()
    assert not DraftRisk.objects.exists()


def test_a_tampered_risk_count_is_refused_cleanly(chair_client, urls):
    form, risks = opened(chair_client, urls["draft"])
    for count in ("1000000", "many"):
        data = page(form, risks, []) | {"risks-TOTAL_FORMS": count}
        response = chair_client.post(urls["draft"], data)
        assert response.status_code == 200, count
        response = chair_client.post(urls["draft"], data | {"add_risk": "1"})
        assert response.status_code == 200, count
    assert not QuarterlyDraft.objects.exists()


def test_a_finalised_quarter_can_be_drafted_for_a_re_issue(
    chair_client, chair_user, quarter_data, urls
):
    report_finalise(group=quarter_data.group, quarter=QUARTER, by=chair_user)
    sent = QuarterlyReport.objects.get().content

    content = chair_client.get(urls["draft"]).content.decode()

    assert "issue 1 is current" in content
    assert "do not change it until the update is" in content
    form, risks = opened(chair_client, urls["draft"])
    response = chair_client.post(urls["draft"], page(form, risks, summary="Corrected"), follow=True)
    assert "Issue 1, which is current, does not change until the update is re-issued." in (
        response.content.decode()
    )
    assert QuarterlyReport.objects.get().content == sent
    assert QuarterlyDraft.objects.get().summary == "Corrected"


def test_staff_see_the_drafts_history(staff_client, urls):
    form, risks = opened(staff_client, urls["draft"])
    rows = [{"text": "Budget", "rag": "amber", "owner": "VRU"}]
    staff_client.post(urls["draft"], page(form, risks, rows, summary="Staff wrote this"))

    content = staff_client.get(urls["draft"]).content.decode()

    history = content.split("History of the chair's part")[1]
    assert "Created" in history
    assert "Budget" in history
    assert "Last saved by Staff on" in content
