"""The meeting page's actions section: raised here, matters arising, and staff's inline form."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from tests.actions.conftest import database_state
from tests.factories import (
    ActionFactory,
    GroupFactory,
    MeetingFactory,
    ToCActivityFactory,
)

pytestmark = pytest.mark.django_db


def _render(meeting, user) -> str:
    request = RequestFactory().get(f"/meetings/{meeting.pk}/")
    request.user = user or AnonymousUser()
    template = Template("{% load action_tags %}{% meeting_actions meeting %}")
    # As the meeting page renders it: with the request's context processors and CSRF token.
    return template.render(RequestContext(request, {"meeting": meeting}))


@pytest.fixture
def earlier_meeting(working_group, meeting):
    return MeetingFactory(group=working_group, starts_at=meeting.starts_at - dt.timedelta(days=90))


def test_it_shows_actions_raised_here_and_matters_arising(
    member_user, working_group, meeting, earlier_meeting
):
    ActionFactory(group=working_group, meeting=meeting, title="Raised today")
    ActionFactory(group=working_group, meeting=earlier_meeting, title="Still open from before")
    ActionFactory(
        group=working_group,
        meeting=earlier_meeting,
        title="Done before",
        status="done",
        completed_on=timezone.localdate(),
    )
    ActionFactory(group=GroupFactory(), title="Another group's")

    html = _render(meeting, member_user)

    raised, arising = html.split('id="matters-arising"')
    assert "Raised today" in raised and "Still open from before" not in raised
    assert "Still open from before" in arising
    assert "Done before" not in html
    assert "Another group" not in html


def test_staff_get_the_inline_form_and_members_do_not(member_user, staff_user, meeting):
    url = reverse("actions:log_at_meeting", args=[meeting.pk])

    staff_html = _render(meeting, staff_user)

    assert f'hx-post="{url}"' in staff_html
    assert f'action="{url}"' in staff_html  # works without JavaScript too
    assert 'name="csrfmiddlewaretoken"' in staff_html
    assert url not in _render(meeting, member_user)


def test_the_inline_form_proposes_the_groups_next_meeting_as_due_date(
    staff_user, working_group, meeting
):
    upcoming = MeetingFactory(group=working_group, starts_at=timezone.now() + dt.timedelta(days=50))

    html = _render(meeting, staff_user)

    assert f'value="{timezone.localdate(upcoming.starts_at).isoformat()}"' in html


def _post(client, meeting, htmx: bool, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("actions:log_at_meeting", args=[meeting.pk]),
        {f"log-{key}": value for key, value in data.items()},
        headers=headers,
    )


def test_htmx_logs_the_action_and_answers_with_its_row(
    staff_client, staff_user, member_user, working_group, meeting
):
    toc = ToCActivityFactory(group=working_group)

    response = _post(
        staff_client,
        meeting,
        True,
        title="Share the toolkit",
        owner=member_user.person.pk,
        toc_activity=toc.pk,
    )

    action = Action.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert (action.meeting, action.group, action.agency) == (
        meeting,
        working_group,
        member_user.person.agency,
    )
    assert action.toc_activity == toc
    assert action.created_by == staff_user
    # The row names its table roles itself: it arrives after js/portal.js has run.
    assert html.lstrip().startswith(f'<tr id="action-row-{action.pk}" role="row">')
    assert 'id="raised-empty" hx-swap-oob="delete"' in html
    assert 'id="log-action-form"' in html and 'hx-swap-oob="true"' in html
    assert "Action logged: “Share the toolkit”" in html


def test_without_javascript_it_redirects_back_to_the_meeting(staff_client, member_user, meeting):
    response = _post(
        staff_client, meeting, False, title="Share the toolkit", owner=member_user.person.pk
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert Action.objects.get().title == "Share the toolkit"


def test_htmx_invalid_input_returns_the_form_with_errors_in_place(staff_client, meeting):
    before = database_state()

    response = _post(staff_client, meeting, True, title="No owner given")

    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#log-action-form"
    assert response["HX-Reswap"] == "outerHTML"
    assert "This field is required." in html
    assert 'value="No owner given"' in html
    assert database_state() == before


def test_invalid_input_without_javascript_is_shown_on_its_own_page(staff_client, meeting):
    before = database_state()

    response = _post(staff_client, meeting, False, title="No owner given")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "This field is required." in html
    assert database_state() == before


def _meeting_data(group, meeting, earlier, scale: int):
    toc = ToCActivityFactory(group=group)
    for _ in range(3 * scale):
        ActionFactory(group=group, meeting=meeting, toc_activity=toc)
        ActionFactory(group=group, meeting=earlier)


@pytest.mark.parametrize("scale", [1, 10])
def test_it_takes_the_same_number_of_queries_at_any_size(
    staff_user, working_group, meeting, earlier_meeting, django_assert_num_queries, scale
):
    _meeting_data(working_group, meeting, earlier_meeting, scale)
    staff_user._vrp_roles = None  # read the roles inside the count

    # roles; raised; arising; next meeting for the due date; the form's choices (owner,
    # ToC, Crest, measures, Task and Finish groups); whether the register is saved, for
    # the action note (and once it is, when the note last went)
    with django_assert_num_queries(10):
        _render(meeting, staff_user)


def test_the_meeting_page_shows_the_section_and_staff_can_log_from_it(
    staff_client, member_user, working_group, meeting
):
    ActionFactory(group=working_group, meeting=meeting, title="Raised today")

    html = staff_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()

    assert "Raised today" in html
    assert reverse("actions:log_at_meeting", args=[meeting.pk]) in html


def test_htmx_clears_the_empty_row_only_when_it_is_there(staff_client, member_user, meeting):
    """htmx reports an error when an out-of-band target is missing, so the second action
    logged at a meeting must not ask it to delete the "no actions yet" row again."""
    first = _post(staff_client, meeting, True, title="First", owner=member_user.person.pk)
    second = _post(staff_client, meeting, True, title="Second", owner=member_user.person.pk)

    assert 'id="raised-empty" hx-swap-oob="delete"' in first.content.decode()
    assert "raised-empty" not in second.content.decode()
    assert Action.objects.filter(meeting=meeting).count() == 2


def test_an_action_logged_before_the_meeting_is_due_at_the_one_after(staff_user, working_group):
    soon = MeetingFactory(group=working_group, starts_at=timezone.now() + dt.timedelta(days=10))
    after = MeetingFactory(group=working_group, starts_at=timezone.now() + dt.timedelta(days=100))

    html = _render(soon, staff_user)

    assert f'value="{timezone.localdate(after.starts_at).isoformat()}"' in html


def test_no_action_can_be_raised_at_a_cancelled_meeting(staff_client, staff_user, member_user):
    called_off = MeetingFactory(status="cancelled")
    before = database_state()

    response = _post(staff_client, called_off, False, title="Book", owner=member_user.person.pk)

    assert "This meeting was cancelled" in response.content.decode()
    assert database_state() == before
    assert reverse("actions:log_at_meeting", args=[called_off.pk]) not in _render(
        called_off, staff_user
    )


def test_a_due_date_before_the_meeting_is_refused(staff_client, member_user, working_group):
    later = MeetingFactory(group=working_group, starts_at=timezone.now() + dt.timedelta(days=20))
    before = database_state()

    response = _post(
        staff_client,
        later,
        False,
        title="Book",
        owner=member_user.person.pk,
        due_date=timezone.localdate().isoformat(),
    )

    assert "The due date is before the meeting" in response.content.decode()
    assert database_state() == before
