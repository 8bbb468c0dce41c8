"""Who changed what, and when: the audit trail django-simple-history keeps, in words.

Every model of the portal's apps keeps its history (`history = HistoricalRecords()`);
HistoryRequestMiddleware records the signed-in user who made each change. VRU staff
see it on each object's page through `{% history_section %}` (core/templatetags/
audit.py) and the partial `templates/partials/history.html`, and `history_entries`
here is the one helper that turns historical rows into those lines.

People are named as everywhere else (core.permissions.user_display_name): by their
name, never their email address. A change made by a command or the system has no
user, and says so.

The cost is a fixed number of queries whatever the history holds: one per source,
and one per foreign key that any row of the source sets (related rows are fetched in
bulk, so naming them costs no query per row).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import formats, timezone

from core.permissions import user_display_name

SYSTEM = "The system (no one signed in)"
# Long texts are cut in the history: the object's page shows them in full.
TEXT_LIMIT = 200
KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    by: str
    kind: str  # "Created", "Changed" or "Deleted"
    subject: str  # what was changed: "Meeting", or "Attendance: Comms lead (Police)"
    changes: list[Change] = field(default_factory=list)


def _historical_rows(source) -> tuple[type[models.Model], models.QuerySet, bool]:
    """(model, its historical rows, whether each row must say which object it is) for a
    model instance, a reverse foreign-key manager (`meeting.attendances`: the rows that
    pointed at the parent, deleted ones included) or a queryset."""
    if isinstance(source, models.Model):
        model = type(source)
        return model, model.history.filter(id=source.pk), False
    if isinstance(source, models.QuerySet):
        model = source.model
        return model, model.history.filter(id__in=source.values("pk")), True
    # A reverse foreign-key manager knows its model, its field and the parent.
    model, link = source.model, source.field
    return model, model.history.filter(**{link.attname: source.instance.pk}), True


def _tracked(model: type[models.Model]) -> list[models.Field]:
    """The fields a person edits: not the id, timestamps, version or sequence numbers."""
    return [f for f in model.history.model.tracked_fields if f.editable and not f.primary_key]


def _related_objects(model, rows) -> dict[str, dict[Any, models.Model]]:
    """Every object the rows' foreign keys point at, by field name and id: one query per
    foreign key that any row sets."""
    found: dict[str, dict[Any, models.Model]] = {}
    user_model = get_user_model()
    for fk in model.history.model.tracked_fields:
        if not fk.many_to_one:
            continue
        ids = {getattr(row, fk.attname) for row in rows} - {None}
        if not ids:
            continue
        target = fk.related_model
        if target is user_model:
            joins = _user_joins()
        else:
            joins = [f.name for f in target._meta.concrete_fields if f.many_to_one]
        found[fk.name] = target._base_manager.select_related(*joins).in_bulk(ids)
    return found


def _user_joins(prefix: str = "") -> list[str]:
    """The join that names an account by its person (members.Person.user), when it exists."""
    user_model = get_user_model()
    has_person = any(rel.name == "person" for rel in user_model._meta.related_objects)
    return [f"{prefix}person"] if has_person else []


def _text(value: Any) -> str:
    """A stored value as a person reads it: British dates, Yes/No, cut long texts."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, dict | list):
        return "(structured content)"
    text = str(value) if not isinstance(value, Decimal) else format(value, "f")
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def _value(row, fk_or_field: models.Field, related: dict) -> str:
    value = getattr(row, fk_or_field.attname)
    if value is None or value == "":
        return _text(value)
    if fk_or_field.many_to_one:
        target = related.get(fk_or_field.name, {}).get(value)
        if target is None:
            return "(no longer held)"
        if isinstance(target, get_user_model()):
            return user_display_name(target)
        return _text(str(target))
    if fk_or_field.choices:
        return _text(dict(fk_or_field.flatchoices).get(value, value))
    return _text(value)


def _subject(model, row, related: dict, name_each: bool) -> str:
    """The object's kind and, unless the source was one object, which one it is."""
    kind = _capitalised(model._meta.verbose_name)
    if not name_each:
        return kind
    instance = row.history_object
    # Give the instance the related rows already fetched, so that str() queries nothing.
    for fk in model.history.model.tracked_fields:
        if fk.many_to_one:
            target = related.get(fk.name, {}).get(getattr(row, fk.attname))
            if target is not None:
                fk.set_cached_value(instance, target)
            elif getattr(row, fk.attname) is not None:
                return kind  # what it pointed at is gone: naming it would cost a query
    name = str(instance)
    return name if name.lower().startswith(kind.lower()) else f"{kind}: {name}"


def _who(row) -> str:
    return user_display_name(row.history_user) if row.history_user_id else SYSTEM


def history_entries(*sources, limit: int | None = None) -> tuple[list[HistoryEntry], int]:
    """The changes recorded for `sources`, newest first, and how many there are in all.

    Each source is a model instance (its own history), a reverse foreign-key manager of
    the first instance (`meeting.attendances`: its children's history) or a queryset.
    A save that changed nothing a person edits (a timestamp, a version) is left out.
    """
    entries: list[HistoryEntry] = []
    for source in sources:
        model, history, name_each = _historical_rows(source)
        # In the order they were written, which is the order of their ids.
        joins = ("history_user", *_user_joins("history_user__"))
        rows = list(history.select_related(*joins).order_by("id", "history_id"))
        related = _related_objects(model, rows)
        fields = _tracked(model)
        previous: dict[Any, Any] = {}
        for row in rows:
            before = previous.get(row.id)
            previous[row.id] = row
            entry = _entry(model, row, before, fields, related, name_each)
            if entry is not None:
                entries.append(entry)
    # Newest first; changes made at the same instant keep the order they were made in.
    entries.reverse()
    entries.sort(key=lambda entry: entry.at, reverse=True)
    total = len(entries)
    return (entries if limit is None else entries[:limit]), total


def _entry(model, row, before, fields, related, name_each) -> HistoryEntry | None:
    kind = KINDS.get(row.history_type, "Changed")
    changes: list[Change] = []
    if row.history_type == "~" and before is not None:
        for tracked in fields:
            old, new = getattr(before, tracked.attname), getattr(row, tracked.attname)
            if old != new:
                changes.append(
                    Change(
                        field=_capitalised(tracked.verbose_name),
                        old=_value(before, tracked, related),
                        new=_value(row, tracked, related),
                    )
                )
        if not changes:
            return None
    return HistoryEntry(
        at=row.history_date,
        by=_who(row),
        kind=kind,
        subject=_subject(model, row, related, name_each),
        changes=changes,
    )


def _capitalised(name) -> str:
    name = str(name)
    return name[:1].upper() + name[1:]
