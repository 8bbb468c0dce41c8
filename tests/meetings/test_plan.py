import datetime as dt
import re

import pytest
from django.utils import timezone
from django.utils.html import escape

from meetings.models import Meeting
from members.models import Agency
from tests.factories import AgencyFactory, GroupFactory, MeetingFactory, MembershipFactory
from tests.meetings.conftest import days_from_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def rotation(working_group, staff_user):
    """Police hosted the last in-person meeting; Fire has never hosted; then a Teams one."""
    Agency.objects.update(duty_status=Agency.DutyStatus.RELEVANT)
    police = AgencyFactory(name="Police", order=1)
    fire = AgencyFactory(name="Hampshire Fire & Rescue Service", order=2)
    for agency in (police, fire):
        MembershipFactory(group=working_group, agency=agency)
    for days, host in ((-400, None), (-300, None), (-200, police), (-100, None)):
        MeetingFactory(
            group=working_group,
            starts_at=days_from_now(days),
            format="in_person" if host else "teams",
            host_agency=host,
        )
    return police, fire


def plan_data(formset, group, **changes) -> dict:
    """The formset as the page proposes it, with `changes` ("0-format": ...) applied."""
    data = {"group": group.pk}
    data.update({f"plan-{k}": v for k, v in formset.management_form.initial.items()})
    for i, form in enumerate(formset.forms):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if name == "include":
                if value:
                    data[f"plan-{i}-include"] = "on"
                continue
            if hasattr(value, "pk"):
                value = value.pk
            elif isinstance(value, dt.date | dt.time):
                value = value.strftime("%Y-%m-%d" if isinstance(value, dt.date) else "%H:%M")
            data[f"plan-{i}-{name}"] = "" if value is None else value
    for key, value in changes.items():
        if value is None:
            data.pop(f"plan-{key}", None)
        else:
            data[f"plan-{key}"] = value
    return data


@pytest.mark.parametrize("persona", ["owner", "other_member", "chair"])
def test_only_staff_may_plan(persona_clients, persona, working_group):
    client = persona_clients[persona]

    assert client.get("/meetings/plan/").status_code == 403
    assert client.post("/meetings/plan/", {"group": working_group.pk}).status_code == 403
    assert not Meeting.objects.exists()


def test_it_proposes_four_quarterly_meetings_keeping_the_rule(staff_client, rotation):
    police, fire = rotation
    last = Meeting.objects.order_by("-starts_at").first()

    response = staff_client.get("/meetings/plan/")

    forms = response.context["formset"].forms
    assert len(forms) == 4
    assert [f.initial["format"] for f in forms] == ["teams", "in_person", "teams", "teams"]
    assert forms[1].initial["host_agency"] == fire
    assert [f.initial["start_time"] for f in forms] == [dt.time(10)] * 4
    first = forms[0].initial["date"]
    assert first > timezone.localdate()
    assert first.weekday() == timezone.localtime(last.starts_at).weekday()
    assert "Never" in response.content.decode()  # Fire has never hosted


def test_saving_the_plan_schedules_every_meeting_at_once(staff_client, rotation, working_group):
    _, fire = rotation
    formset = staff_client.get("/meetings/plan/").context["formset"]

    response = staff_client.post("/meetings/plan/", plan_data(formset, working_group), follow=True)

    assert response.redirect_chain[-1][0] == f"/meetings/?group={working_group.pk}"
    planned = Meeting.objects.filter(starts_at__gt=timezone.now()).order_by("starts_at")
    assert [(m.format, m.host_agency) for m in planned] == [
        ("teams", None),
        ("in_person", fire),
        ("teams", None),
        ("teams", None),
    ]
    assert {m.status for m in planned} == {"scheduled"}
    content = response.content.decode()
    assert "4 meetings of the Communications Working Group scheduled." in content
    assert "alert-warning" not in content


def test_a_plan_that_breaks_the_rule_is_saved_with_a_warning(staff_client, rotation, working_group):
    police, _ = rotation
    formset = staff_client.get("/meetings/plan/").context["formset"]
    data = plan_data(formset, working_group, **{"1-host_agency": police.pk})

    response = staff_client.post("/meetings/plan/", data, follow=True)

    assert Meeting.objects.filter(starts_at__gt=timezone.now()).count() == 4
    assert "is hosted by Police again" in response.content.decode()


def test_checking_a_plan_shows_the_warnings_and_saves_nothing(
    staff_client, rotation, working_group
):
    formset = staff_client.get("/meetings/plan/").context["formset"]
    data = plan_data(formset, working_group, **{"1-format": "teams"})

    response = staff_client.post("/meetings/plan/", {**data, "step": "check"})

    assert response.status_code == 200
    assert "This plan breaks the rule" in response.content.decode()
    assert "should be in person" in response.content.decode()
    assert not Meeting.objects.filter(starts_at__gt=timezone.now()).exists()


def test_meetings_left_out_are_not_saved(staff_client, rotation, working_group):
    formset = staff_client.get("/meetings/plan/").context["formset"]
    data = plan_data(formset, working_group, **{"3-include": None})

    staff_client.post("/meetings/plan/", data)

    assert Meeting.objects.filter(starts_at__gt=timezone.now()).count() == 3


def test_an_invalid_row_saves_nothing(staff_client, rotation, working_group):
    formset = staff_client.get("/meetings/plan/").context["formset"]
    data = plan_data(formset, working_group, **{"2-end_time": "09:00"})

    response = staff_client.post("/meetings/plan/", data)

    assert response.status_code == 200
    assert "The meeting must end after it starts." in response.content.decode()
    assert not Meeting.objects.filter(starts_at__gt=timezone.now()).exists()


def test_a_group_with_no_meeting_yet_gets_mid_quarter_dates(staff_client, working_group):
    response = staff_client.get(f"/meetings/plan/?group={working_group.pk}")

    forms = response.context["formset"].forms
    assert all(15 <= f.initial["date"].day <= 17 for f in forms)
    assert [f.initial["start_time"] for f in forms] == [dt.time(10)] * 4
    assert [f.initial["end_time"] for f in forms] == [dt.time(11, 30)] * 4


def test_a_monthly_task_and_finish_group_gets_a_years_worth(staff_client, working_group):
    task_group = GroupFactory(
        kind="task_finish", parent=working_group, meeting_frequency="monthly", in_person_every=0
    )

    response = staff_client.get(f"/meetings/plan/?group={task_group.pk}")

    forms = response.context["formset"].forms
    assert len(forms) == 12
    assert {f.initial["format"] for f in forms} == {"teams"}


def test_who_hosted_is_listed_least_recently_first(staff_client, rotation):
    police, fire = rotation

    response = staff_client.get("/meetings/plan/")

    assert [agency for agency, _ in response.context["hosts"]] == [fire, police]
    rows = re.findall(r'<th scope="row">([^<]+)</th>', response.content.decode())
    assert rows == [escape(fire.name), police.name]


def test_sending_the_same_plan_twice_schedules_it_once(staff_client, rotation, working_group):
    formset = staff_client.get("/meetings/plan/").context["formset"]
    data = plan_data(formset, working_group)
    staff_client.post("/meetings/plan/", data)

    response = staff_client.post("/meetings/plan/", data)

    assert response.status_code == 200
    assert "The Communications Working Group already has a meeting on" in response.content.decode()
    assert Meeting.objects.filter(starts_at__gt=timezone.now()).count() == 4


def test_two_planned_meetings_on_one_day_are_refused(staff_client, rotation, working_group):
    formset = staff_client.get("/meetings/plan/").context["formset"]
    data = plan_data(formset, working_group)
    data["plan-1-date"] = data["plan-0-date"]

    response = staff_client.post("/meetings/plan/", data)

    assert "Two meetings of this plan fall on the same day." in response.content.decode()
    assert not Meeting.objects.filter(starts_at__gt=timezone.now()).exists()


def test_a_host_already_planned_is_shown_as_due_to_host(staff_client, rotation, working_group):
    police, fire = rotation
    MeetingFactory(
        group=working_group, starts_at=days_from_now(60), format="in_person", host_agency=fire
    )

    response = staff_client.get("/meetings/plan/")

    assert [agency for agency, _ in response.context["hosts"]] == [police, fire]
    assert "Due to host on" in response.content.decode()
