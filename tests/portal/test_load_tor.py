"""`manage.py load_tor` loads exactly the Comms Working Group's ToR (V2, November 2023).

The expected rows are copied from the document by hand, not from portal/tor.py,
so a slip in either shows up here.
"""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from members.models import Agency, Group, Membership
from tracker.models import CrestRecommendation, PerformanceMeasure, ToCActivity

pytestmark = pytest.mark.django_db

COMMS = "Communications Working Group"
SVRP = "Strategic Violence Reduction Partnership"

AGENCIES = [
    # (order, name, short name, sector, duty status)
    (1, "Violence Reduction Unit (VRU)", "VRU", "vru", "not_applicable"),
    (2, "Police", "Police", "police", "specified"),
    (3, "Hampshire Fire & Rescue Service (HRFS)", "HRFS", "fire", "specified"),
    (4, "Youth Justice Service (YJS)", "YJS", "youth_justice", "specified"),
    (5, "Health – Integrated Care Boards", "Health", "health", "specified"),
    (6, "Local Authorities", "Local Authorities", "local_authority", "specified"),
    (7, "Office of Police and Crime Commissioner (OPCC)", "OPCC", "opcc", "not_applicable"),
    (8, "Probation", "Probation", "probation", "specified"),
    (9, "Education", "Education", "education", "relevant"),
    (10, "Prison Service", "Prison Service", "prison", "relevant"),
    (11, "Voluntary Sector", "Voluntary Sector", "voluntary", "not_applicable"),
]

REQUIRED, NOT_YET = "required", "not_yet_required"
SEATS = {
    # (agency, role title, position, attendance status)
    ("Violence Reduction Unit (VRU)", "VRU Director", "chair", REQUIRED),
    ("Violence Reduction Unit (VRU)", "VRU Manager", "vice_chair", REQUIRED),
    ("Violence Reduction Unit (VRU)", "VRU Programmes and Projects Officer", "officer", REQUIRED),
    ("Police", "Corporate Communications, Serious Violence Lead", "member", REQUIRED),
    (
        "Hampshire Fire & Rescue Service (HRFS)",
        "Representation from Communications team",
        "member",
        REQUIRED,
    ),
    (
        "Youth Justice Service (YJS)",
        "Representation from Portsmouth Youth Justice",
        "member",
        REQUIRED,
    ),
    (
        "Health – Integrated Care Boards",
        "Representations from University Hospital Southampton (UHS) Communications",
        "member",
        REQUIRED,
    ),
    (
        "Health – Integrated Care Boards",
        "Representations from ICB Communications",
        "member",
        REQUIRED,
    ),
    ("Health – Integrated Care Boards", "Representation from Southern Health", "member", REQUIRED),
    ("Health – Integrated Care Boards", "Representation from Solent Health", "member", REQUIRED),
    ("Local Authorities", "Representation from Hampshire", "member", REQUIRED),
    ("Local Authorities", "Representation from Isle of Wight", "member", REQUIRED),
    ("Local Authorities", "Representation from Portsmouth", "member", REQUIRED),
    ("Local Authorities", "Representation from Southampton", "member", REQUIRED),
    ("Office of Police and Crime Commissioner (OPCC)", "OPCC representative", "member", NOT_YET),
    ("Probation", "Regional Communications Lead", "member", REQUIRED),
    ("Education", "Education representative", "member", NOT_YET),
    ("Prison Service", "Prison Service representative", "member", NOT_YET),
    ("Voluntary Sector", "Fundraising, Marketing and Communications Manager", "member", REQUIRED),
}


def load_tor() -> str:
    out = StringIO()
    call_command("load_tor", stdout=out)
    return out.getvalue()


def dump() -> dict:
    """Every row of the tables the ToR fills, history included, as plain values."""
    models = [Agency, Group, Membership, ToCActivity, CrestRecommendation, PerformanceMeasure]
    tables = {model.__name__: list(model.objects.order_by("pk").values()) for model in models}
    for model in models:
        if hasattr(model, "history"):
            tables[f"{model.__name__} history"] = list(
                model.history.order_by("history_id").values()
            )
    return tables


def test_it_loads_every_agency_with_its_duty_status():
    load_tor()

    rows = list(
        Agency.objects.order_by("order").values_list(
            "order", "name", "short_name", "sector", "duty_status"
        )
    )
    assert rows == AGENCIES


def test_it_loads_every_seat_with_its_role_title_position_and_attendance_status():
    load_tor()

    seats = set(
        Membership.objects.filter(group__name=COMMS).values_list(
            "agency__name", "role_title", "position", "attendance_status"
        )
    )
    assert seats == SEATS
    assert Membership.objects.count() == len(SEATS)


def test_three_agencies_need_not_attend_yet():
    load_tor()

    not_yet = Membership.objects.filter(attendance_status=NOT_YET)
    assert sorted(not_yet.values_list("agency__short_name", flat=True)) == [
        "Education",
        "OPCC",
        "Prison Service",
    ]


def test_no_person_is_named_and_no_tor_was_sent():
    load_tor()

    assert not Membership.objects.filter(person__isnull=False).exists()
    assert not Membership.objects.filter(tor_sent_on__isnull=False).exists()


def test_it_loads_the_groups_with_the_tor_facts():
    load_tor()

    svrp = Group.objects.get(name=SVRP)
    comms = Group.objects.get(name=COMMS)
    assert (svrp.kind, svrp.short_name, svrp.parent) == ("svrp", "SVRP", None)
    assert svrp.purpose.startswith("The Strategic Violence Reduction Partnership (SVRP) has been")
    assert comms.kind == "working"
    assert comms.short_name == "Comms Working Group"
    assert comms.parent == svrp
    assert comms.vision == (
        "Our vision is for Hampshire, Isle of Wight, Portsmouth and Southampton to be a place "
        "where people can live their lives free from violence and the fear of violence."
    )
    assert comms.mission == (
        "Our mission is to prevent violence by building a collaborative, courageous and "
        "sustainable Partnership which will drive the change required to successfully address "
        "the causes and consequences of violence."
    )
    assert "embedding voices and lived experiences" in comms.purpose
    assert comms.tor_version == "V2"
    assert comms.tor_published == dt.date(2023, 11, 1)
    assert comms.review_date == dt.date(2024, 3, 31)
    assert comms.meeting_frequency == "quarterly"
    assert comms.default_format == "teams"
    assert comms.in_person_every == 3
    assert comms.tor_revision_due is False


def test_it_loads_the_toc_activities_and_the_crest_recommendation():
    load_tor()

    activities = list(ToCActivity.objects.order_by("code").values_list("code", "title", "status"))
    assert activities == [
        (
            "3.a",
            "Create VRP brand and website to communicate with Partners and public",
            "not_started",
        ),
        (
            "3.b",
            "Celebrate and highlight work of communities and the VRP working together",
            "not_started",
        ),
        ("3.c", "Develop a strengths based counter-narrative", "not_started"),
    ]
    crest = CrestRecommendation.objects.get()
    assert crest.code == "8.1"
    assert crest.text == (
        "Partners should invest in more comprehensive community mapping, to identify the "
        "individuals and organisations across Hampshire and the Isle of Wight that could be "
        "actively involved in violence reduction efforts."
    )
    assert crest.status == "not_started"
    comms = Group.objects.get(name=COMMS)
    assert set(ToCActivity.objects.values_list("group", flat=True)) == {comms.pk}
    assert crest.group == comms


def test_it_loads_the_performance_measure():
    load_tor()

    measure = PerformanceMeasure.objects.get()
    assert measure.code == "4.1.1.a"
    assert measure.title == "VRU: Number of views of VRU website"
    assert measure.outcome == (
        "Specified and Relevant authorities and public are well informed about serious "
        "violence and the Partnership response."
    )
    assert measure.success_measure == (
        "VRU Communications are reaching Specified and Relevant authorities and public."
    )
    assert measure.data_source == "VRU"
    assert measure.unit == "views"
    assert measure.polarity == "higher"
    assert measure.target is None
    assert measure.group.name == COMMS


def test_it_says_what_it_created():
    output = load_tor()

    assert output.strip() == (
        "Created 2 groups, 11 agencies, 19 seats, 3 ToC activities, 1 Crest recommendation, "
        "1 performance measure, 1 ToR text."
    )


def test_running_it_twice_changes_nothing():
    load_tor()
    before = dump()

    output = load_tor()

    assert dump() == before
    assert output.strip() == "Nothing to do: the ToR is loaded."


def test_a_staff_edit_survives_a_rerun():
    load_tor()
    Agency.objects.filter(name="Education").update(duty_status="specified", short_name="Schools")
    seat = Membership.objects.get(role_title="OPCC representative")
    seat.attendance_status = REQUIRED
    seat.position = "vice_chair"
    seat.save()
    Group.objects.filter(name=COMMS).update(
        review_date=dt.date(2025, 3, 31), tor_version="V3", in_person_every=2
    )
    ToCActivity.objects.filter(code="3.a").update(title="Run the VRP website", status="complete")
    PerformanceMeasure.objects.update(target=5000, data_source="VRU web analytics")
    before = dump()

    output = load_tor()

    assert dump() == before
    assert output.strip() == "Nothing to do: the ToR is loaded."
    assert Agency.objects.get(name="Education").short_name == "Schools"
    assert Membership.objects.get(role_title="OPCC representative").position == "vice_chair"
    assert Group.objects.get(name=COMMS).tor_version == "V3"
    assert ToCActivity.objects.get(code="3.a").title == "Run the VRP website"
    assert PerformanceMeasure.objects.get().data_source == "VRU web analytics"


def test_it_creates_only_what_is_missing():
    load_tor()
    Membership.objects.filter(role_title="Representation from Solent Health").delete()
    kept = dump()["Agency"]

    output = load_tor()

    assert output.strip() == "Created 1 seat."
    assert Membership.objects.filter(role_title="Representation from Solent Health").exists()
    assert dump()["Agency"] == kept
