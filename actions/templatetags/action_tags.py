"""Action sections that other apps' pages embed, and small display helpers."""

from django import template

from actions.access import can_manage
from actions.action_note import note_refusal
from actions.forms import MeetingActionForm
from actions.models import Action
from meetings.models import Meeting

register = template.Library()

STATUS_BADGES = {
    Action.Status.OPEN: "text-bg-light border",
    Action.Status.IN_PROGRESS: "text-bg-info",
    Action.Status.DONE: "text-bg-success",
    Action.Status.CANCELLED: "text-bg-secondary",
}


@register.filter
def status_badge(action: Action) -> str:
    """Bootstrap classes for the status badge; the badge always spells the status out."""
    return STATUS_BADGES.get(action.status, "text-bg-light border")


@register.inclusion_tag("actions/partials/meeting_actions.html", takes_context=True)
def meeting_actions(context, meeting):
    """Actions raised at `meeting`, matters arising from earlier meetings, and for staff the
    inline form to log an action and the action note's button, with when it last went.
    A fixed number of queries whatever the data size."""
    request = context["request"]
    may_log = can_manage(request.user) and meeting.status != Meeting.Status.CANCELLED
    note = None
    if can_manage(request.user) and not note_refusal(meeting):
        note = {"last_sent": meeting.action_note_sends.order_by("-sent_at", "-pk").first()}
    actions = Action.objects.select_related("owner", "agency")
    raised = actions.filter(meeting=meeting).order_by("due_date", "pk")
    arising = (
        actions.outstanding()
        .filter(group_id=meeting.group_id, meeting__starts_at__lt=meeting.starts_at)
        .select_related("meeting__group")
        .order_by("due_date", "pk")
    )
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "meeting": meeting,
        "raised": raised,
        "arising": arising,
        "form": MeetingActionForm(meeting=meeting) if may_log else None,
        "note": note,
    }
