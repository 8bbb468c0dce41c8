"""Staff send a meeting's invitation to its seat holders, then an update after an edit and a
cancellation when it is called off: each with the meeting's calendar file, each recorded."""

import datetime as dt

import icalendar
import pytest
from django.core import mail

from meetings.models import InvitationSend, Meeting
from tests.factories import MeetingFactory, MembershipFactory, PersonFactory
from tests.meetings.conftest import days_from_now

pytestmark = pytest.mark.django_db


def url(meeting) -> str:
    return f"/meetings/{meeting.pk}/invitation/"


def send(client, meeting, agenda: str = ""):
    meeting.refresh_from_db()
    return client.post(url(meeting), {"agenda": agenda, "sequence": meeting.sequence})


def calendar_of(message) -> icalendar.Calendar:
    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    return icalendar.Calendar.from_ical(content)


def edit(meeting, **changes) -> Meeting:
    """An edit as the meeting form makes it: the SEQUENCE grows when calendars would show it."""
    meeting.refresh_from_db()
    before = meeting.calendar_state()
    for name, value in changes.items():
        setattr(meeting, name, value)
    meeting.note_calendar_change(before)
    meeting.save()
    return meeting


@pytest.fixture
def seats(working_group, member_user, other_member_user, chair_user, staff_user):
    """The personas' seats, a vacant seat, an inactive person's and an ended one's."""
    MembershipFactory(group=working_group, person=None, role_title="Vacant")
    MembershipFactory(group=working_group, person=PersonFactory(is_active=False))
    MembershipFactory(
        group=working_group,
        person=PersonFactory(email="gone@example.org"),
        end_date=dt.date(2020, 1, 1),
    )
    return working_group.memberships.all()


ADDRESSES = [
    "chair@example.org",
    "other@example.org",
    "owner@example.org",
    "staff@example.org",
]


def test_get_shows_the_recipients_and_never_sends(staff_client, upcoming_meeting, seats):
    response = staff_client.get(url(upcoming_meeting))

    assert response.status_code == 200
    content = response.content.decode()
    for address in ADDRESSES:
        assert address in content
    assert "gone@example.org" not in content
    assert "Send the invitation to 4 people" in content
    assert mail.outbox == []
    assert not InvitationSend.objects.exists()


@pytest.mark.parametrize("persona", ["owner", "other_member", "chair"])
def test_only_staff_may_send(persona_clients, persona, upcoming_meeting, seats):
    client = persona_clients[persona]

    assert client.get(url(upcoming_meeting)).status_code == 403
    assert send(client, upcoming_meeting, "Agenda").status_code == 403
    assert mail.outbox == []
    assert not InvitationSend.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, upcoming_meeting, seats):
    response = send(client, upcoming_meeting)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert mail.outbox == []


def test_the_invitation_goes_to_each_seat_holder_with_the_calendar_file(
    staff_client, staff_user, upcoming_meeting, seats, settings
):
    settings.SITE_URL = "https://vrp.example.org"
    settings.DEFAULT_FROM_EMAIL = "VRP portal <vrp@example.org>"
    Meeting.objects.filter(pk=upcoming_meeting.pk).update(
        online_link="https://teams.example.com/meet/1"
    )

    response = send(staff_client, upcoming_meeting, "1. Welcome\n2. <Partner> updates")

    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{upcoming_meeting.pk}/"
    assert sorted(message.to[0] for message in mail.outbox) == ADDRESSES
    message = next(m for m in mail.outbox if m.to == ["owner@example.org"])
    assert message.subject.startswith("Invitation: Communications Working Group meeting")
    reply_link = f"https://vrp.example.org/meetings/{upcoming_meeting.pk}/reply/"
    assert reply_link in message.body
    assert "Join online: https://teams.example.com/meet/1" in message.body
    assert "1. Welcome\n2. <Partner> updates" in message.body
    [(html, _mimetype)] = message.alternatives
    assert "2. &lt;Partner&gt; updates" in html
    assert f'href="{reply_link}"' in html

    calendar = calendar_of(message)
    [event] = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == f"meeting-{upcoming_meeting.pk}@vrp.example.org"
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert str(event["ORGANIZER"]) == "mailto:vrp@example.org"
    # Each file names only its own recipient: nobody sees the others' addresses.
    assert str(event["ATTENDEE"]) == "mailto:owner@example.org"

    sent = InvitationSend.objects.get()
    assert (sent.kind, sent.sequence, sent.sent_by) == ("invitation", 0, staff_user)
    assert sorted(sent.recipients) == ADDRESSES
    assert sent.agenda == "1. Welcome\n2. <Partner> updates"


def test_an_edit_makes_an_update_due_with_a_higher_sequence_and_the_same_uid(
    staff_client, upcoming_meeting, seats
):
    send(staff_client, upcoming_meeting, "The agenda")
    first_uid = calendar_of(mail.outbox[0]).walk("VEVENT")[0]["UID"]
    page = staff_client.get(f"/meetings/{upcoming_meeting.pk}/").content.decode()
    assert "has changed since" not in page

    edit(upcoming_meeting, location="Police HQ, Eastleigh")
    page = staff_client.get(f"/meetings/{upcoming_meeting.pk}/").content.decode()
    assert "The meeting has changed since its invitation was last sent" in page
    form = staff_client.get(url(upcoming_meeting))
    assert form.context["form"]["agenda"].value() == "The agenda"  # offered again
    mail.outbox.clear()

    send(staff_client, upcoming_meeting, "The agenda")

    message = mail.outbox[0]
    assert message.subject.startswith("Updated: ")
    calendar = calendar_of(message)
    [event] = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == first_uid
    assert event["SEQUENCE"] == 1
    assert event["LOCATION"] == "Police HQ, Eastleigh"
    assert [(s.kind, s.sequence) for s in InvitationSend.objects.order_by("sent_at")] == [
        ("invitation", 0),
        ("update", 1),
    ]
    page = staff_client.get(f"/meetings/{upcoming_meeting.pk}/").content.decode()
    assert "has changed since" not in page
    assert page.count('<td data-label="What">Update</td>') == 1


def test_a_cancelled_meeting_sends_a_cancellation(staff_client, upcoming_meeting, seats):
    send(staff_client, upcoming_meeting)
    edit(upcoming_meeting, status=Meeting.Status.CANCELLED)
    page = staff_client.get(f"/meetings/{upcoming_meeting.pk}/").content.decode()
    assert "send the cancellation" in page
    mail.outbox.clear()

    send(staff_client, upcoming_meeting)

    message = mail.outbox[0]
    assert message.subject.startswith("Cancelled: ")
    assert "/reply/" not in message.body
    calendar = calendar_of(message)
    [event] = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert InvitationSend.objects.order_by("-sent_at").first().kind == "cancellation"
    page = staff_client.get(f"/meetings/{upcoming_meeting.pk}/").content.decode()
    assert "send the cancellation" not in page


def test_a_meeting_changed_while_the_page_was_open_is_not_sent(
    staff_client, upcoming_meeting, seats
):
    response = staff_client.post(url(upcoming_meeting), {"agenda": "Typed", "sequence": 0})
    assert response.status_code == 302
    edit(upcoming_meeting, location="Somewhere else")
    mail.outbox.clear()

    response = staff_client.post(url(upcoming_meeting), {"agenda": "Typed again", "sequence": 0})

    assert response.status_code == 200
    assert "The meeting was changed while you were reading this page" in response.content.decode()
    # Sending again sends the meeting as the page now shows it.
    assert '<input type="hidden" name="sequence" value="1"' in response.content.decode()
    assert "Typed again" in response.content.decode()
    assert mail.outbox == []
    assert InvitationSend.objects.count() == 1


def test_nobody_to_send_to_is_said_and_nothing_recorded(staff_client, working_group):
    meeting = MeetingFactory(group=working_group, starts_at=days_from_now(3))
    working_group.memberships.all().delete()

    response = send(staff_client, meeting)

    assert response.status_code == 200
    assert "Nobody holding a seat on this group has an email address" in (response.content.decode())
    assert mail.outbox == []
    assert not InvitationSend.objects.exists()


def test_the_meeting_page_lists_what_was_sent(staff_client, member_client, upcoming_meeting, seats):
    page = staff_client.get(f"/meetings/{upcoming_meeting.pk}/").content.decode()
    assert "The invitation has not been sent yet." in page

    send(staff_client, upcoming_meeting, "Agenda item")

    page = staff_client.get(f"/meetings/{upcoming_meeting.pk}/").content.decode()
    assert "Invitations sent" in page
    assert '<td data-label="What">Invitation</td>' in page
    assert "Agenda item" in page
    assert "The invitation has not been sent yet." not in page
    member_page = member_client.get(f"/meetings/{upcoming_meeting.pk}/").content.decode()
    assert "Invitations sent" not in member_page
    assert "Send the invitation" not in member_page
