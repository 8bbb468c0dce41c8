"""`{% history_section object [children…] %}`: who changed what, shown to VRU staff only.

    {% load audit %}
    {% history_section meeting meeting.attendances meeting.key_updates %}

Sources are those of core.history.history_entries. Anyone who is not VRU staff gets
nothing, and costs no query.
"""

from django import template

from core.history import history_entries
from core.permissions import is_vru_staff

register = template.Library()

# The newest changes on an object's page; the admin keeps every row.
SHOWN = 20


@register.inclusion_tag("partials/history.html", takes_context=True)
def history_section(context, *sources, heading: str = "History"):
    request = context.get("request")
    if request is None or not is_vru_staff(request.user) or not sources:
        return {"shown": False}
    entries, total = history_entries(*sources, limit=SHOWN)
    return {"shown": True, "entries": entries, "total": total, "heading": heading}
