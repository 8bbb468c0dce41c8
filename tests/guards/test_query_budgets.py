"""Every key page runs a fixed number of queries, whatever the size of the data.

The demo data is seeded at scale 1 and again at scale 10 (ten working groups, each with a
Task and Finish group), and each page is asked for, as the role that uses it, on both.
BUDGETS holds the one count each page must run at both scales: to re-pin a page after a
deliberate change, run this module and copy the count it reports into the table.

A page whose count grows with the data is a defect (a query repeated for each row):
KNOWN_DEFECTS marks its 10x case as an expected failure until the view is mended, and the
strict xfail then fails to remind whoever mended it to take the entry out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import Action
from core.quarters import Quarter
from core.second_factor import HAS_SECOND_FACTOR
from meetings.models import Meeting
from members.models import Group
from portal import tor
from tests.clock import frozen_clock
from tracker.models import PerformanceMeasure

STAFF = "staff@example.org"
CHAIR = "chair@example.org"
MEMBER = "member@example.org"

# page: queries it runs at 1x and at 10x demo data alike (one request, caches warm). The
# staff dashboard, the meeting and the SVRP pack each read their background sends (core.jobs)
# in one query more.
BUDGETS = {
    "dashboard as member": 11,
    "dashboard as staff": 14,
    "my actions": 8,
    "action log": 13,
    "action log, one group, every status": 15,
    "action": 8,
    "meetings": 9,
    "meeting": 26,
    "meeting register": 11,
    "tracker": 14,
    "measure": 12,
    "quarterly update": 21,
    "quarterly update, Word": 20,
    "quarterly update, PDF": 20,
    "quarterly update, Excel": 20,
    "SVRP pack": 9,
}

# page: why its count grows with the data (its 10x case is expected to fail until mended).
KNOWN_DEFECTS: dict[str, str] = {}

SCALES = (1, 10)


@dataclasses.dataclass(frozen=True)
class Demo:
    """The objects each page shows, picked by rules that find the same one at any scale."""

    scale: int
    comms: Group
    meeting: Meeting
    action: Action
    measure: PerformanceMeasure
    quarter: Quarter


def _pick(scale: int, comms: Group) -> Demo:
    # The Comms Working Group's latest meeting held, its first action logged and its first
    # measure, and the latest quarter over: the same rows whatever else was seeded.
    meeting = (
        Meeting.objects.held()
        .filter(group=comms, starts_at__lt=timezone.now())
        .order_by("-starts_at")
        .first()
    )
    return Demo(
        scale=scale,
        comms=comms,
        meeting=meeting,
        action=Action.objects.filter(group=comms).order_by("created_at", "pk").first(),
        measure=PerformanceMeasure.objects.filter(group=comms).order_by("code").first(),
        quarter=Quarter.current().previous(),
    )


def _report(extension: str = "") -> Callable[[Demo], str]:
    def url(demo: Demo) -> str:
        path = f"report.{extension}" if extension else ""
        return f"/reports/quarterly/{demo.quarter.slug}/{path}?group={demo.comms.pk}"

    return url


# page: (who asks for it, its address).
PAGES: dict[str, tuple[str, Callable[[Demo], str]]] = {
    "dashboard as member": (MEMBER, lambda demo: "/"),
    "dashboard as staff": (STAFF, lambda demo: "/"),
    "my actions": (MEMBER, lambda demo: "/actions/mine/"),
    "action log": (STAFF, lambda demo: "/actions/"),
    "action log, one group, every status": (
        STAFF,
        lambda demo: f"/actions/?group={demo.comms.pk}&status=all",
    ),
    "action": (STAFF, lambda demo: f"/actions/{demo.action.pk}/"),
    "meetings": (STAFF, lambda demo: "/meetings/"),
    "meeting": (STAFF, lambda demo: f"/meetings/{demo.meeting.pk}/"),
    "meeting register": (STAFF, lambda demo: f"/meetings/{demo.meeting.pk}/attendance/"),
    "tracker": (STAFF, lambda demo: "/tracker/"),
    "measure": (STAFF, lambda demo: f"/tracker/measures/{demo.measure.pk}/"),
    "quarterly update": (CHAIR, _report()),
    "quarterly update, Word": (CHAIR, _report("docx")),
    "quarterly update, PDF": (CHAIR, _report("pdf")),
    "quarterly update, Excel": (CHAIR, _report("xlsx")),
    # The demo finalises no update, so the pack lists every working group as still to come.
    "SVRP pack": (CHAIR, lambda demo: f"/reports/svrp-pack/{demo.quarter.slug}/"),
}


@pytest.fixture(scope="module", params=SCALES, ids=lambda scale: f"{scale}x")
def demo(request, django_db_setup, django_db_blocker) -> Demo:
    """The demo data at the scale asked for, seeded once and rolled back after."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Seeded on the suite's frozen clock, which each test's own clock starts at.
    with (
        frozen_clock(),
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        call_command("seed_demo", scale=request.param, force=True, stdout=StringIO())
        yield _pick(request.param, Group.objects.get(name=tor.COMMS_WORKING_GROUP.name))
        transaction.set_rollback(True)


def _signed_in(email: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    # Staff and the chair would otherwise be sent to set up an authenticator first.
    session = client.session
    session[HAS_SECOND_FACTOR] = True
    session.save()
    return client


def test_every_page_has_a_budget_and_every_budget_a_page():
    assert BUDGETS.keys() == PAGES.keys()
    assert KNOWN_DEFECTS.keys() <= PAGES.keys()


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_the_page_runs_its_budget_of_queries(demo, page, request):
    if demo.scale != SCALES[0] and page in KNOWN_DEFECTS:
        request.applymarker(pytest.mark.xfail(strict=True, reason=KNOWN_DEFECTS[page]))
    email, address = PAGES[page]
    url = address(demo)
    client = _signed_in(email)
    # Once first, so that template loading and per-process caches (content types) are
    # not counted against whichever page happens to run first.
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200, url
    sql = "\n\n".join(f"{n}. {q['sql']}" for n, q in enumerate(queries.captured_queries, 1))
    assert len(queries) == BUDGETS[page], (
        f"{url} as {email} ran {len(queries)} queries, not {BUDGETS[page]}:\n\n{sql}"
    )
