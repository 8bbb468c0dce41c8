"""Sending the finalised quarterly update, and the quarter's SVRP pack, to the SVRP.

Each goes to the Strategic VRP's distribution list: every person holding a current
seat on an active SVRP board, with the update (or the pack, tracker/pack.py) as
Word and PDF attachments. Each person gets their own message, so that nobody's
address is shown to the others and one refused address stops nobody else's copy.
Every send is recorded (`ReportSend`: who, when, to which addresses) and shown
beside the update, or on the pack's page.

Both run as background jobs (tracker/jobs.py): the page queues the send and returns at
once, and the worker builds the Word and PDF and sends them, tried again if the mail
server fails. A send is recorded once every copy has gone; a retry sends to the whole
list again, so after a failure part-way somebody may get a second copy, never none.
The views check first what refuses at once (`distribution_list`, `pack_to_send`), so
that the sender is told straight away.

The downloads (report.docx/pdf, pack.docx/pdf) stay in the request: each is built in
200-300 ms (README, "Performance") and whoever follows the link expects the file back.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.mail import get_connection
from django.utils import timezone

from core.emails import NotSent, templated_email
from core.quarters import Quarter
from members.models import Group, Membership
from members.selectors import seat_holders
from tracker.exports import FORMATS, filename
from tracker.models import QuarterlyReport, ReportSend
from tracker.pack import Pack, pack_filename, pack_for, render_pack_docx, render_pack_pdf
from tracker.report_versions import render_file

ATTACHED = ("docx", "pdf")


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str


def svrp_recipients() -> list[Recipient]:
    """The SVRP's distribution list: holders of current seats on an active SVRP board,
    once each, by name."""
    seats = Membership.objects.current().filter(group__kind=Group.Kind.SVRP, group__is_active=True)
    return [Recipient(person.full_name, person.email) for person in seat_holders(seats)]


def distribution_list() -> list[Recipient]:
    """The SVRP's distribution list; NotSent if nobody on it has an email address."""
    recipients = svrp_recipients()
    if not recipients:
        raise NotSent("The SVRP has nobody with an email address on its distribution list.")
    return recipients


def _send_each(
    recipients: list[Recipient],
    template_prefix: str,
    context: dict,
    *,
    attachments: list[tuple[str, bytes, str]],
) -> None:
    """One message to each recipient, every one with the same words and attachments."""
    connection = get_connection()
    messages = [
        templated_email(
            template_prefix,
            context,
            to=recipient.email,
            connection=connection,
            attachments=attachments,
            html=False,
        )
        for recipient in recipients
    ]
    connection.send_messages(messages)


def send_update(*, report: QuarterlyReport, by) -> ReportSend:
    """Email the finalised update, as Word and PDF, to the SVRP's distribution list."""
    recipients = distribution_list()
    content = report.content
    attachments = [
        (filename(content, ext), render_file(content, ext), FORMATS[ext].content_type)
        for ext in ATTACHED
    ]
    context = {"report": content, "issue": report.issue, "reason": report.reason}
    _send_each(recipients, "reports/emails/update", context, attachments=attachments)
    return ReportSend.objects.create(
        kind=ReportSend.Kind.UPDATE,
        report=report,
        year=report.year,
        quarter=report.quarter,
        recipients=[recipient.email for recipient in recipients],
        sent_by=by,
        sent_at=timezone.now(),
    )


def pack_to_send(quarter: Quarter, signature: str | None = None) -> Pack:
    """The quarter's pack, if it may be sent as its sender read it.

    `signature` is the pack's (`Pack.signature`) as its sender read it: NotSent if an
    update was finalised or re-issued since, so that nobody sends what they have not
    read. NotSent too with nobody to send to, or no update finalised.
    """
    distribution_list()
    pack = pack_for(quarter)
    if not pack.updates:
        raise NotSent(f"No working group has finalised {quarter.label} yet: the pack is empty.")
    if signature is not None and signature != pack.signature:
        raise NotSent(
            f"The {quarter.label} pack changed while you were reading it: an update was "
            "finalised or re-issued. Check what it holds now, then send it again."
        )
    return pack


def send_pack(*, quarter: Quarter, by, signature: str | None = None) -> ReportSend:
    """Email the quarter's SVRP pack, as Word and PDF, to the SVRP's distribution list,
    if it may be sent (`pack_to_send`)."""
    pack = pack_to_send(quarter, signature)
    recipients = distribution_list()
    renderers = {"docx": render_pack_docx, "pdf": render_pack_pdf}
    _send_each(
        recipients,
        "reports/emails/pack",
        {"pack": pack},
        attachments=[
            (pack_filename(pack, ext), renderers[ext](pack), FORMATS[ext].content_type)
            for ext in ATTACHED
        ],
    )
    return ReportSend.objects.create(
        kind=ReportSend.Kind.PACK,
        report=None,
        year=quarter.year,
        quarter=quarter.number,
        recipients=[recipient.email for recipient in recipients],
        sent_by=by,
        sent_at=timezone.now(),
    )
