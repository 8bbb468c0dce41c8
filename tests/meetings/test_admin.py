import datetime as dt

import pytest
from django.contrib import admin
from django.test import RequestFactory

from meetings.admin import MeetingAdmin
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def test_moving_a_meeting_in_the_admin_updates_calendars_too(upcoming_meeting, staff_user):
    meeting = Meeting.objects.get(pk=upcoming_meeting.pk)
    meeting.starts_at += dt.timedelta(hours=2)
    meeting.ends_at += dt.timedelta(hours=2)
    request = RequestFactory().post("/")
    request.user = staff_user

    MeetingAdmin(Meeting, admin.site).save_model(request, meeting, None, True)

    upcoming_meeting.refresh_from_db()
    assert upcoming_meeting.sequence == 1
