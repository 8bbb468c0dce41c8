"""The action forms sent back with errors start with a summary of them, each linked to its
field (templates/partials/error_summary.html)."""

import lxml.html
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def summary_links(response) -> list[tuple[str, str]]:
    """The links of the one error summary, which stands in the form before any field."""
    page = lxml.html.fromstring(response.content)
    (form,) = page.xpath("//form[.//*[@data-error-summary]]")
    first = form.xpath(".//*[@data-error-summary or self::select or self::textarea or self::input]")
    first = [element for element in first if element.get("type") not in ("hidden", "submit")]
    assert first[0].get("data-error-summary") is not None, "the summary comes before any field"
    for href in form.xpath(".//*[@data-error-summary]//a/@href"):
        assert form.get_element_by_id(href[1:]) is not None
    return [
        (a.get("href"), " ".join(a.text_content().split()))
        for a in form.xpath(".//*[@data-error-summary]//a")
    ]


def test_logging_an_action_with_nothing_filled_in_lists_what_is_missing(staff_client):
    response = staff_client.post(reverse("actions:new"), {})

    assert response.status_code == 200
    assert summary_links(response) == [
        ("#id_title", "Title: This field is required."),
        ("#id_owner", "Owner: This field is required."),
        ("#id_group", "Group: This field is required."),
    ]


def test_an_edit_that_empties_the_title_links_to_it(staff_client, action):
    response = staff_client.post(
        reverse("actions:edit", args=[action.pk]),
        {
            "title": "",
            "owner": action.owner_id,
            "agency": action.agency_id,
            "group": action.group_id,
            "due_date": action.due_date.isoformat(),
            "version": action.version,
        },
    )

    assert response.status_code == 200
    assert summary_links(response) == [("#id_title", "Title: This field is required.")]


def test_finding_an_owner_is_no_error(staff_client):
    response = staff_client.post(reverse("actions:new"), {"owner_search": "pri", "find_owner": "1"})

    assert response.status_code == 200
    assert "data-error-summary" not in response.content.decode()
