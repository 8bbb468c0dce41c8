"""Calendar files: one meeting's, and each person's own feed for Outlook to subscribe to."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.permissions import person_of, role_required
from meetings.access import get_meeting
from meetings.calendars import absolute_url, calendar_bytes, feed_owner
from meetings.models import Meeting
from members.models import Membership


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def meeting_ics(request, pk: int):
    meeting = get_meeting(request, pk)
    content = calendar_bytes([meeting], name=f"{meeting.group.display_name} meeting")
    return _ics_response(content, f"meeting-{meeting.pk}.ics")


@login_not_required
@never_cache
@require_GET
def calendar_feed(request):
    """A person's meetings for Outlook to subscribe to. The token is the only key: calendar
    clients cannot sign in. An unknown or revoked token gets 404 and gives nothing away."""
    person = feed_owner(request.GET.get("token", ""))
    if person is None:
        raise Http404("No such calendar.")
    seats = Membership.objects.current().filter(person=person)
    since = timezone.now() - dt.timedelta(days=366)
    meetings = (
        Meeting.objects.filter(group__memberships__in=seats, ends_at__gte=since)
        .select_related("group", "host_agency")
        .distinct()
        .order_by("starts_at")
    )
    content = calendar_bytes(meetings, name="VRP meetings")
    return _ics_response(content, "vrp-meetings.ics")


@role_required
def calendar_settings(request):
    person = person_of(request.user)
    feed_url = None
    if person is not None:
        feed_url = absolute_url(
            f"{reverse('meetings:calendar_feed')}?token={person.calendar_token}"
        )
    return render(request, "meetings/calendar.html", {"person": person, "feed_url": feed_url})


@require_POST
@role_required
def calendar_reset(request):
    person = person_of(request.user)
    if person is None:
        raise Http404("This account has no calendar feed.")
    person.reset_calendar_token()
    messages.success(
        request,
        "Your calendar address has been reset: the old one no longer works. "
        "Subscribe again with the new address below.",
    )
    return redirect("meetings:calendar")
