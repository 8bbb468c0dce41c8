"""The admin keeps the portal's rule: actions and their timelines are never deleted."""

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from actions.admin import ActionAdmin, ActionInline, ActionUpdateInline
from actions.models import Action
from meetings.models import Meeting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    return request


def test_the_meeting_admin_cannot_delete_its_actions(superuser_request):
    inline = ActionInline(Meeting, admin.site)

    assert inline.get_formset(superuser_request).can_delete is False


def test_the_timeline_in_the_admin_is_read_only(superuser_request):
    inline = ActionUpdateInline(Action, admin.site)

    assert inline.get_formset(superuser_request).can_delete is False
    assert not inline.has_add_permission(superuser_request, None)
    assert set(inline.get_readonly_fields(superuser_request)) >= set(inline.fields)


def test_an_admin_save_refuses_a_portal_form_opened_before_it(
    superuser_request, staff_client, action
):
    opened_on = action.version
    action.title = "Changed in the admin"
    ActionAdmin(Action, admin.site).save_model(superuser_request, action, None, change=True)

    response = staff_client.post(
        reverse("actions:cancel", args=[action.pk]), {"reason": "Stale.", "version": opened_on}
    )

    action.refresh_from_db()
    assert response.status_code == 409
    assert (action.title, action.status) == ("Changed in the admin", "open")


def test_the_meetings_admin_page_lists_its_actions(superuser_request, action):
    """Meetings sit below actions, so actions/admin.py adds the inline to the meeting's
    admin page rather than meetings/admin.py importing it."""
    client = Client()
    client.force_login(superuser_request.user)

    page = client.get(reverse("admin:meetings_meeting_change", args=[action.meeting.pk]))

    assert page.status_code == 200
    inlines = [type(formset.opts) for formset in page.context["inline_admin_formsets"]]
    assert ActionInline in inlines
    assert action.title in page.content.decode()
