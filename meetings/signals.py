"""Questions meetings asks of the floors above it, as signals: they answer by connecting a
receiver, so meetings never imports them (tests/guards/test_layers.py)."""

from __future__ import annotations

from django.dispatch import Signal

from meetings.models import Meeting

# Sent with `meeting=`. Each receiver returns a list of notices (sentences) about the
# quarter the meeting falls in, empty when it has none: the tracker says when the
# quarter's update was finalised, so a key update recorded now misses it.
quarter_notices = Signal()


def notices_about_quarter(meeting: Meeting) -> list[str]:
    """What the floors above have to say about `meeting`'s quarter, in the order they answer."""
    responses = quarter_notices.send(sender=Meeting, meeting=meeting)
    return [notice for _, notices in responses for notice in notices or ()]
