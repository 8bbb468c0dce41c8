"""Every URL of the portal's URLconf, with arguments that point at real rows.

Each model gets one row with the same primary key, OBJECT_ID, so every URL that
takes an integer finds something to show whatever model it names.
"""

import datetime as dt

from django.urls import URLPattern, URLResolver, get_resolver

from actions.models import Action, ActionUpdate
from meetings.models import Attendance, KeyUpdate, Meeting
from members.models import Agency, Group, Membership, Person
from tests.factories import london
from tracker.models import CrestRecommendation, MeasureValue, PerformanceMeasure, ToCActivity

OBJECT_ID = 900_001
CALENDAR_TOKEN = "guard-calendar-token"
STRING_ARGUMENTS = {
    "fy": "2024-25",
    "q": "q1",
    "uidb36": "1",
    "key": "set-password",
    "provider_id": "microsoft",
}


def _parameters(pattern) -> dict[str, str]:
    """The route's parameters by name: the converter's name, or "str" for a regex group."""
    found = {name: "str" for name in pattern.pattern.regex.groupindex}
    found.update(
        (name, type(converter).__name__) for name, converter in pattern.pattern.converters.items()
    )
    return found


def portal_patterns(resolver=None, prefix="", inherited=None):
    """(name, parameters) of every pattern outside the admin, nested includes flattened.

    `parameters` maps each parameter of the full route (its includes' too) to its kind.
    """
    resolver = resolver or get_resolver()
    inherited = inherited or {}
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            namespace = entry.namespace
            nested = f"{prefix}{namespace}:" if namespace else prefix
            yield from portal_patterns(entry, nested, {**inherited, **_parameters(entry)})
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", {**inherited, **_parameters(entry)}


def arguments_for(parameters: dict[str, str]) -> dict:
    kwargs = {}
    for name, kind in parameters.items():
        if kind == "IntConverter":
            kwargs[name] = OBJECT_ID
        elif name in STRING_ARGUMENTS:
            kwargs[name] = STRING_ARGUMENTS[name]
        else:
            raise AssertionError(f"The guard tests do not know what to pass as <{name}>.")
    return kwargs


def build_one_of_everything(person: Person) -> None:
    """One row of each model at OBJECT_ID, around `person` (who holds a seat)."""
    when = london(2024, 5, 14, 10)
    agency = Agency.objects.create(pk=OBJECT_ID, name="Guard Agency", sector="police")
    group = Group.objects.create(pk=OBJECT_ID, name="Guard Working Group", kind="working")
    seat = Membership.objects.create(
        pk=OBJECT_ID, group=group, agency=agency, role_title="Guard seat", person=person
    )
    meeting = Meeting.objects.create(
        pk=OBJECT_ID, group=group, starts_at=when, ends_at=when + dt.timedelta(hours=1)
    )
    Attendance.objects.create(pk=OBJECT_ID, meeting=meeting, membership=seat, status="present")
    KeyUpdate.objects.create(pk=OBJECT_ID, meeting=meeting, text="A key update")
    activity = ToCActivity.objects.create(pk=OBJECT_ID, group=group, code="G.1", title="Guard")
    CrestRecommendation.objects.create(pk=OBJECT_ID, group=group, code="G.2", text="Guard")
    measure = PerformanceMeasure.objects.create(
        pk=OBJECT_ID,
        group=group,
        code="G.3",
        title="Guard measure",
        outcome="Outcome",
        success_measure="Success",
        data_source="VRU",
    )
    MeasureValue.objects.create(pk=OBJECT_ID, measure=measure, year=2024, quarter=1, value=10)
    action = Action.objects.create(
        pk=OBJECT_ID,
        group=group,
        meeting=meeting,
        title="Guard action",
        owner=person,
        agency=person.agency,
        due_date=dt.date(2024, 8, 1),
        toc_activity=activity,
    )
    ActionUpdate.objects.create(pk=OBJECT_ID, action=action, text="Progress")
    Person.objects.filter(pk=person.pk).update(calendar_token=CALENDAR_TOKEN)
