"""Action sections that other apps' pages embed (the meeting page's actions)."""

from django import template

register = template.Library()


@register.inclusion_tag("actions/partials/meeting_actions.html", takes_context=True)
def meeting_actions(context, meeting):
    """Actions raised at `meeting`, for its page."""
    return {
        "request": context["request"],
        "meeting": meeting,
        "raised": meeting.actions.select_related("owner", "agency").order_by("due_date", "pk"),
    }
