"""Known data for the 2024-25 Q1 update (April–June 2024), with its figures worked out by hand.

The data sits on the quarter's edges in London time: a meeting on 31 March and
one on 1 April fall in different financial years; a meeting at 00:30 on 1 July
(23:30 on 30 June in UTC) belongs to the next quarter; an action created at
00:15 on 1 April (still 31 March in UTC) was opened in this quarter. A meeting
cancelled after its register was taken counts as a meeting, not as attendance.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from actions.models import Action
from core.quarters import Quarter
from meetings.models import Attendance, Meeting
from members.models import Agency, Group
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AttendanceFactory,
    CrestRecommendationFactory,
    GroupFactory,
    KeyUpdateFactory,
    MeasureValueFactory,
    MeetingFactory,
    MembershipFactory,
    PerformanceMeasureFactory,
    PersonFactory,
    ToCActivityFactory,
    london,
)
from tracker.models import CrestRecommendation, PerformanceMeasure, ToCActivity
from tracker.services import tor_revision_on_achievement

QUARTER = Quarter(2024, 1)
# The day the update is generated: after the quarter, so figures are as at 30 June.
TODAY = dt.date(2024, 7, 15)
NOW = london(2024, 7, 15, 9, 30)

FIRE = "Hampshire & Isle of Wight Fire and Rescue Service"


@dataclass
class QuarterData:
    group: Group
    task_group: Group
    other_group: Group
    police: Agency
    fire: Agency
    health: Agency
    views: PerformanceMeasure
    complaints: PerformanceMeasure
    reach: PerformanceMeasure
    activity: ToCActivity
    crest: CrestRecommendation
    actions: dict[str, Action]


def _meeting(group, start, **kwargs) -> Meeting:
    return MeetingFactory(group=group, starts_at=start, status=Meeting.Status.HELD, **kwargs)


def _action(key, *, created, **kwargs) -> Action:
    action = ActionFactory(title=key, **kwargs)
    Action.objects.filter(pk=action.pk).update(created_at=created)
    action.refresh_from_db()
    return action


def _dated_history(obj, *dates) -> None:
    """Date an object's history records, oldest first, as if made on those days."""
    records = obj.history.order_by("history_date", "history_id")
    for record, when in zip(records, dates, strict=True):
        type(record).objects.filter(pk=record.pk).update(history_date=when)


def build_quarter_data(group: Group) -> QuarterData:
    group.tor_version = "V2"
    group.tor_published = dt.date(2023, 11, 1)
    group.review_date = dt.date(2024, 3, 31)
    group.save()
    task_group = GroupFactory(
        name="Brand Task and Finish Group",
        short_name="Brand T&F",
        kind=Group.Kind.TASK_AND_FINISH,
        parent=group,
    )
    other_group = GroupFactory(name="Another Working Group")
    police = AgencyFactory(name="Police", order=1)
    fire = AgencyFactory(name=FIRE, order=2)
    health = AgencyFactory(name="Health", order=3)
    people = {agency: PersonFactory(agency=agency) for agency in (police, fire, health)}

    def seat(on, agency):
        return MembershipFactory(group=on, agency=agency, person=people[agency])

    police_seat, fire_seat, health_seat = (seat(group, a) for a in (police, fire, health))
    police_tf, fire_tf = seat(task_group, police), seat(task_group, fire)
    other_seat = seat(other_group, police)

    march = _meeting(group, london(2024, 3, 31, 10))
    april = _meeting(
        group, london(2024, 4, 1, 10), format=Meeting.Format.IN_PERSON, host_agency=police
    )
    may = _meeting(task_group, london(2024, 5, 20, 14))
    cancelled = MeetingFactory(
        group=group, starts_at=london(2024, 6, 10), status=Meeting.Status.CANCELLED
    )
    MeetingFactory(group=group, starts_at=london(2024, 7, 1, 0, 30))
    other = _meeting(other_group, london(2024, 5, 1))

    S = Attendance.Status
    AttendanceFactory(meeting=march, membership=police_seat, status=S.ABSENT)
    AttendanceFactory(meeting=april, membership=police_seat, status=S.PRESENT)
    AttendanceFactory(meeting=april, membership=fire_seat, status=S.APOLOGIES)
    AttendanceFactory(meeting=april, membership=health_seat, status=S.ABSENT)
    AttendanceFactory(meeting=may, membership=police_tf, status=S.DEPUTY, deputy_name="A Deputy")
    AttendanceFactory(meeting=may, membership=fire_tf, status=S.PRESENT)
    AttendanceFactory(meeting=other, membership=other_seat, status=S.PRESENT)
    # Cancelled after its register was taken: as on the monitoring page, it no longer counts.
    AttendanceFactory(meeting=cancelled, membership=health_seat, status=S.PRESENT)

    KeyUpdateFactory(meeting=march, text="Old news from March")
    KeyUpdateFactory(meeting=april, kind="decision", text="Adopt the VRP brand guidelines")
    KeyUpdateFactory(meeting=april, text="Internal housekeeping", for_svrp=False)
    KeyUpdateFactory(meeting=may, text="The website went live on 15 May")
    KeyUpdateFactory(meeting=other, text="Another group's news")

    activity = ToCActivityFactory(group=group, code="3.a", title="Create VRP brand and website")
    activity.status = ToCActivity.Status.IN_PROGRESS
    activity.save()
    _dated_history(activity, london(2024, 1, 1), london(2024, 4, 15))
    celebrate = ToCActivityFactory(group=group, code="3.b", title="Celebrate communities")
    _dated_history(celebrate, london(2024, 4, 3))
    narrative = ToCActivityFactory(
        group=group,
        code="3.c",
        title="Develop a strengths based counter-narrative",
        status=ToCActivity.Status.COMPLETE,
    )
    _dated_history(narrative, london(2024, 3, 1))

    crest = CrestRecommendationFactory(group=group, code="8.1", text="Invest in community mapping")
    crest.status = CrestRecommendation.Status.ACHIEVED
    crest.achieved_on = dt.date(2024, 5, 20)
    crest.evidence = "Community map published"
    crest.save()
    tor_revision_on_achievement(crest)
    _dated_history(crest, london(2024, 1, 15), london(2024, 5, 20, 11))
    second = CrestRecommendationFactory(
        group=group, code="8.2", text="Share data", status=CrestRecommendation.Status.IN_PROGRESS
    )
    _dated_history(second, london(2024, 2, 1))

    def owned(agency):
        return {"owner": people[agency], "agency": agency}

    done = Action.Status.DONE
    actions = {
        "brief": _action(
            "Brief partners on the brand",
            created=london(2024, 3, 31, 23, 30),
            group=group,
            due_date=dt.date(2024, 4, 30),
            **owned(police),
        ),
        "logo": _action(
            "Design the logo",
            created=london(2024, 4, 1, 0, 15),
            group=group,
            due_date=dt.date(2024, 5, 31),
            status=done,
            completed_on=dt.date(2024, 5, 15),
            toc_activity=activity,
            **owned(fire),
        ),
        "website": _action(
            "Launch the website",
            created=london(2024, 5, 1, 9),
            group=task_group,
            due_date=dt.date(2024, 7, 31),
            status=Action.Status.IN_PROGRESS,
            toc_activity=activity,
            **owned(police),
        ),
        "map": _action(
            "Publish the community map",
            created=london(2024, 4, 10),
            group=group,
            due_date=dt.date(2024, 6, 1),
            status=done,
            completed_on=dt.date(2024, 7, 5),
            toc_activity=activity,
            crest_recommendation=crest,
            **owned(health),
        ),
        "old": _action(
            "Old action",
            created=london(2024, 1, 10),
            group=group,
            due_date=dt.date(2024, 2, 1),
            status=done,
            completed_on=dt.date(2024, 3, 31),
            **owned(police),
        ),
        "cancelled": _action(
            "Cancelled idea",
            created=london(2024, 4, 2),
            group=group,
            due_date=dt.date(2024, 5, 1),
            status=Action.Status.CANCELLED,
            **owned(fire),
        ),
        "july": _action(
            "Raised in July",
            created=london(2024, 7, 2),
            group=group,
            due_date=dt.date(2024, 8, 1),
            **owned(police),
        ),
        "other": _action(
            "Another group's action",
            created=london(2024, 4, 5),
            group=other_group,
            due_date=dt.date(2024, 4, 10),
            **owned(police),
        ),
        "done_1_april": _action(
            "Finished on 1 April",
            created=london(2024, 2, 1),
            group=group,
            due_date=dt.date(2024, 3, 15),
            status=done,
            completed_on=dt.date(2024, 4, 1),
            **owned(police),
        ),
    }

    views = PerformanceMeasureFactory(
        group=group, code="4.1.1.a", title="Views of the VRU website", unit="views", target=1000
    )
    MeasureValueFactory(measure=views, year=2023, quarter=1, value=800)
    MeasureValueFactory(measure=views, year=2023, quarter=4, value=900)
    MeasureValueFactory(measure=views, year=2024, quarter=1, value=1250, note="Brand launch")
    complaints = PerformanceMeasureFactory(
        group=group,
        code="4.1.2",
        title="Complaints about VRU communications",
        unit="complaints",
        polarity=PerformanceMeasure.Polarity.LOWER_IS_BETTER,
        target=5,
    )
    MeasureValueFactory(measure=complaints, year=2023, quarter=4, value=3)
    MeasureValueFactory(measure=complaints, year=2024, quarter=1, value=7)
    reach = PerformanceMeasureFactory(
        group=group, code="4.1.3", title="Partners reached", unit="partners", target=None
    )
    MeasureValueFactory(measure=reach, year=2024, quarter=1, value=Decimal("12.5"))
    other_measure = PerformanceMeasureFactory(group=other_group, code="5.1", title="Not ours")
    MeasureValueFactory(measure=other_measure, year=2024, quarter=1, value=5)

    group.refresh_from_db()
    return QuarterData(
        group=group,
        task_group=task_group,
        other_group=other_group,
        police=police,
        fire=fire,
        health=health,
        views=views,
        complaints=complaints,
        reach=reach,
        activity=activity,
        crest=crest,
        actions=actions,
    )


def add_volume(group: Group, n: int) -> None:
    """`n` of everything the update and the tracker list, in 2024-25 Q1: for query budgets."""
    for i in range(n):
        seat = MembershipFactory(group=group)
        meeting = _meeting(group, london(2024, 4, 2 + i % 28, 10, i % 60))
        AttendanceFactory(meeting=meeting, membership=seat)
        KeyUpdateFactory(meeting=meeting)
        ActionFactory(group=group, due_date=dt.date(2024, 5, 1), owner=seat.person)
        activity = ToCActivityFactory(group=group)
        ActionFactory(group=group, toc_activity=activity, owner=seat.person)
        CrestRecommendationFactory(group=group)
        measure = PerformanceMeasureFactory(group=group)
        MeasureValueFactory(measure=measure, year=2024, quarter=1, value=i)
        MeasureValueFactory(measure=measure, year=2023, quarter=4, value=i + 1)
