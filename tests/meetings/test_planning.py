"""The ToR's rule as pure functions: in person every third meeting, hosts rotate."""

import datetime as dt
from zoneinfo import ZoneInfo

from meetings.planning import Slot, breaches, hosting_order, nth_weekday, propose, propose_dates

LONDON = ZoneInfo("Europe/London")
TEAMS = Slot(in_person=False)
HOSTS = ["Police", "Fire", "Youth Justice", "Probation"]


def in_person(host):
    return Slot(in_person=True, host=host)


def test_with_no_history_the_third_meeting_is_in_person_hosted_by_the_first_agency():
    plan = propose(history=[], hosts=HOSTS, count=4, every=3)

    assert plan == [TEAMS, TEAMS, in_person("Police"), TEAMS]


def test_the_count_continues_from_the_groups_previous_meetings():
    history = [TEAMS, TEAMS, in_person("Police"), TEAMS]

    plan = propose(history=history, hosts=HOSTS, count=4, every=3)

    assert plan == [TEAMS, in_person("Fire"), TEAMS, TEAMS]


def test_whoever_has_never_hosted_hosts_before_those_who_have():
    history = [in_person("Fire"), TEAMS, TEAMS, in_person("Police"), TEAMS, TEAMS]

    assert hosting_order(history=history, hosts=HOSTS) == [
        "Youth Justice",
        "Probation",
        "Fire",
        "Police",
    ]
    assert propose(history=history, hosts=HOSTS, count=1, every=3) == [in_person("Youth Justice")]


def test_when_everyone_has_hosted_the_least_recent_host_hosts_next():
    history = [
        in_person("Probation"),
        in_person("Police"),
        in_person("Youth Justice"),
        in_person("Fire"),
        TEAMS,
        TEAMS,
    ]

    assert propose(history=history, hosts=HOSTS, count=1, every=3) == [in_person("Probation")]


def test_a_long_plan_rotates_through_every_host_without_repeating():
    plan = propose(history=[], hosts=HOSTS, count=12, every=3)

    assert [slot.host for slot in plan if slot.in_person] == HOSTS


def test_an_agency_that_left_the_group_is_not_proposed():
    history = [TEAMS, TEAMS, in_person("Police")]

    plan = propose(history=history, hosts=["Fire"], count=3, every=3)

    assert plan == [TEAMS, TEAMS, in_person("Fire")]


def test_without_an_in_person_rule_every_meeting_is_online():
    assert propose(history=[TEAMS], hosts=HOSTS, count=4, every=0) == [TEAMS] * 4


def test_a_plan_that_keeps_the_rule_has_no_breach():
    history = [TEAMS, TEAMS, in_person("Police")]
    plan = propose(history=history, hosts=HOSTS, count=4, every=3)

    assert breaches(history=history, planned=plan, hosts=HOSTS, every=3) == []


def test_a_due_in_person_meeting_held_online_is_a_breach_until_one_is_held():
    history = [TEAMS, TEAMS, in_person("Police"), TEAMS]
    planned = [TEAMS, TEAMS, TEAMS, in_person("Fire"), TEAMS]

    found = breaches(history=history, planned=planned, hosts=HOSTS, every=3)

    assert [b.position for b in found] == [1, 2]
    assert "should be in person: every third meeting" in found[0].message


def test_a_missed_in_person_meeting_is_proposed_at_once():
    history = [TEAMS, TEAMS, in_person("Police"), TEAMS, TEAMS, TEAMS]

    assert propose(history=history, hosts=HOSTS, count=1, every=3) == [in_person("Fire")]


def test_the_same_host_twice_running_is_a_breach():
    history = [TEAMS, TEAMS, in_person("Police"), TEAMS]

    found = breaches(history=history, planned=[in_person("Police")], hosts=HOSTS, every=3)

    assert len(found) == 1
    assert "Police again" in found[0].message


def test_an_in_person_meeting_without_a_host_or_with_a_non_specified_host_is_a_breach():
    history = [TEAMS, TEAMS, in_person("Police"), TEAMS]
    planned = [in_person(None), TEAMS, in_person("Education")]

    found = breaches(history=history, planned=planned, hosts=HOSTS, every=3)

    assert [(b.position, "no host" in b.message) for b in found] == [(0, True), (2, False)]
    assert "not one of the group's Specified Authorities" in found[1].message


def test_dates_follow_the_last_meetings_weekday_of_the_month_and_times():
    # Tuesday 12 March 2024 is the second Tuesday; the next are the second Tuesdays of
    # June, September and December, at the same London times across the clock change.
    last_start = dt.datetime(2024, 3, 12, 10, tzinfo=LONDON)

    dates = propose_dates(
        last_start=last_start,
        last_end=last_start + dt.timedelta(minutes=90),
        count=4,
        months_between=3,
        after=last_start,
    )

    assert [start.date() for start, _ in dates] == [
        dt.date(2024, 6, 11),
        dt.date(2024, 9, 10),
        dt.date(2024, 12, 10),
        dt.date(2025, 3, 11),
    ]
    assert {(s.astimezone(LONDON).time(), e.astimezone(LONDON).time()) for s, e in dates} == {
        (dt.time(10), dt.time(11, 30))
    }


def test_dates_never_fall_in_the_past():
    last_start = dt.datetime(2023, 1, 10, 14, tzinfo=LONDON)

    dates = propose_dates(
        last_start=last_start,
        last_end=last_start + dt.timedelta(hours=1),
        count=2,
        months_between=3,
        after=dt.datetime(2024, 2, 1, tzinfo=LONDON),
    )

    assert [start.date() for start, _ in dates] == [dt.date(2024, 4, 9), dt.date(2024, 7, 9)]


def test_with_no_meeting_yet_dates_fall_mid_quarter_on_a_weekday_at_ten():
    dates = propose_dates(
        last_start=None,
        last_end=None,
        count=4,
        months_between=3,
        after=dt.datetime(2024, 1, 20, tzinfo=LONDON),
    )

    # 15 May 2024 is a Wednesday; 15 February 2025 a Saturday, so Monday 17th.
    assert [start.date() for start, _ in dates] == [
        dt.date(2024, 5, 15),
        dt.date(2024, 8, 15),
        dt.date(2024, 11, 15),
        dt.date(2025, 2, 17),
    ]
    start, end = dates[0]
    assert (start.tzinfo, start.hour, end.hour, end.minute) == (LONDON, 10, 11, 30)


def test_nth_weekday_counts_from_the_first_such_day_of_the_month():
    # March 2026 starts on a Sunday: its Tuesdays are the 3rd, 10th, 17th, 24th and 31st.
    assert nth_weekday(2026, 3, 1, 1) == dt.date(2026, 3, 3)
    assert nth_weekday(2026, 3, 1, 3) == dt.date(2026, 3, 17)
    assert nth_weekday(2026, 3, 1, 5) == dt.date(2026, 3, 31)


def test_nth_weekday_past_the_months_last_is_its_last():
    # February 2026 has four Tuesdays, the last on the 24th.
    assert nth_weekday(2026, 2, 1, 5) == dt.date(2026, 2, 24)
