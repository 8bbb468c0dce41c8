"""iCalendar files: one meeting, or a person's feed that Outlook subscribes to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from email.utils import parseaddr
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

from core.permissions import has_role
from core.text import clean_text
from meetings.models import Meeting
from members.models import Person

LONDON = ZoneInfo("Europe/London")


def prodid() -> str:
    """The product that made the file (RFC 5545 PRODID), named from settings: each
    partnership's deployment names itself, "-//HIPS VRP//VRP portal//EN" by default."""
    partnership = clean_text(settings.PARTNERSHIP_SHORT_NAME).replace("//", "/")
    portal = clean_text(settings.PORTAL_NAME).replace("//", "/")
    return f"-//{partnership}//{portal}//EN"


@lru_cache(maxsize=1)
def _london_timezone() -> icalendar.Timezone:
    """Europe/London as a VTIMEZONE, for clients that cannot look the zone up themselves."""
    return icalendar.Timezone.from_tzid(
        "Europe/London", first_date=dt.date(2020, 1, 1), last_date=dt.date(2045, 1, 1)
    )


def feed_owner(token: str) -> Person | None:
    """The person whose calendar feed `token` opens, or None.

    The token is the feed's only key (calendar clients cannot sign in), so every feed
    address, with the token in its query or in its path, opens only while the person
    is active and their account is active and holds a portal role: deactivating the
    person or the account (in the portal or the admin), or taking the role away,
    closes the feed at once, as it ends their sign-in.
    """
    if not token:
        return None
    person = (
        Person.objects.active()
        .filter(calendar_token=token, user__is_active=True)
        .select_related("user")
        .first()
    )
    if person is None or not has_role(person.user):
        return None
    return person


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def meeting_uid(meeting: Meeting) -> str:
    """Stable for the meeting's life, so calendars update it rather than add another."""
    host = urlsplit(settings.SITE_URL).hostname or "vrp-portal"
    return f"meeting-{meeting.pk}@{host}"


def meeting_event(meeting: Meeting) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("created", meeting.created_at.astimezone(dt.UTC))
    event.add("last-modified", meeting.updated_at.astimezone(dt.UTC))
    event.add("sequence", meeting.sequence)
    event.add("dtstart", meeting.starts_at.astimezone(LONDON))
    event.add("dtend", meeting.ends_at.astimezone(LONDON))
    title = f"{meeting.group.display_name} meeting"
    # Some clients ignore STATUS on subscribed calendars: the title says it too.
    # iCalendar text may hold no control characters (RFC 5545): pasted ones are dropped.
    event.add("summary", clean_text(f"Cancelled: {title}" if meeting.is_cancelled else title))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    page = absolute_url(meeting.get_absolute_url())
    event.add("url", page)

    lines = [f"{meeting.group.name}. {meeting.get_format_display()}."]
    if meeting.host_agency:
        lines.append(f"Hosted by {meeting.host_agency}.")
    if meeting.online_link:
        lines.append(f"Join online: {meeting.online_link}")
    lines.append(f"Meeting page: {page}")
    event.add("description", clean_text("\n".join(lines)))
    location = meeting.location if meeting.is_in_person else ""
    location = location or meeting.online_link or meeting.location
    if not location and meeting.format == Meeting.Format.TEAMS:
        location = "Microsoft Teams"
    if location:
        event.add("location", clean_text(location))
    return event


def calendar_bytes(meetings: Iterable[Meeting], *, name: str) -> bytes:
    """A whole VCALENDAR with Europe/London times."""
    cal = icalendar.Calendar()
    cal.add("prodid", prodid())
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", clean_text(name))
    cal.add("x-wr-timezone", "Europe/London")
    # Subscribed calendars are polled: twice a day is often enough for quarterly meetings.
    cal.add(
        "refresh-interval",
        icalendar.vDuration(dt.timedelta(hours=12)),
        parameters={"VALUE": "DURATION"},
    )
    cal.add("x-published-ttl", "PT12H")
    cal.add_component(_london_timezone())
    for meeting in meetings:
        cal.add_component(meeting_event(meeting))
    return cal.to_ical()


def organiser_address() -> str:
    """The bare address invitations come from (DEFAULT_FROM_EMAIL may carry a name)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL


def invitation_bytes(meeting: Meeting, *, method: str, attendee: tuple[str, str]) -> bytes:
    """The meeting as an iTIP message (METHOD:REQUEST or CANCEL) for one attendee.

    The UID is the meeting's for its whole life and SEQUENCE is the meeting's own, so
    Outlook updates, or removes, the event it added from the first invitation. Each
    recipient's file names only them, so that nobody's address reaches the others.
    """
    name, email = attendee
    cal = icalendar.Calendar()
    cal.add("prodid", prodid())
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add_component(_london_timezone())
    event = meeting_event(meeting)
    event.add(
        "organizer",
        f"mailto:{organiser_address()}",
        parameters={"CN": clean_text(settings.PORTAL_NAME)},
    )
    event.add(
        "attendee",
        f"mailto:{email}",
        parameters={
            "CN": clean_text(name),
            "ROLE": "REQ-PARTICIPANT",
            "PARTSTAT": "NEEDS-ACTION",
            "RSVP": "FALSE",
        },
    )
    cal.add_component(event)
    return cal.to_ical()
