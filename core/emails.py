"""Building the portal's emails: one way for every message it sends.

Each email is a set of templates named from one prefix: `<prefix>_subject.txt`,
`<prefix>.txt` and, for those with one, `<prefix>.html`. Every message is cleaned
(`core.text.clean_email`) so that no invisible character typed into a field reaches
a mail client. Every template can name the portal and the partnership as pages do,
`{{ partnership.portal_name }}` and `{{ partnership.name }}`: the names come from
settings (`core.branding.names`), since no context processor runs outside a request.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from core.branding import names
from core.text import clean_email

Attachment = tuple[str, bytes, str]


class NotSent(ValueError):
    """Nothing was sent, for the reason it gives in words a page can show."""


def templated_email(
    template_prefix: str,
    context: dict,
    *,
    to: str,
    connection=None,
    attachments: Iterable[Attachment] = (),
    html: bool = True,
) -> EmailMultiAlternatives:
    """One email to `to`, its subject on one line, its text body, its HTML alternative
    unless `html` is False, and each (filename, content, content type) attached."""
    context = {"partnership": names(), **context}
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template_prefix}.txt", context),
        to=[to],
        connection=connection,
    )
    if html:
        message.attach_alternative(
            render_to_string(f"{template_prefix}.html", context), "text/html"
        )
    for attachment in attachments:
        message.attach(*attachment)
    return clean_email(message)
