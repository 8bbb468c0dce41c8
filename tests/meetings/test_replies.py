"""Members send apologies or name a deputy for their own seats, until the meeting starts;
staff see them on the meeting page and the register opens with them filled in."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from meetings.models import Attendance, Meeting, MeetingReply
from members.models import Membership
from tests.factories import MeetingFactory, MembershipFactory
from tests.meetings.conftest import days_from_now

pytestmark = pytest.mark.django_db

MY_MEETINGS = "/meetings/mine/"


def seat_of(user) -> Membership:
    return Membership.objects.get(person__user=user)


def save_url(meeting, seat) -> str:
    return f"/meetings/{meeting.pk}/reply/{seat.pk}/"


def withdraw_url(meeting, seat) -> str:
    return f"/meetings/{meeting.pk}/reply/{seat.pk}/withdraw/"


def reply_data(meeting, seat, kind="apologies", name="", role="", **extra) -> dict:
    prefix = f"reply-{meeting.pk}-{seat.pk}"
    return {
        f"{prefix}-kind": kind,
        f"{prefix}-deputy_name": name,
        f"{prefix}-deputy_role": role,
        **extra,
    }


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_a_member_sends_apologies_for_their_seat(member_client, member_user, upcoming_meeting):
    seat = seat_of(member_user)

    response = member_client.post(
        save_url(upcoming_meeting, seat), reply_data(upcoming_meeting, seat), follow=True
    )

    reply = MeetingReply.objects.get()
    assert (reply.meeting, reply.membership, reply.kind) == (upcoming_meeting, seat, "apologies")
    assert reply.sent_by == member_user.person
    assert abs(timezone.now() - reply.sent_at) < dt.timedelta(seconds=5)
    assert response.redirect_chain[-1][0] == f"/meetings/{upcoming_meeting.pk}/reply/"
    assert any("is sent: Apologies" in text for text in messages_of(response))
    assert "<strong>Apologies</strong>, sent on" in response.content.decode()


def test_a_member_names_a_deputy_with_their_role(member_client, member_user, upcoming_meeting):
    seat = seat_of(member_user)

    member_client.post(
        save_url(upcoming_meeting, seat),
        reply_data(upcoming_meeting, seat, "deputy", "Dana Deputy", "Head of Comms"),
    )

    reply = MeetingReply.objects.get()
    assert (reply.kind, reply.deputy_name, reply.deputy_role) == (
        "deputy",
        "Dana Deputy",
        "Head of Comms",
    )
    assert reply.describe() == "Deputy: Dana Deputy (Head of Comms)"


def test_a_deputy_needs_a_name_and_what_was_typed_is_kept(
    member_client, member_user, upcoming_meeting
):
    seat = seat_of(member_user)

    response = member_client.post(
        save_url(upcoming_meeting, seat),
        reply_data(upcoming_meeting, seat, "deputy", "", "Head of Comms"),
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Enter the name of the deputy who will attend." in content
    assert 'value="Head of Comms"' in content
    assert not MeetingReply.objects.exists()


def test_apologies_forget_a_deputy_typed_before(member_client, member_user, upcoming_meeting):
    seat = seat_of(member_user)

    member_client.post(
        save_url(upcoming_meeting, seat),
        reply_data(upcoming_meeting, seat, "apologies", "Dana Deputy", "Head"),
    )

    reply = MeetingReply.objects.get()
    assert (reply.kind, reply.deputy_name, reply.deputy_role) == ("apologies", "", "")


def test_a_member_changes_then_withdraws_their_reply(member_client, member_user, upcoming_meeting):
    seat = seat_of(member_user)
    member_client.post(save_url(upcoming_meeting, seat), reply_data(upcoming_meeting, seat))

    response = member_client.post(
        save_url(upcoming_meeting, seat),
        reply_data(upcoming_meeting, seat, "deputy", "Dana Deputy", next=MY_MEETINGS),
        follow=True,
    )

    reply = MeetingReply.objects.get()
    assert (reply.kind, reply.deputy_name) == ("deputy", "Dana Deputy")
    assert response.redirect_chain[-1][0] == MY_MEETINGS
    assert any("is changed: Deputy: Dana Deputy" in text for text in messages_of(response))

    response = member_client.post(withdraw_url(upcoming_meeting, seat), follow=True)

    assert not MeetingReply.objects.exists()
    assert any("is withdrawn" in text for text in messages_of(response))
    # The history keeps what was sent, and that it was withdrawn.
    assert [row.history_type for row in MeetingReply.history.order_by("history_id")] == [
        "+",
        "~",
        "-",
    ]


def test_a_reply_never_returns_to_another_site(member_client, member_user, upcoming_meeting):
    seat = seat_of(member_user)

    response = member_client.post(
        save_url(upcoming_meeting, seat),
        reply_data(upcoming_meeting, seat, next="https://evil.example.com/"),
    )

    assert response["Location"] == f"/meetings/{upcoming_meeting.pk}/reply/"


def test_a_member_cannot_reply_for_another_members_seat(
    member_client, other_member_user, upcoming_meeting
):
    seat = seat_of(other_member_user)
    MeetingReply.objects.create(
        meeting=upcoming_meeting, membership=seat, kind="apologies", sent_by=seat.person
    )

    saved = member_client.post(
        save_url(upcoming_meeting, seat), reply_data(upcoming_meeting, seat, "deputy", "Me")
    )
    withdrawn = member_client.post(withdraw_url(upcoming_meeting, seat))

    assert (saved.status_code, withdrawn.status_code) == (404, 404)
    assert MeetingReply.objects.get().kind == "apologies"


def test_a_seat_that_has_ended_cannot_reply(member_client, member_user, upcoming_meeting):
    seat = seat_of(member_user)
    Membership.objects.filter(pk=seat.pk).update(
        end_date=timezone.localdate() - dt.timedelta(days=1)
    )

    response = member_client.post(
        save_url(upcoming_meeting, seat), reply_data(upcoming_meeting, seat)
    )

    assert response.status_code == 404
    assert not MeetingReply.objects.exists()


def test_a_seat_on_another_group_cannot_reply(member_client, member_user):
    meeting = MeetingFactory(starts_at=days_from_now(14))  # another group's meeting
    seat = seat_of(member_user)

    response = member_client.post(save_url(meeting, seat), reply_data(meeting, seat))

    assert response.status_code == 404
    assert not MeetingReply.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, member_user, upcoming_meeting):
    seat = seat_of(member_user)

    response = client.post(save_url(upcoming_meeting, seat), reply_data(upcoming_meeting, seat))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get(MY_MEETINGS).status_code == 302
    assert not MeetingReply.objects.exists()


def test_saving_and_withdrawing_refuse_get(member_client, member_user, upcoming_meeting):
    seat = seat_of(member_user)

    assert member_client.get(save_url(upcoming_meeting, seat)).status_code == 405
    assert member_client.get(withdraw_url(upcoming_meeting, seat)).status_code == 405


def test_replies_close_when_the_meeting_starts(clock, member_client, member_user, working_group):
    meeting = MeetingFactory(group=working_group, starts_at=days_from_now(1))
    seat = seat_of(member_user)
    MeetingReply.objects.create(
        meeting=meeting, membership=seat, kind="apologies", sent_by=seat.person
    )
    clock.move_to(meeting.starts_at + dt.timedelta(minutes=1))
    member_client.force_login(member_user)  # a day idle would have signed them out

    response = member_client.post(
        save_url(meeting, seat), reply_data(meeting, seat, "deputy", "Late Deputy"), follow=True
    )
    member_client.post(withdraw_url(meeting, seat))

    assert MeetingReply.objects.get().kind == "apologies"
    assert any("This meeting has started" in text for text in messages_of(response))
    assert 'name="reply-' not in response.content.decode()


def test_a_cancelled_meeting_refuses_replies(member_client, member_user, upcoming_meeting):
    Meeting.objects.filter(pk=upcoming_meeting.pk).update(status=Meeting.Status.CANCELLED)
    seat = seat_of(member_user)

    response = member_client.post(
        save_url(upcoming_meeting, seat), reply_data(upcoming_meeting, seat), follow=True
    )

    assert not MeetingReply.objects.exists()
    assert any("was cancelled" in text for text in messages_of(response))


def test_my_meetings_lists_each_seat_with_its_reply(
    member_client, member_user, working_group, upcoming_meeting, django_assert_max_num_queries
):
    seat = seat_of(member_user)
    second_seat = MembershipFactory(
        group=working_group, person=member_user.person, role_title="Second seat"
    )
    MeetingReply.objects.create(
        meeting=upcoming_meeting,
        membership=second_seat,
        kind="deputy",
        deputy_name="Dana Deputy",
        sent_by=member_user.person,
    )
    other_group_seat = MembershipFactory(person=member_user.person, role_title="Elsewhere seat")
    for days in range(2, 14):
        MeetingFactory(group=other_group_seat.group, starts_at=days_from_now(days))
    MeetingFactory(group=working_group, starts_at=days_from_now(-3))  # over
    MeetingFactory(starts_at=days_from_now(5))  # a group they hold no seat on

    with django_assert_max_num_queries(12):
        first = member_client.get(MY_MEETINGS)
    last = member_client.get(MY_MEETINGS + "?page=2")

    assert [row.meeting.group for row in first.context["rows"]] == [other_group_seat.group] * 10
    rows = last.context["rows"]
    elsewhere = Meeting.objects.filter(group=other_group_seat.group).order_by("starts_at")
    assert [row.meeting for row in rows] == [*elsewhere[10:], upcoming_meeting]
    mine = rows[-1]
    assert [(s.membership, s.reply) for s in mine.seats] == [
        (seat, None),
        (second_seat, MeetingReply.objects.get()),
    ]
    content = last.content.decode()
    assert "<strong>Deputy: Dana Deputy</strong>" in content
    assert f'action="/meetings/{upcoming_meeting.pk}/reply/{seat.pk}/"' in content
    assert f'action="/meetings/{upcoming_meeting.pk}/reply/{second_seat.pk}/withdraw/"' in content


def test_the_reply_page_says_when_there_is_no_seat(staff_client, upcoming_meeting):
    MembershipFactory(group=upcoming_meeting.group)
    other = MeetingFactory(starts_at=days_from_now(3))

    response = staff_client.get(f"/meetings/{other.pk}/reply/")

    assert response.status_code == 200
    assert "You hold no current seat on this group" in response.content.decode()


def test_the_dashboard_lists_my_meetings_with_their_replies(
    member_client, member_user, upcoming_meeting
):
    seat = seat_of(member_user)
    MeetingReply.objects.create(
        meeting=upcoming_meeting, membership=seat, kind="apologies", sent_by=seat.person
    )

    content = member_client.get("/").content.decode()

    assert f'href="/meetings/{upcoming_meeting.pk}/reply/"' in content
    assert f"{seat.role_title}:" in content
    assert "Apologies sent" in content


def test_staff_see_replies_on_the_meeting_page(
    staff_client, member_client, member_user, upcoming_meeting
):
    seat = seat_of(member_user)
    member_client.post(
        save_url(upcoming_meeting, seat),
        reply_data(upcoming_meeting, seat, "deputy", "Dana Deputy", "Head of Comms"),
    )

    staff_page = staff_client.get(f"/meetings/{upcoming_meeting.pk}/").content.decode()
    member_page = member_client.get(f"/meetings/{upcoming_meeting.pk}/").content.decode()

    assert "Apologies and deputies sent by members" in staff_page
    assert "Deputy: Dana Deputy (Head of Comms)" in staff_page
    assert member_user.person.full_name in staff_page
    assert seat.role_title in staff_page
    assert "Apologies and deputies sent by members" not in member_page
    assert "Send apologies or name a deputy" in member_page


# The register ------------------------------------------------------------------------


def register_form(response, seat):
    [row] = [row for row in response.context["seats"] if row.membership == seat]
    return row.form


def test_the_register_opens_with_apologies_sent_before_the_day(
    staff_client, member_user, upcoming_meeting
):
    seat = seat_of(member_user)
    MeetingReply.objects.create(
        meeting=upcoming_meeting, membership=seat, kind="apologies", sent_by=seat.person
    )

    response = staff_client.get(f"/meetings/{upcoming_meeting.pk}/attendance/")

    assert register_form(response, seat)["status"].value() == "apologies"
    radios = re.findall(
        rf'<input[^>]*name="seat-{seat.pk}-status"[^>]*>', response.content.decode()
    )
    assert [radio for radio in radios if "checked" in radio] == [
        radio for radio in radios if 'value="apologies"' in radio
    ]
    assert not Attendance.objects.exists()  # suggested, not recorded


def test_the_register_suggests_a_deputy_once_the_day_has_come(
    clock, staff_client, staff_user, member_user, working_group
):
    meeting = MeetingFactory(group=working_group, starts_at=days_from_now(1))
    seat = seat_of(member_user)
    MeetingReply.objects.create(
        meeting=meeting,
        membership=seat,
        kind="deputy",
        deputy_name="Dana Deputy",
        deputy_role="Head of Comms",
        sent_by=seat.person,
    )

    before = staff_client.get(f"/meetings/{meeting.pk}/attendance/")
    clock.move_to(meeting.ends_at + dt.timedelta(hours=1))
    staff_client.force_login(staff_user)  # a day idle would have signed them out
    after = staff_client.get(f"/meetings/{meeting.pk}/attendance/")

    assert register_form(before, seat)["status"].value() is None
    form = register_form(after, seat)
    assert form["status"].value() == "deputy"
    assert form["deputy_name"].value() == "Dana Deputy (Head of Comms)"


def test_a_recorded_row_wins_over_the_reply_and_staff_can_override(
    clock, staff_client, staff_user, member_user, working_group
):
    meeting = MeetingFactory(group=working_group, starts_at=days_from_now(1))
    seat = seat_of(member_user)
    MeetingReply.objects.create(
        meeting=meeting, membership=seat, kind="apologies", sent_by=seat.person
    )
    clock.move_to(meeting.ends_at + dt.timedelta(hours=1))
    staff_client.force_login(staff_user)  # a day idle would have signed them out
    meeting.refresh_from_db()

    response = staff_client.post(
        f"/meetings/{meeting.pk}/attendance/",
        {
            "register-version": meeting.register_version,
            f"seat-{seat.pk}-status": "present",
            f"seat-{seat.pk}-deputy_name": "",
        },
    )

    assert response.status_code == 302
    assert Attendance.objects.get(membership=seat).status == "present"
    reopened = staff_client.get(f"/meetings/{meeting.pk}/attendance/")
    assert register_form(reopened, seat)["status"].value() == "present"
