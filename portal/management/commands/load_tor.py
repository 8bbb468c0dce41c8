"""Load a partnership's Terms of Reference from its ToR file: groups, agencies, seats,
tracker codes and the ToR's own words for its sections that are not data.

Without `--file`, the Communications Working Group's ToR (portal.tor.DEFAULT_FILE).
The file is read and checked in full first (portal.tor): a file with any error is
refused with every error and its line, and nothing is written.

Only what is missing is created. A row that exists (found by its natural key)
is never updated, so what staff have edited since survives, and a second run
changes nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError
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
def tor_load(*, terms: tor.TermsOfReference) -> Counter:
    """Create the ToR's rows that are missing; return how many of each kind were created."""
    created: Counter = Counter()

    # Parents come first in a checked file, so each parent exists when its child is made.
    groups: dict[str, Group] = {}
    for group_tor in terms.groups:
        facts = group_tor.facts
        defaults = asdict(facts)
        del defaults["name"]
        defaults["parent"] = groups[facts.parent] if facts.parent else None
        groups[facts.name], was_created = Group.objects.get_or_create(
            name=facts.name, defaults=defaults
        )
        created["groups"] += was_created

    agencies: dict[str, Agency] = {}
    for order, row in enumerate(terms.agencies, start=1):
        defaults = asdict(row)
        del defaults["name"]
        agencies[row.name], was_created = Agency.objects.get_or_create(
            name=row.name, defaults={**defaults, "order": order}
        )
        created["agencies"] += was_created

    for group_tor in terms.groups:
        _load_group(groups[group_tor.facts.name], group_tor, agencies, created)
    return created


def _load_group(
    group: Group, group_tor: tor.GroupTor, agencies: dict[str, Agency], created: Counter
) -> None:
    """A group's seats, ToC activities, Crest recommendations, measures and ToR text."""
    # A seat's order is its place among its agency's seats in the group, as in the table.
    seats_so_far: Counter = Counter()
    for seat in group_tor.seats:
        seats_so_far[seat.agency] += 1
        _, was_created = Membership.objects.get_or_create(
            group=group,
            agency=agencies[seat.agency],
            role_title=seat.role_title,
            defaults={
                "position": seat.position,
                "attendance_status": seat.attendance_status,
                "order": seats_so_far[seat.agency],
            },
        )
        created["seats"] += was_created

    for code, title in group_tor.toc_activities:
        _, was_created = ToCActivity.objects.get_or_create(
            code=code, defaults={"group": group, "title": title}
        )
        created["toc"] += was_created
    for code, text in group_tor.crest_recommendations:
        _, was_created = CrestRecommendation.objects.get_or_create(
            code=code, defaults={"group": group, "text": text}
        )
        created["crest"] += was_created
    for measure in group_tor.measures:
        defaults = asdict(measure)
        del defaults["code"]
        _, was_created = PerformanceMeasure.objects.get_or_create(
            code=measure.code, defaults={"group": group, **defaults}
        )
        created["measures"] += was_created

    if group_tor.text is not None:
        _, was_created = TorText.objects.get_or_create(group=group, defaults=group_tor.text)
        created["texts"] += was_created


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
        "Load a partnership's Terms of Reference (groups, agencies, seats, ToC activities, "
        "Crest recommendations, measures, the ToR's text) from a ToR file, by default the "
        "Communications Working Group's. Creates only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            default=str(tor.DEFAULT_FILE),
            metavar="PATH",
            help="The ToR file, YAML or JSON (docs/tor-file.md). Default: %(default)s",
        )

    def handle(self, *args, **options):
        try:
            terms = tor.read(options["file"])
        except tor.TorFileError as error:
            raise CommandError(
                f"The ToR file was not loaded; nothing was written.\n{error}"
            ) from error
        created = tor_load(terms=terms)
        message = describe(created)
        self.stdout.write(self.style.SUCCESS(message) if sum(created.values()) else message)
