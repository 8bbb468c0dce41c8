"""Read queries that more than one page asks: whether a group's ToR is due for revision,
stated the same way on the dashboard, the tracker and the quarterly update."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.dateformat import format as date_format

from members.models import Group


def tor_review(group: Group, as_at: dt.date) -> dict[str, Any]:
    """The ToR's dates, and whether it is due for revision, with every reason why: an
    achieved Crest recommendation, or a review date that has passed."""
    reasons = []
    if group.tor_revision_due:
        reasons.append("A Crest recommendation has been achieved.")
    review_passed = bool(group.review_date and group.review_date < as_at)
    if review_passed:
        reasons.append(f"The review date, {date_format(group.review_date, 'j F Y')}, has passed.")
    return {
        "version": group.tor_version,
        "published": group.tor_published.isoformat() if group.tor_published else None,
        "review_date": group.review_date.isoformat() if group.review_date else None,
        "review_passed": review_passed,
        "revision_due": bool(reasons),
        "revision_reasons": reasons,
    }


def groups_due_revision(today: dt.date) -> list[tuple[Group, dict[str, Any]]]:
    """Active groups whose ToR is due for revision, each with `tor_review`'s reasons."""
    groups = Group.objects.active().filter(Q(tor_revision_due=True) | Q(review_date__lt=today))
    return [(group, tor_review(group, today)) for group in groups.order_by("name")]
