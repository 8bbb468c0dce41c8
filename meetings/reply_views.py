"""Apologies and deputies from members: each member replies for their own seats only,
until the meeting starts. The register opens with their replies filled in, and staff
record what happened."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.permissions import person_of, role_required
from core.security import posted_next
from meetings.access import get_meeting
from meetings.models import Meeting, MeetingReply
from meetings.reply_forms import MeetingReplyForm
from meetings.selectors import MyMeeting, SeatReply, my_upcoming_meetings, seat_replies
from members.models import Membership

MEETINGS_PER_PAGE = 10


def _own_seat(request, meeting: Meeting, seat_pk: int) -> Membership:
    """The signed-in person's current seat `seat_pk` on the meeting's group; 404 for a
    seat anybody else holds, so that nobody learns whose seat it is."""
    person = person_of(request.user)
    if person is None:
        raise Http404
    seats = Membership.objects.current().filter(person=person, group_id=meeting.group_id)
    return get_object_or_404(seats.select_related("agency"), pk=seat_pk)


def _with_forms(rows: list[MyMeeting]) -> list[MyMeeting]:
    """A reply form for every seat of every meeting still open to replies."""
    for row in rows:
        if MeetingReply.refusal(row.meeting) is None:
            for seat in row.seats:
                seat.form = MeetingReplyForm(
                    instance=seat.reply, meeting=row.meeting, membership=seat.membership
                )
    return rows


def _back_url(request, meeting: Meeting) -> str:
    """Where a reply returns to: the page it was sent from (My meetings or the
    meeting's reply page)."""
    return posted_next(request, reverse("meetings:reply", args=[meeting.pk]))


@require_GET
@role_required
def my_meetings(request):
    person = person_of(request.user)
    page = Paginator(my_upcoming_meetings(person), MEETINGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "meetings/my_meetings.html",
        {
            "person": person,
            "page_obj": page,
            "rows": _with_forms(seat_replies(page.object_list, person)),
            "here": request.get_full_path(),
        },
    )


@require_GET
def meeting_reply(request, pk: int):
    """One meeting's reply page, linked from its invitation: the person's seats on it."""
    meeting = get_meeting(request, pk)
    return _render_reply(request, meeting)


def _render_reply(request, meeting: Meeting, *, bound: SeatReply | None = None):
    [row] = _with_forms(seat_replies([meeting], person_of(request.user)))
    if bound is not None:
        for seat in row.seats:
            if seat.membership.pk == bound.membership.pk:
                seat.form = bound.form
    return render(
        request,
        "meetings/reply.html",
        {
            "meeting": meeting,
            "row": row,
            "refusal": MeetingReply.refusal(meeting),
            "here": reverse("meetings:reply", args=[meeting.pk]),
        },
    )


@require_POST
def reply_save(request, pk: int, seat_pk: int):
    """Send, or change, apologies or a deputy for one of the member's own seats."""
    meeting = get_meeting(request, pk)
    seat = _own_seat(request, meeting, seat_pk)
    refusal = MeetingReply.refusal(meeting)
    if refusal:
        messages.error(request, refusal)
        return redirect("meetings:reply", meeting.pk)
    reply = MeetingReply.objects.filter(meeting=meeting, membership=seat).first()
    instance = reply or MeetingReply(meeting=meeting, membership=seat)
    form = MeetingReplyForm(request.POST, instance=instance, meeting=meeting, membership=seat)
    if not form.is_valid():
        messages.error(request, "Your reply was not sent: correct what is marked below.")
        bound = SeatReply(meeting, seat, reply, form)
        return _render_reply(request, meeting, bound=bound)
    saved = form.save(commit=False)
    saved.sent_by = person_of(request.user)
    saved.sent_at = timezone.now()
    saved.save()
    word = "changed" if reply else "sent"
    messages.success(
        request,
        f"Your reply for {seat.role_title} at the {meeting} meeting is {word}: {saved.describe()}.",
    )
    return redirect(_back_url(request, meeting))


@require_POST
def reply_withdraw(request, pk: int, seat_pk: int):
    """Withdraw the apologies or deputy sent for one of the member's own seats."""
    meeting = get_meeting(request, pk)
    seat = _own_seat(request, meeting, seat_pk)
    refusal = MeetingReply.refusal(meeting)
    if refusal:
        messages.error(request, refusal)
        return redirect("meetings:reply", meeting.pk)
    deleted, _ = MeetingReply.objects.filter(meeting=meeting, membership=seat).delete()
    if deleted:
        messages.success(
            request,
            f"Your reply for {seat.role_title} at the {meeting} meeting is withdrawn: "
            "you are expected to attend.",
        )
    else:
        messages.info(request, "There was no reply to withdraw.")
    return redirect(_back_url(request, meeting))
