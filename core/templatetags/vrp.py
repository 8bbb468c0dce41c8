"""Small template helpers shared by every app."""

from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed: keeps filters across pages."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def page_query(context, key: str, number: int) -> str:
    """The current query string on page `number` of the list paged by `key` (`page` unless
    a page holds two lists)."""
    return query_with(context, **{key or "page": number})


@register.filter
def due_label(action) -> str:
    """Words, not colour: "Overdue", "Due soon" or ""."""
    today = timezone.localdate()
    if action.is_overdue(today):
        return "Overdue"
    if action.due_soon(14, today):
        return "Due soon"
    return ""
