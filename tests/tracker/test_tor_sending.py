"""VRU staff send the group's current ToR, as Word and PDF, to one seat holder or to every
seat not yet sent it; each send fills the seat's date sent and is recorded."""

import datetime as dt
import io
import smtplib

import pytest
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from docx import Document

from members.models import Membership
from tests.factories import MembershipFactory, PersonFactory, london
from tracker.models import TorSend, TorText, TorVersion

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 5, 14)
ATTACHMENTS = [
    (
        "terms-of-reference-comms-working-group-v2.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("terms-of-reference-comms-working-group-v2.pdf", "application/pdf"),
]


@pytest.fixture(autouse=True)
def may_2024(clock):
    clock.move_to(london(2024, 5, 14, 9))


@pytest.fixture
def group(working_group):
    working_group.tor_version = "V2"
    working_group.tor_published = dt.date(2023, 11, 1)
    working_group.short_name = "Comms Working Group"
    working_group.save()
    TorText.objects.create(group=working_group, introduction="The introduction as sent.")
    return working_group


@pytest.fixture
def seats(group, staff_user):
    """Seats in every state a send meets: filled and unsent, sent already, vacant, held
    by somebody who has left."""
    return {
        "unsent": MembershipFactory(
            group=group,
            role_title="Regional Communications Lead",
            person=PersonFactory(full_name="Zoë Ŵyn", email="zoe@example.org"),
        ),
        "sent": MembershipFactory(
            group=group,
            role_title="Representation from Hampshire",
            person=PersonFactory(email="sent@example.org"),
            tor_sent_on=dt.date(2024, 1, 10),
        ),
        "vacant": MembershipFactory(group=group, role_title="OPCC representative", person=None),
        "left": MembershipFactory(
            group=group,
            role_title="Representation from Solent Health",
            person=PersonFactory(email="left@example.org", is_active=False),
        ),
    }


def send_one(client, seat, **data):
    return client.post(reverse("tor:send_seat", args=[seat.pk]), data)


def send_unsent(client, group, **data):
    return client.post(reverse("tor:send_unsent", args=[group.pk]), data)


def test_staff_send_it_to_one_seat_holder(group, seats, staff_client, staff_user, mailoutbox):
    seat = seats["unsent"]

    response = send_one(staff_client, seat)

    assert response.status_code == 302
    assert response["Location"] == reverse("tor:group", args=[group.pk])
    [message] = mailoutbox
    assert message.to == ["zoe@example.org"]
    assert message.subject == "Communications Working Group Terms of Reference, V2"
    assert "Dear Zoë Ŵyn," in message.body
    assert settings.SITE_URL + reverse("tor:group", args=[group.pk]) in message.body
    assert [(name, kind) for name, _data, kind in message.attachments] == ATTACHMENTS
    word = Document(io.BytesIO(message.attachments[0][1]))
    assert "The introduction as sent." in [p.text for p in word.paragraphs]
    assert message.attachments[1][1].startswith(b"%PDF")
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert "Dear Zoë Ŵyn," in html
    seat.refresh_from_db()
    assert seat.tor_sent_on == TODAY
    send = TorSend.objects.get()
    assert (send.seat, send.person, send.email) == (seat, seat.person, "zoe@example.org")
    assert send.sent_by == staff_user
    assert send.tor_version.version == "V2"
    assert send.tor_version.published == dt.date(2023, 11, 1)


def test_staff_send_it_to_every_seat_not_yet_sent(
    group, seats, staff_user, staff_client, mailoutbox
):
    response = send_unsent(staff_client, group)

    assert response.status_code == 302
    recipients = sorted(message.to[0] for message in mailoutbox)
    # The persona's own seat has not had it either; the sent, vacant and left seats are skipped.
    assert recipients == ["staff@example.org", "zoe@example.org"]
    for message in mailoutbox:
        assert [(name, kind) for name, _data, kind in message.attachments] == ATTACHMENTS
    assert Membership.objects.get(pk=seats["unsent"].pk).tor_sent_on == TODAY
    assert Membership.objects.get(pk=seats["sent"].pk).tor_sent_on == dt.date(2024, 1, 10)
    assert Membership.objects.get(pk=seats["vacant"].pk).tor_sent_on is None
    assert Membership.objects.get(pk=seats["left"].pk).tor_sent_on is None
    assert sorted(TorSend.objects.values_list("email", flat=True)) == recipients
    assert TorVersion.objects.count() == 1  # both sends name the same version


def test_sending_again_skips_everybody_who_had_it(group, seats, staff_client, mailoutbox):
    send_unsent(staff_client, group)
    mailoutbox.clear()

    response = send_unsent(staff_client, group, next=reverse("members:distribution_list"))

    assert mailoutbox == []
    assert TorSend.objects.count() == 2
    assert response["Location"] == reverse("members:distribution_list")
    page = staff_client.get(response["Location"]).content.decode()
    assert "has had V2" in page


def test_a_new_version_goes_to_every_seat_again(group, seats, staff_client, mailoutbox):
    send_unsent(staff_client, group)
    staff_client.post(
        reverse("tor:publish", args=[group.pk]),
        {"version": "V3", "published": "2024-05-14"},
    )
    mailoutbox.clear()

    send_unsent(staff_client, group)

    # V2 went out on the day V3 was published: the dates alone cannot tell, the sends can.
    # The seat sent V2 by hand in January has not had V3 either.
    assert sorted(m.to[0] for m in mailoutbox) == [
        "sent@example.org",
        "staff@example.org",
        "zoe@example.org",
    ]
    assert mailoutbox[0].subject.endswith("V3")


def test_it_sends_the_version_as_published_not_later_edits(group, seats, staff_client, mailoutbox):
    staff_client.post(
        reverse("tor:publish", args=[group.pk]),
        {"version": "V3", "published": "2024-05-14"},
    )
    text = group.tor_text
    text.refresh_from_db()
    text.introduction = "An unpublished change."
    text.save()

    send_one(staff_client, seats["unsent"])

    word = Document(io.BytesIO(mailoutbox[0].attachments[0][1]))
    paragraphs = [p.text for p in word.paragraphs]
    assert "The introduction as sent." in paragraphs
    assert "An unpublished change." not in paragraphs
    assert TorSend.objects.get().tor_version.version == "V3"


def test_a_seat_with_nobody_to_send_to_is_refused(group, seats, staff_client, mailoutbox):
    for name in ("vacant", "left"):
        response = send_one(staff_client, seats[name])
        assert response.status_code == 302

    assert mailoutbox == []
    assert not TorSend.objects.exists()
    page = staff_client.get(reverse("tor:group", args=[group.pk])).content.decode()
    assert "has nobody with an email address" in page


def test_a_group_with_no_published_version_sends_nothing(group, seats, staff_client, mailoutbox):
    group.tor_version = ""
    group.save()

    send_unsent(staff_client, group)

    assert mailoutbox == []
    assert not TorVersion.objects.exists()
    page = staff_client.get(reverse("tor:group", args=[group.pk])).content.decode()
    assert "has no published version yet" in page


def test_get_never_sends(group, seats, staff_client, mailoutbox):
    assert staff_client.get(reverse("tor:send_unsent", args=[group.pk])).status_code == 405
    seat_url = reverse("tor:send_seat", args=[seats["unsent"].pk])
    assert staff_client.get(seat_url).status_code == 405

    assert mailoutbox == []
    assert not TorSend.objects.exists()
    assert Membership.objects.get(pk=seats["unsent"].pk).tor_sent_on is None


def test_members_cannot_send(group, seats, member_client, chair_client, mailoutbox):
    for client in (member_client, chair_client):
        assert send_one(client, seats["unsent"]).status_code == 403
        assert send_unsent(client, group).status_code == 403

    assert mailoutbox == []
    assert not TorSend.objects.exists()


def test_a_send_goes_back_only_to_the_portals_own_pages(group, seats, staff_client):
    response = send_one(staff_client, seats["unsent"], next="https://evil.example.org/")

    assert response["Location"] == reverse("tor:group", args=[group.pk])


def test_the_distribution_list_has_the_send_buttons_for_staff(group, seats, staff_client):
    page = staff_client.get(f"{reverse('members:distribution_list')}?group={group.pk}")

    content = page.content.decode()
    assert reverse("tor:send_unsent", args=[group.pk]) in content
    assert reverse("tor:send_seat", args=[seats["unsent"].pk]) in content
    # Nobody to send to: no button.
    assert reverse("tor:send_seat", args=[seats["vacant"].pk]) not in content
    assert reverse("tor:send_seat", args=[seats["left"].pk]) not in content


def test_the_distribution_list_has_no_send_buttons_for_members(group, seats, member_client):
    page = member_client.get(f"{reverse('members:distribution_list')}?group={group.pk}")

    content = page.content.decode()
    assert reverse("tor:send_unsent", args=[group.pk]) not in content
    assert reverse("tor:send_seat", args=[seats["unsent"].pk]) not in content
    assert reverse("tor:group", args=[group.pk]) in content


def test_sending_from_the_distribution_list_fills_its_date_sent(
    group, seats, staff_client, mailoutbox
):
    back = f"{reverse('members:distribution_list')}?group={group.pk}"

    response = send_one(staff_client, seats["unsent"], next=back)

    assert response["Location"] == back
    page = staff_client.get(back).content.decode()
    assert 'value="2024-05-14"' in page
    # The outcome is kept on the send's job: it names the seat by its role, not its holder.
    seat = seats["unsent"]
    assert (
        f"V2 of the ToR was sent to 1 person: Regional Communications Lead "
        f"({seat.agency.display_name})." in page
    )


def test_a_failed_email_records_nothing_for_its_seat(
    group, seats, staff_client, mailoutbox, monkeypatch
):
    real_send = EmailMultiAlternatives.send

    def refuse_zoe(message, *args, **kwargs):
        if message.to == ["zoe@example.org"]:
            raise smtplib.SMTPRecipientsRefused({"zoe@example.org": (550, b"No such user")})
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse_zoe)

    response = send_unsent(staff_client, group)

    assert [message.to for message in mailoutbox] == [["staff@example.org"]]
    assert Membership.objects.get(pk=seats["unsent"].pk).tor_sent_on is None
    assert list(TorSend.objects.values_list("email", flat=True)) == ["staff@example.org"]
    # The send is a job: with no queue to wait on (the suite's), its failure is final at
    # once and said so; tests/tracker/test_tor_send_jobs.py tries it again on the queue.
    page = staff_client.get(response["Location"]).content.decode()
    assert (
        "Failed at the first attempt: V2 of the ToR was sent to 1 of 2 seats; the email to "
        f"Regional Communications Lead ({seats['unsent'].agency.display_name}) failed." in page
    )
    row = page.split(f'id="send-seat-{seats["unsent"].pk}"')[1].split("</tr>")[0]
    assert "Not sent" in row
