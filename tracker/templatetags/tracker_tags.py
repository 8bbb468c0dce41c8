"""Figures as the quarterly update writes them, for the tracker's templates."""

from django import template

from tracker.report_layout import cell_text, figure

register = template.Library()

register.filter("cell", cell_text)
register.filter("figure", figure)


@register.filter
def actions_summary(activity) -> str:
    """ "2 open, 1 done": a ToC activity's linked actions in words."""
    return f"{activity.actions_open} open, {activity.actions_done} done"
