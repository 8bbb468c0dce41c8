"""A form sent back with errors says what is wrong at its top, each error linked to its field.

The summary (templates/partials/error_summary.html) comes with partials/form.html, so
every form that renders through it has one; js/portal.js moves focus to it.
"""

import lxml.html
import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from core.permissions import MEMBER
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SUMMARY = "//*[@data-error-summary]"


def summary_of(html: str):
    """The one error summary on the page, checked to be announced and focusable."""
    found = lxml.html.fromstring(html).xpath(SUMMARY)
    assert len(found) == 1, "expected one error summary"
    summary = found[0]
    assert summary.get("role") == "alert"
    assert summary.get("tabindex") == "-1"
    assert summary.xpath("string(.//h2)").strip() == "There is a problem"
    return summary


def links_of(summary) -> list[tuple[str, str]]:
    return [(a.get("href"), " ".join(a.text_content().split())) for a in summary.iter("a")]


def test_it_lists_every_field_error_as_a_link_to_the_field(staff_client):
    response = staff_client.post(reverse("members:person_create"), {"role": MEMBER})

    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    summary = summary_of(response.content.decode())
    assert links_of(summary) == [
        ("#id_full_name", "Full name: This field is required."),
        ("#id_email", "Email address: This field is required."),
        ("#id_agency", "Agency: This field is required."),
    ]
    for href, _ in links_of(summary):
        assert page.get_element_by_id(href[1:]).tag in {"input", "select", "textarea"}


def test_it_stands_at_the_top_of_the_form_before_the_fields(staff_client):
    response = staff_client.post(reverse("members:person_create"), {"role": MEMBER})

    page = lxml.html.fromstring(response.content)
    form = page.xpath("//form[.//*[@data-error-summary]]")
    assert len(form) == 1, "the summary is inside the form it is about"
    fields = form[0].xpath(
        ".//*[@data-error-summary or self::select or (self::input and @type!='hidden')]"
    )
    assert fields[0].get("data-error-summary") is not None, "the summary comes before any field"


def test_it_shows_an_error_of_the_whole_form_as_text(client):
    UserFactory(email="lead@example.org")

    response = client.post(
        "/accounts/login/", {"login": "lead@example.org", "password": f"not-{PASSWORD}"}
    )

    assert response.status_code == 200
    summary = summary_of(response.content.decode())
    assert "Enter the correct email address and password" in summary.text_content()
    assert links_of(summary) == []


def test_it_links_a_radio_group_to_its_first_choice_and_keeps_a_hidden_fields_error():
    class Form(forms.Form):
        version = forms.IntegerField(widget=forms.HiddenInput)
        kind = forms.ChoiceField(
            label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
        )

        def clean(self):
            raise forms.ValidationError("Nothing was saved.")

    form = Form({"version": "x"})

    html = render_to_string("partials/form.html", {"form": form})

    summary = summary_of(html)
    assert links_of(summary) == [("#id_kind_0", "Kind: This field is required.")]
    items = [" ".join(li.text_content().split()) for li in summary.iter("li")]
    assert items == ["Nothing was saved.", "Enter a whole number.", "Kind: This field is required."]
    assert lxml.html.fromstring(html).get_element_by_id("id_kind_0").get("type") == "radio"


def test_a_form_without_errors_has_no_summary(staff_client):
    response = staff_client.get(reverse("members:person_create"))

    assert response.status_code == 200
    assert not lxml.html.fromstring(response.content).xpath(SUMMARY)
