"""Load the Comms Working Group's Terms of Reference: groups, agencies, seats, tracker codes
and the ToR's own words for its sections that are not data.

Only what is missing is created. A row that exists (found by its natural key)
is never updated, so what staff have edited since survives, and a second run
changes nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict

from django.core.management.base import BaseCommand
from django.db import transaction

from members.models import Agency, Group, Membership
from portal import tor
from tracker.models import CrestRecommendation, PerformanceMeasure, ToCActivity, TorText

# How each kind of row is named in the summary: (singular, plural).
_NOUNS = {
    "groups": ("group", "groups"),
    "agencies": ("agency", "agencies"),
    "seats": ("seat", "seats"),
    "toc": ("ToC activity", "ToC activities"),
    "crest": ("Crest recommendation", "Crest recommendations"),
    "measures": ("performance measure", "performance measures"),
    "texts": ("ToR text", "ToR texts"),
}


@transaction.atomic
def tor_load() -> Counter:
    """Create the ToR's rows that are missing; return how many of each kind were created."""
    created: Counter = Counter()

    groups: dict[str, Group] = {}
    for facts in tor.GROUPS:
        defaults = asdict(facts)
        del defaults["name"]
        defaults["parent"] = groups[facts.parent] if facts.parent else None
        groups[facts.name], was_created = Group.objects.get_or_create(
            name=facts.name, defaults=defaults
        )
        created["groups"] += was_created

    seats_group = groups[tor.SEATS_GROUP]
    for order, row in enumerate(tor.AGENCIES, start=1):
        agency, was_created = Agency.objects.get_or_create(
            name=row.name,
            defaults={
                "short_name": row.short_name,
                "sector": row.sector,
                "duty_status": row.duty_status,
                "order": order,
            },
        )
        created["agencies"] += was_created
        for seat_order, seat in enumerate(row.seats, start=1):
            _, was_created = Membership.objects.get_or_create(
                group=seats_group,
                agency=agency,
                role_title=seat.role_title,
                defaults={
                    "position": seat.position,
                    "attendance_status": seat.attendance_status,
                    "order": seat_order,
                },
            )
            created["seats"] += was_created

    tracker_group = groups[tor.TRACKER_GROUP]
    for code, title in tor.TOC_ACTIVITIES:
        _, was_created = ToCActivity.objects.get_or_create(
            code=code, defaults={"group": tracker_group, "title": title}
        )
        created["toc"] += was_created
    for code, text in tor.CREST_RECOMMENDATIONS:
        _, was_created = CrestRecommendation.objects.get_or_create(
            code=code, defaults={"group": tracker_group, "text": text}
        )
        created["crest"] += was_created
    for measure in tor.PERFORMANCE_MEASURES:
        defaults = asdict(measure)
        del defaults["code"]
        _, was_created = PerformanceMeasure.objects.get_or_create(
            code=measure.code, defaults={"group": tracker_group, **defaults}
        )
        created["measures"] += was_created

    _, was_created = TorText.objects.get_or_create(
        group=groups[tor.TEXT_GROUP], defaults=tor.TOR_TEXT
    )
    created["texts"] += was_created
    return created


def describe(created: Counter) -> str:
    """ "Created 2 groups, 11 agencies, …" or the message that nothing was missing."""
    parts = [
        f"{created[key]} {singular if created[key] == 1 else plural}"
        for key, (singular, plural) in _NOUNS.items()
        if created[key]
    ]
    if not parts:
        return "Nothing to do: the ToR is loaded."
    return "Created " + ", ".join(parts) + "."


class Command(BaseCommand):
    help = (
        "Load the Comms Working Group's Terms of Reference (groups, agencies, seats, ToC "
        "activities, Crest recommendations, measures, the ToR's text). Creates only what is "
        "missing."
    )

    def handle(self, *args, **options):
        created = tor_load()
        message = describe(created)
        self.stdout.write(self.style.SUCCESS(message) if sum(created.values()) else message)
