from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from actions.models import Action
from core.permissions import is_vru_staff, person_of, role_required
from meetings.models import Meeting
from meetings.selectors import my_upcoming_meetings, seat_replies
from members.models import Membership
from tracker.selectors import groups_due_revision

DASHBOARD_MEETINGS = 3


@role_required
def dashboard(request):
    person = person_of(request.user)
    meetings = Meeting.objects.upcoming().select_related("group", "host_agency")
    if not is_vru_staff(request.user):
        # Everyone else sees the next meeting of a group they hold a seat on now, if any.
        seats = Membership.objects.current().filter(person=person) if person else []
        meetings = meetings.filter(group__memberships__in=seats).distinct()
    my_actions = (
        Action.objects.outstanding()
        .owned_by(person)
        .select_related("group", "meeting")
        .order_by("due_date", "pk")
    )
    context = {
        "person": person,
        "next_meeting": meetings.first(),
        "my_actions": my_actions[:10],
        "my_actions_count": my_actions.count(),
        "groups_due_revision": groups_due_revision(timezone.localdate()),
        # The next few meetings the person holds a seat at, with what they have sent.
        "my_meetings": seat_replies(my_upcoming_meetings(person)[:DASHBOARD_MEETINGS], person),
    }
    if is_vru_staff(request.user):
        context["overdue_by_agency"] = (
            Action.objects.overdue()
            .values("agency", "agency__name")
            .annotate(count=Count("pk"))
            .order_by("-count", "agency__name")
        )
        # A meeting that has happened but has no register yet needs staff's attention.
        context["awaiting_register"] = (
            Meeting.objects.past()
            .exclude(status=Meeting.Status.CANCELLED)
            .filter(attendances__isnull=True)
            .select_related("group")[:5]
        )
    return render(request, "dashboard.html", context)
