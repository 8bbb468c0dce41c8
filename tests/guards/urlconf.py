"""Every URL of the portal's URLconf, with arguments that point at real rows.

Each model gets one row with the same primary key, OBJECT_ID, so every URL that
takes an integer finds something to show whatever model it names. A URL that needs
another row (a Task and Finish group), a state (a finalised quarter) or a query (a
calendar token) says so in URL_ARGUMENTS or QUERIES, and build_one_of_everything
makes that row and state: no URL may answer 404 to a role that may see its objects.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from actions.models import Action, ActionUpdate
from core.models import Job
from core.quarters import Quarter
from meetings.models import Attendance, KeyUpdate, Meeting
from members.models import Agency, Group, Membership, Person
from tests.factories import give_second_factor, london
from tracker.models import (
    CrestRecommendation,
    MeasureValue,
    PerformanceMeasure,
    ToCActivity,
    TorVersion,
)
from tracker.report import report_finalise
from tracker.tor_document import tor_content

OBJECT_ID = 900_001
# A Task and Finish group: its edit page has its own form (working groups have theirs).
TASK_GROUP_ID = 900_002
CALENDAR_TOKEN = "guard-calendar-token"
# The quarter the guard finalises, so that there is a snapshot to compare.
FINALISED = Quarter(2024, 4)
FINALISED_FY, FINALISED_Q = FINALISED.slug.split("/")
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


# Arguments that are not OBJECT_ID or STRING_ARGUMENTS, by URL name.
URL_ARGUMENTS = {
    "meetings:group_edit": {"pk": TASK_GROUP_ID},
    "reports:compare": {"fy": FINALISED_FY, "q": FINALISED_Q},
    "reports:reissue": {"fy": FINALISED_FY, "q": FINALISED_Q},
    # The SVRP pack of the finalised quarter: an empty pack has no download (404).
    "reports:pack": {"fy": FINALISED_FY, "q": FINALISED_Q},
    "reports:pack_docx": {"fy": FINALISED_FY, "q": FINALISED_Q},
    "reports:pack_pdf": {"fy": FINALISED_FY, "q": FINALISED_Q},
    "reports:pack_send": {"fy": FINALISED_FY, "q": FINALISED_Q},
    "reports:send": {"fy": FINALISED_FY, "q": FINALISED_Q},
}
SECURITY_KEY_URLS = {"mfa_edit_webauthn", "mfa_remove_webauthn"}
# The quarterly update's pages show the guard's working group.
REPORT_QUERY = {"group": OBJECT_ID}
QUERIES = {
    "meetings:calendar_feed": {"token": CALENDAR_TOKEN},
    "reports:quarters": REPORT_QUERY,
    "reports:quarterly": REPORT_QUERY,
    "reports:compare": REPORT_QUERY,
    "reports:finalise": REPORT_QUERY,
    "reports:draft": REPORT_QUERY,
    "reports:reissue": REPORT_QUERY,
    "reports:send": REPORT_QUERY,
    "tracker:index": REPORT_QUERY,
    "members:distribution_list": REPORT_QUERY,
}


def url_for(name: str, parameters: dict[str, str]) -> str:
    """The URL `name` with arguments and query pointing at what build_one_of_everything made."""
    kwargs = {**arguments_for(parameters), **URL_ARGUMENTS.get(name, {})}
    url = reverse(name, kwargs=kwargs)
    if name.startswith("reports:report_"):
        return f"{url}?{urlencode(REPORT_QUERY)}"
    query = QUERIES.get(name)
    return f"{url}?{urlencode(query)}" if query else url


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
    """One row of each model at OBJECT_ID, around `person` (who holds a seat and owns
    the action), and the state every URL needs to answer `person`'s account."""
    when = london(2024, 5, 14, 10)
    agency = Agency.objects.create(pk=OBJECT_ID, name="Guard Agency", sector="police")
    # A published ToR (the TorVersion below), so that its page offers to send it.
    group = Group.objects.create(
        pk=OBJECT_ID,
        name="Guard Working Group",
        kind="working",
        tor_version="V1",
        tor_published=dt.date(2024, 5, 1),
    )
    Group.objects.create(
        pk=TASK_GROUP_ID, name="Guard Task and Finish Group", kind="task_finish", parent=group
    )
    Person.objects.create(
        pk=OBJECT_ID, full_name="Guard Person", email="guard.person@example.org", agency=agency
    )
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
    TorVersion.objects.create(
        pk=OBJECT_ID,
        group=group,
        version="V1",
        published=dt.date(2024, 5, 1),
        content=tor_content(group, version="V1", published=dt.date(2024, 5, 1)),
    )
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
    Job.objects.create(
        pk=OBJECT_ID,
        function="portal.schedule.send_reminders",
        description="Guard job",
        state=Job.State.FAILED,
        requested_by=person.user,
    )
    report_finalise(group=group, quarter=FINALISED, by=person.user)
    # An authenticator app and recovery codes, for the pages that show them.
    if not Authenticator.objects.filter(user=person.user, type=Authenticator.Type.TOTP).exists():
        give_second_factor(person.user)
    RecoveryCodes.activate(person.user)


@contextmanager
def state_for(name: str, user) -> Iterator[None]:
    """The state that only some URLs may have while they answer.

    A security key stored without a real credential (OBJECT_ID) is enough for the
    pages that rename and remove it, but breaks those that read every key's credential
    (adding a key, signing in with one), so it lives only while its own pages answer.
    """
    if name not in SECURITY_KEY_URLS:
        yield
        return
    Authenticator.objects.create(
        pk=OBJECT_ID,
        user=user,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "Guard key", "credential": {}, "passwordless": False},
    )
    try:
        yield
    finally:
        Authenticator.objects.filter(pk=OBJECT_ID).delete()


def configure_microsoft(settings) -> None:
    """Sign in with Microsoft configured, so that its pages exist; nothing here calls it."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "APPS": [
                {
                    "provider_id": "microsoft",
                    "name": "Microsoft",
                    "client_id": "vrp-portal-guard",
                    "secret": "not-a-real-secret",
                    "settings": {"server_url": "http://127.0.0.1:9/guard"},
                }
            ],
        }
    }
