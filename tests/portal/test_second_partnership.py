"""A second partnership runs on its own deployment: its own database, its own settings and
its own ToR file, and not one word of the first partnership's shows on its pages.

The made-up Northshire and Eastport partnership's ToR file (data/northshire-eastport-tor.yaml)
is loaded into the test database, which starts empty: nothing in the suite loads the
Communications Working Group's ToR unless a test asks.
"""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core.permissions import MEMBER, VRU_STAFF
from core.quarters import Quarter
from members.models import Agency, Group, Membership
from tests.factories import MeetingFactory, PersonFactory, UserFactory
from tests.fresh_python import run_python
from tracker.models import CrestRecommendation, PerformanceMeasure, ToCActivity, TorText

pytestmark = pytest.mark.django_db

TOR_FILE = Path(__file__).parent / "data" / "northshire-eastport-tor.yaml"
NAME = "Northshire and Eastport Violence Reduction Partnership"
BOARD = "Northshire and Eastport Partnership Board"
WORKING_GROUP = "Youth Engagement Working Group"
TASK_GROUP = "Eastport Summer Outreach Task and Finish Group"

# Words of the first partnership (its place names, its groups, the portal's default name)
# that must not reach a page of the second.
FIRST_PARTNERSHIP = (
    "Hampshire",
    "HIPS",
    "Isle of Wight",
    "Southampton",
    "Portsmouth",
    "Communications Working Group",
    "Comms Working Group",
    "VRP portal",
)


@pytest.fixture
def northshire(settings):
    """The second partnership's deployment: its settings, its ToR file in an empty database."""
    assert not Group.objects.exists()
    assert not Agency.objects.exists()
    settings.PARTNERSHIP_NAME = NAME
    settings.PARTNERSHIP_SHORT_NAME = "NE VRP"
    settings.PORTAL_NAME = "Northshire Partnership Portal"
    settings.PARTNERSHIP_LOGO = "img/logo.svg"
    settings.PARTNERSHIP_COLOURS = {"primary": "#005a70", "accent": "#ffdd00"}
    call_command("load_tor", file=str(TOR_FILE), stdout=StringIO())
    return Group.objects.get(name=WORKING_GROUP)


def _holder(role: str, role_title: str) -> Client:
    """A client signed in as the person now holding the seat `role_title`."""
    seat = Membership.objects.get(group__name=WORKING_GROUP, role_title=role_title)
    user = UserFactory(roles=[role])
    seat.person = PersonFactory(agency=seat.agency, user=user, email=user.email)
    seat.save()
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff(northshire):
    return _holder(VRU_STAFF, "Head of Prevention")


@pytest.fixture
def member(northshire):
    return _holder(MEMBER, "Youth Engagement Inspector")


def _pages(group: Group, *, staff: bool) -> dict[str, str]:
    """The key pages; the groups list and a group's page are VRU staff's alone."""
    fy, q = Quarter.current().slug.split("/")
    pages = {
        "dashboard": reverse("dashboard"),
        "ToR": reverse("tor:group", args=[group.pk]),
        "members directory": reverse("members:directory"),
        "meetings": reverse("meetings:list"),
        "my actions": reverse("actions:mine"),
        "tracker": reverse("tracker:index"),
        "quarterly update": reverse("reports:quarterly", args=[fy, q]) + f"?group={group.pk}",
        "privacy notice": reverse("privacy"),
        "accessibility statement": reverse("accessibility"),
    }
    if staff:
        pages["groups"] = reverse("meetings:groups")
        pages["group"] = reverse("meetings:group_detail", args=[group.pk])
    return pages


def test_its_tor_file_loads_into_an_empty_database(northshire):
    assert list(Group.objects.order_by("pk").values_list("name", "kind", "parent__name")) == [
        (BOARD, "svrp", None),
        (WORKING_GROUP, "working", BOARD),
        (TASK_GROUP, "task_finish", WORKING_GROUP),
    ]
    assert list(Agency.objects.values_list("order", "short_name", "duty_status")) == [
        (1, "NEVRU", "not_applicable"),
        (2, "Constabulary", "specified"),
        (3, "Eastport Council", "specified"),
        (4, "Schools Alliance", "relevant"),
        (5, "", "not_applicable"),
    ]
    assert Membership.objects.filter(group=northshire).count() == 5
    assert Membership.objects.filter(group__name=TASK_GROUP).count() == 2
    assert Membership.objects.get(role_title="Safeguarding Lead").attendance_status == (
        "not_yet_required"
    )
    assert list(ToCActivity.objects.values_list("code", "group__name")) == [
        ("Y1", WORKING_GROUP),
        ("Y2", WORKING_GROUP),
    ]
    assert CrestRecommendation.objects.get().code == "NE-4"
    measure = PerformanceMeasure.objects.get()
    assert (measure.code, measure.unit, measure.polarity) == ("YE.1", "attendances", "higher")
    text = TorText.objects.get()
    assert text.group == northshire
    assert text.administration == "The Violence Reduction Unit keeps the action log."
    assert text.notes == ""
    assert (northshire.meeting_frequency, northshire.default_format) == ("bimonthly", "hybrid")
    assert northshire.in_person_every == 2


@pytest.mark.parametrize("persona", ["staff", "member"])
def test_its_pages_show_its_own_groups_and_agencies_and_nothing_of_the_first(
    request, persona, northshire
):
    client = request.getfixturevalue(persona)

    for page, url in _pages(northshire, staff=persona == "staff").items():
        response = client.get(url)
        html = response.content.decode()

        assert response.status_code == 200, page
        assert "Northshire Partnership Portal" in html, page
        assert NAME in html, page
        for words in FIRST_PARTNERSHIP:
            assert words not in html, f"{page} shows {words!r}"


def test_its_pages_name_its_own_groups_and_agencies(staff, northshire):
    pages = {
        page: staff.get(url).content.decode()
        for page, url in _pages(northshire, staff=True).items()
    }

    assert BOARD in pages["groups"] and TASK_GROUP in pages["groups"]
    assert "Northshire Constabulary" in pages["ToR"]
    assert "Riverside Youth Trust" in pages["ToR"]
    assert "Open three after-school safe spaces in Eastport" in pages["ToR"]
    assert "Bring one young person&#x27;s voice to every meeting." in pages["ToR"]
    assert "Youth Engagement Inspector" in pages["group"]
    assert "Open three after-school safe spaces in Eastport" in pages["tracker"]
    assert NAME in pages["dashboard"]


def test_it_wears_its_own_colours_and_logo(staff, northshire):
    html = staff.get(reverse("dashboard")).content.decode()
    css = staff.get(reverse("partnership_css")).content.decode()

    assert "img/logo.svg" in html
    assert "logo-light.svg" not in html
    assert "--vrp-primary: #005a70;" in css
    assert "--vrp-accent: #ffdd00;" in css


def test_loading_its_file_again_changes_nothing(northshire):
    out = StringIO()

    call_command("load_tor", file=str(TOR_FILE), stdout=out)

    assert out.getvalue().strip() == "Nothing to do: the ToR is loaded."
    assert Group.objects.count() == 3


def test_its_calendar_files_name_its_portal(staff, northshire):
    meeting = MeetingFactory(group=northshire)

    ics = staff.get(reverse("meetings:ics", args=[meeting.pk])).content.decode()

    assert "PRODID:-//NE VRP//Northshire Partnership Portal//EN" in ics
    assert "VRP portal" not in ics
    assert "HIPS" not in ics


def test_its_portal_name_reaches_the_authenticator_app_and_email_subjects():
    """Read once at start-up, so checked in a fresh interpreter with the deployment's .env."""
    env = {k: v for k, v in os.environ.items() if k != "PORTAL_NAME"}
    env.update(
        DEBUG="True",
        PORTAL_NAME="Northshire Partnership Portal",
        DJANGO_SETTINGS_MODULE="vrp_portal.settings",
    )
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.MFA_TOTP_ISSUER); print(s.ACCOUNT_EMAIL_SUBJECT_PREFIX)"
    )

    result = run_python(probe, env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Northshire Partnership Portal",
        "Northshire Partnership Portal: ",
    ]
