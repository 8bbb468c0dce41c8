"""Text every document format can hold: no invisible control characters.

Word, PowerPoint and some web forms paste control characters (a vertical tab
for a line break, U+0001 for a field) that nobody sees. XML 1.0 cannot hold
them, so python-docx refuses the text and a Word download fails; iCalendar,
CSV readers and mail headers choke on them too. Forms refuse them
(`validate_no_control_characters`), and every writer removes them
(`clean_text`), so that text stored before the forms refused them, frozen into
a finalised snapshot for instance, still renders.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from django.core.exceptions import ValidationError

# C0 controls except tab, newline and carriage return; DEL; UTF-16 surrogates, which
# are not characters on their own; and U+FFFE and U+FFFF, which are not characters.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

Value = TypeVar("Value")
Message = TypeVar("Message")


def clean_text(value: Value) -> Value:
    """`value` without control characters (anything that is not a string is left alone)."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value)
    return value


def clean_tree(value: Any) -> Any:
    """Every string in a structure of dicts, lists and tuples cleaned (a report's dict)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_tree(key): clean_tree(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(clean_tree(item) for item in value)
    return value


def first_control_character(value: str) -> str | None:
    match = CONTROL_CHARACTERS.search(value)
    return match.group() if match else None


def validate_no_control_characters(value: Any) -> None:
    """A form field's validator: refuse text holding an invisible control character."""
    if not isinstance(value, str):
        return
    character = first_control_character(value)
    if character is not None:
        raise ValidationError(
            "This text contains an invisible control character (U+%(code)04X), often "
            "pasted from Word or email: delete it and type the text again.",
            code="control_character",
            params={"code": ord(character)},
        )


def clean_email(message: Message) -> Message:
    """An email (Django's EmailMessage or EmailMultiAlternatives) with its subject, body
    and text alternatives cleaned, just before it is sent."""
    message.subject = clean_text(message.subject)
    message.body = clean_text(message.body)
    alternatives = getattr(message, "alternatives", None)
    if alternatives:
        message.alternatives = [
            alternative._replace(content=clean_text(alternative.content))
            for alternative in alternatives
        ]
    return message
