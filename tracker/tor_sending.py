"""Sending a group's Terms of Reference to the people who hold its seats.

Staff send the current published version (tracker/tor_document.py, `current_version`)
as Word and PDF attachments, to one seat holder or to every current seat not yet
sent it. Each message goes to one person, so nobody sees another's address. Each
send is recorded (`TorSend`: who, when, to whom, which version) and fills the
seat's "date sent" (`Membership.tor_sent_on`) in the same transaction as the email
goes, so a failed email records nothing.

The sends run as background jobs (tracker/jobs.py): the Word and PDF are built there,
by the worker, never in the request. One failed email stops nobody else's; its seat
stays unsent (`Sent.failed`), so the job's next attempt, which sends to the seats still
unsent, reaches only those.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.documents import CONTENT_TYPES
from core.emails import NotSent, templated_email
from members.models import Group, Membership
from tracker.models import TorSend, TorVersion
from tracker.tor_document import NotPublished, current_version, filename, render_file

logger = logging.getLogger(__name__)


@dataclass
class Sent:
    """What a send did: the sends recorded, and the seats whose email failed."""

    version: TorVersion
    sends: list[TorSend] = field(default_factory=list)
    failed: list[Membership] = field(default_factory=list)


def _has_had(seat: Membership, version: TorVersion) -> bool:
    """Whether the seat has had `version`: a send of it from the portal, or a date sent
    entered by hand (a send outside the portal) on or after its publication. A date the
    portal filled in when it sent an earlier version does not count."""
    sends = list(seat.tor_sends.all())
    if any(send.tor_version_id == version.pk for send in sends):
        return True
    if seat.tor_sent_on is None or seat.tor_sent_on < version.published:
        return False
    portal_days = {timezone.localdate(send.sent_at) for send in sends}
    return seat.tor_sent_on not in portal_days


def unsent_seats(group: Group, version: TorVersion) -> list[Membership]:
    """The group's current seats that can be sent `version` and have not had it."""
    seats = (
        Membership.objects.current()
        .filter(group=group)
        .reachable()
        .select_related("agency", "person", "group")
        .prefetch_related("tor_sends")
        .order_by("agency__order", "agency__name", "order", "pk")
    )
    return [seat for seat in seats if not _has_had(seat, version)]


def _attachments(version: TorVersion) -> list[tuple[str, bytes, str]]:
    return [
        (filename(version.content, ext), render_file(version.content, ext), content_type)
        for ext, content_type in CONTENT_TYPES.items()
    ]


def _message(seat: Membership, version: TorVersion, attachments, connection):
    context = {
        "seat": seat,
        "person": seat.person,
        "group": seat.group,
        "version": version,
        "url": settings.SITE_URL + reverse("tor:group", args=[seat.group_id]),
    }
    return templated_email(
        "tracker/emails/tor",
        context,
        to=seat.person.email,
        connection=connection,
        attachments=attachments,
    )


def _send_one(seat: Membership, version: TorVersion, attachments, connection, by) -> TorSend:
    """Record the send, fill the seat's date sent and send, in one transaction."""
    with transaction.atomic():
        send = TorSend.objects.create(
            tor_version=version,
            seat=seat,
            person=seat.person,
            email=seat.person.email,
            sent_by=by,
            sent_at=timezone.now(),
        )
        seat.tor_sent_on = timezone.localdate()
        seat.save(update_fields=["tor_sent_on"])
        _message(seat, version, attachments, connection).send()
    return send


def version_to_send(group: Group, *, by) -> TorVersion:
    """The group's current published version (`current_version`); NotSent if none."""
    try:
        return current_version(group, by=by)
    except NotPublished as refused:
        raise NotSent(str(refused)) from refused


def check_reachable(seat: Membership) -> None:
    """NotSent unless the seat is current and its holder has an email address."""
    if not Membership.objects.current().filter(pk=seat.pk).reachable().exists():
        raise NotSent(
            f"{seat.role_title} ({seat.agency.display_name}) has nobody with an email "
            "address to send the ToR to."
        )


def check_unsent(group: Group, version: TorVersion) -> list[Membership]:
    """The seats `version` is still to go to; NotSent if there are none."""
    seats = unsent_seats(group, version)
    if not seats:
        raise NotSent(
            f"Every seat of the {group.name} with somebody to send to has had {version.version}."
        )
    return seats


def tor_send_to_seat(*, seat: Membership, by, version: TorVersion | None = None) -> Sent:
    """Send `version` (by default the group's current ToR) to the holder of `seat`, even
    if they had it before."""
    check_reachable(seat)
    version = version or version_to_send(seat.group, by=by)
    return _send_each([seat], version, by)


def tor_send_to_unsent(*, group: Group, by, version: TorVersion | None = None) -> Sent:
    """Send `version` (by default the group's current ToR) to every current seat that
    has not had it."""
    version = version or version_to_send(group, by=by)
    return _send_each(check_unsent(group, version), version, by)


def _send_each(seats: list[Membership], version: TorVersion, by) -> Sent:
    """Send `version` to each seat's holder. One failed email stops nobody else's: its
    seat is listed in `failed`, with nothing recorded, for staff to try again."""
    sent = Sent(version)
    attachments = _attachments(version)
    connection = get_connection()
    for seat in seats:
        try:
            sent.sends.append(_send_one(seat, version, attachments, connection, by))
        except OSError as error:
            # The error's type only: a refusal's words hold the address it refused.
            logger.warning("ToR email to seat %s failed (%s)", seat.pk, type(error).__name__)
            sent.failed.append(seat)
    return sent
