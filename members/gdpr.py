"""UK GDPR duties towards a person: their subject access export, and anonymising them.

Subject access (UK GDPR Article 15). `subject_access(person)` gathers everything the
portal holds about a person: their details, their account (never a password hash, a
second factor's secret or the calendar token), their seats, attendance, the actions
they own, the updates and key updates they wrote, the reminders sent to them, the
history of their record and of their account, and every other record of the portal
that points at them. It is drawn from the relations themselves (upper apps' models
are named by their labels, as string foreign keys are), so a record added by a later
issue is exported without anyone remembering to list it. `subject_access_json` and
`subject_access_docx` write it out.

Anonymising (Article 17, for a person who has left). Nothing is hard-deleted through
the portal, so a person is anonymised instead: their name becomes "Former member 17",
their email a placeholder that cannot be delivered, their job title goes, their
account is closed and named likewise, and the history of their record is rewritten
the same way. The rows that make the figures — seats, attendance, actions — are not
touched, so every attendance and action figure, and every finalised quarterly update
(which stays exactly as it was sent), is the same afterwards.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.utils import formats, timezone
from docx import Document

from core.history import history_entries
from core.models import AccountEvent
from core.permissions import role_names, user_display_name
from core.signals import record
from core.text import clean_text
from members.models import Person, new_calendar_token
from members.services import is_protected_account

PLACEHOLDER_DOMAIN = "invalid.example"  # RFC 2606 and 6761: never delivered anywhere
PORTAL_APPS = ("core", "members", "meetings", "actions", "tracker", "portal")

# What the export says about the records that point at a person (or their account):
# (key, title, model label, the field pointing at them, fields shown). "user" fields
# point at the account.
SECTIONS = (
    (
        "seats",
        "Seats",
        "members.Membership",
        "person",
        (
            "group",
            "agency",
            "role_title",
            "position",
            "attendance_status",
            "tor_sent_on",
            "start_date",
            "end_date",
        ),
    ),
    (
        "attendance",
        "Attendance",
        "meetings.Attendance",
        "person",
        ("meeting", "membership", "status", "deputy_name"),
    ),
    (
        "actions_owned",
        "Actions owned",
        "actions.Action",
        "owner",
        (
            "id",
            "title",
            "detail",
            "group",
            "meeting",
            "agency",
            "due_date",
            "status",
            "completed_on",
            "cancelled_reason",
            "created_at",
        ),
    ),
    (
        "action_updates_written",
        "Action updates written",
        "actions.ActionUpdate",
        "author",
        ("action", "author_name", "text", "old_status", "new_status", "created_at"),
    ),
    (
        "key_updates_written",
        "Key updates and decisions recorded",
        "meetings.KeyUpdate",
        "created_by",
        ("meeting", "kind", "text", "for_svrp", "created_at"),
    ),
    (
        "reminders_sent",
        "Reminder emails sent",
        "actions.ReminderSent",
        "person",
        ("action", "kind", "for_date", "sent_at"),
    ),
)
# Relations shown elsewhere in the export, or not data about the person.
SHOWN_ELSEWHERE = {
    ("members.Person", "user"),  # the person's own record
    ("core.AccountEvent", "subject"),  # the account record
}
TITLES = {
    "export": "About this export",
    "person": "Person",
    "account": "Sign-in account",
    "second_factors": "Second factors (by type only)",
    "email_addresses": "Email addresses of the account",
    "microsoft_sign_in": "Sign in with Microsoft",
    "sessions": "Signed-in sessions",
    **{key: title for key, title, *_ in SECTIONS},
    "history": "History of the person's record",
    "account_events": "Account record",
    "changes_made": "Changes recorded as made by them",
    "other_records": "Other records naming them",
}


# --- Subject access -------------------------------------------------------------------


def subject_access(person: Person, *, by: AbstractBaseUser | None = None) -> dict[str, Any]:
    """Everything the portal holds about `person`, section by section, in Python values."""
    user = person.user
    data: dict[str, Any] = {
        "export": {
            "person_id": person.pk,
            "made_at": timezone.now(),
            "made_by": user_display_name(by) if by is not None else "",
            "basis": "Subject access request, UK GDPR Article 15",
        },
        "person": {
            "id": person.pk,
            "full_name": person.full_name,
            "email": person.email,
            "job_title": person.job_title,
            "agency": person.agency.name,
            "active": person.is_active,
            "no_reminder_emails": person.reminders_opt_out,
            "anonymised": is_anonymised(person),
        },
        "account": None,
        "second_factors": [],
        "email_addresses": [],
        "microsoft_sign_in": [],
        "sessions": [],
    }
    if user is not None:
        data.update(_account(user))
    for key, _title, label, field, shown in SECTIONS:
        data[key] = _section(label, field, shown, person=person, user=user)
    entries, _total = history_entries(person)
    data["history"] = [
        {
            "at": entry.at,
            "by": entry.by,
            "change": entry.kind,
            "fields": [f"{c.field}: {c.old} → {c.new}" for c in entry.changes],
        }
        for entry in entries
    ]
    data["account_events"] = _account_events(user)
    data["changes_made"] = _changes_made(user)
    data["other_records"] = _other_records(person, user)
    return data


def _account(user: AbstractBaseUser) -> dict[str, Any]:
    return {
        "account": {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "roles": sorted(role_names(user)),
            "active": user.is_active,
            "administrator": user.is_superuser or user.is_staff,
            "password_set": user.has_usable_password(),
            "date_joined": user.date_joined,
            "last_sign_in": user.last_login,
        },
        # The type and dates only: never a secret, a key or a recovery code.
        "second_factors": [
            {
                "type": authenticator.get_type_display(),
                "added": authenticator.created_at,
                "last_used": authenticator.last_used_at,
            }
            for authenticator in Authenticator.objects.filter(user=user).order_by("created_at")
        ],
        "email_addresses": [
            {"email": address.email, "confirmed": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "microsoft_sign_in": [
            {
                "provider": linked.provider,
                "linked": linked.date_joined,
                "last_used": linked.last_login,
            }
            for linked in SocialAccount.objects.filter(user=user).order_by("pk")
        ],
        "sessions": [
            {
                "started": session.created_at,
                "last_seen": session.last_seen_at,
                "address": session.ip,
                "browser": session.user_agent,
            }
            for session in UserSession.objects.filter(user=user).order_by("created_at")
        ],
    }


def _joins(model: type[models.Model], names) -> list[str]:
    """select_related paths so that each foreign key and its name (str) cost no query."""
    paths = []
    for name in names:
        field = model._meta.get_field(name)
        if field.many_to_one:
            paths.append(name)
            paths += [
                f"{name}__{inner.name}"
                for inner in field.related_model._meta.concrete_fields
                if inner.many_to_one and inner.related_model is not get_user_model()
            ]
    return paths


def _row(obj: models.Model, names) -> dict[str, Any]:
    row = {}
    for name in names:
        field = obj._meta.get_field(name)
        if field.many_to_one:
            related = getattr(obj, name)
            value = None if related is None else str(related)
        elif field.choices:
            value = getattr(obj, f"get_{name}_display")() if getattr(obj, name) else ""
        else:
            value = getattr(obj, field.attname)
        row[name] = value
    return row


def _section(label: str, field: str, shown, *, person, user) -> list[dict[str, Any]]:
    model = apps.get_model(label)
    target = user if model._meta.get_field(field).related_model is get_user_model() else person
    if target is None:
        return []
    rows = model._base_manager.filter(**{field: target}).select_related(*_joins(model, shown))
    return [_row(obj, shown) for obj in rows.order_by("pk")]


def _account_events(user) -> list[dict[str, Any]]:
    if user is None:
        return []
    events = AccountEvent.objects.filter(subject=user).select_related("actor").order_by("at", "pk")
    return [
        {
            "at": event.at,
            "kind": event.get_kind_display(),
            "detail": event.detail,
            "by": user_display_name(event.actor) if event.actor_id else "The system",
        }
        for event in events
    ]


def _models_with_history():
    for app in PORTAL_APPS:
        for model in apps.get_app_config(app).get_models():
            if hasattr(model, "history") and not _is_historical(model):
                yield model


def _is_historical(model) -> bool:
    return hasattr(model, "instance_type")


def _changes_made(user) -> list[dict[str, Any]]:
    """How many changes the history records as made by them, per kind of record."""
    if user is None:
        return []
    counts = []
    for model in _models_with_history():
        count = model.history.filter(history_user=user).count()
        if count:
            counts.append({"record": str(model._meta.verbose_name_plural), "changes": count})
    return counts


def relations_to(model: type[models.Model]):
    """(model label, field name) of every portal record that points at `model`."""
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and relation.is_relation):
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        related = relation.related_model
        if related._meta.auto_created:
            continue  # a many-to-many table (an account's roles): shown with the account
        if related._meta.app_label in PORTAL_APPS and not _is_historical(related):
            yield related._meta.label, relation.field.name


def _other_records(person: Person, user) -> list[dict[str, Any]]:
    """Every other portal record pointing at the person or their account: what it is and
    how it names them."""
    exported = {(label, field) for _key, _title, label, field, _shown in SECTIONS}
    rows = []
    for target, kind in ((person, Person), (user, get_user_model())):
        if target is None:
            continue
        for label, field in relations_to(kind):
            if (label, field) in exported | SHOWN_ELSEWHERE:
                continue
            model = apps.get_model(label)
            joins = [
                f.name
                for f in model._meta.concrete_fields
                if f.many_to_one and f.related_model is not get_user_model()
            ]
            objects = model._base_manager.filter(**{field: target}).select_related(*joins)
            for obj in objects.order_by("pk"):
                rows.append(
                    {
                        "record": str(model._meta.verbose_name),
                        "id": obj.pk,
                        "as": str(model._meta.get_field(field).verbose_name),
                        "description": str(obj),
                    }
                )
    return rows


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def subject_access_json(data: dict[str, Any]) -> bytes:
    return json.dumps(_jsonable(data), indent=2, ensure_ascii=False).encode("utf-8")


def _words(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, list):
        return "; ".join(_words(item) for item in value) or "—"
    return clean_text(str(value))


# Column names in words where the field's name does not read well.
WORDS = {"id": "Number", "person_id": "Person number", "tor_sent_on": "ToR sent on"}
WORDS |= {"for_svrp": "For the SVRP", "as": "Names them as"}


def _heading(key: str) -> str:
    return WORDS.get(key) or key.replace("_", " ").capitalize()


def _pairs_table(document, row: dict[str, Any]) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for key, value in row.items():
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(_heading(key)).bold = True
        cells[1].text = _words(value)


def _rows_table(document, rows: list[dict[str, Any]]) -> None:
    keys = list(rows[0])
    table = document.add_table(rows=1, cols=len(keys))
    table.style = "Table Grid"
    for cell, key in zip(table.rows[0].cells, keys, strict=True):
        cell.paragraphs[0].add_run(_heading(key)).bold = True
    for row in rows:
        for cell, key in zip(table.add_row().cells, keys, strict=True):
            cell.text = _words(row[key])


def subject_access_docx(data: dict[str, Any]) -> bytes:
    """The same export as a Word document: one heading and table per section."""
    document = Document()
    title = clean_text(f"Subject access export: {data['person']['full_name']}")
    document.core_properties.title = title
    document.core_properties.author = settings.PORTAL_NAME
    document.add_heading(title, level=0)
    document.add_paragraph(
        f"Everything the {settings.PORTAL_NAME} holds about this person, as at the time below. "
        "Passwords, second-factor secrets and calendar feed addresses are never shown."
    )
    for key, value in data.items():
        document.add_heading(TITLES.get(key, _heading(key)), level=1)
        if isinstance(value, dict):
            _pairs_table(document, value)
        elif not value:
            document.add_paragraph("None held." if key != "account" else "No sign-in account.")
        elif len(value[0]) <= 5:
            _rows_table(document, value)
        else:
            for row in value:
                _pairs_table(document, row)
                document.add_paragraph()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- Anonymising ----------------------------------------------------------------------


def pseudonym(person: Person) -> str:
    return f"Former member {person.pk}"


def placeholder_email(person: Person) -> str:
    return f"former-{person.pk}@{PLACEHOLDER_DOMAIN}"


def is_anonymised(person: Person) -> bool:
    return person.email == placeholder_email(person)


def may_anonymise(by: AbstractBaseUser, person: Person) -> bool:
    """VRU staff anonymise people; VRU staff, the chair and administrators only a
    superuser does (their access is a superuser's to change, members.services)."""
    return bool(getattr(by, "is_superuser", False)) or not is_protected_account(person.user)


def anonymise_blockers(person: Person, *, by: AbstractBaseUser) -> list[str]:
    """What stops `by` anonymising `person` now, in words; empty when nothing does.

    A person who has left holds no seat and owns no outstanding action: ending and
    reassigning those first keeps the distribution list and the action log true.
    """
    blockers = []
    if person.user_id is not None and person.user_id == by.pk:
        blockers.append("You cannot anonymise yourself.")
    today = timezone.localdate()
    seats = person.memberships.filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).count()
    if seats:
        blockers.append(
            f"{person.full_name} still holds {seats} seat{'s' if seats > 1 else ''}: "
            "end each seat, or give it to someone else, first."
        )
    outstanding = person.actions.outstanding().count()
    if outstanding:
        blockers.append(
            f"{person.full_name} still owns {outstanding} outstanding "
            f"action{'s' if outstanding > 1 else ''}: reassign, complete or cancel "
            f"{'them' if outstanding > 1 else 'it'} first."
        )
    return blockers


def _old_emails(person: Person, user) -> set[str]:
    emails = {person.email}
    emails |= set(Person.history.filter(id=person.pk).values_list("email", flat=True))
    if user is not None:
        emails.add(user.email)
        emails |= set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    return {email.lower() for email in emails if email}


def person_anonymise(*, person: Person, by: AbstractBaseUser) -> Person:
    """Replace everything that identifies `person`, in their record, its history and
    their account; keep every seat, attendance and action row as it is.

    The caller has checked `may_anonymise` and `anonymise_blockers`.
    """
    user = person.user
    name, email = pseudonym(person), placeholder_email(person)
    with transaction.atomic():
        # One at a time: a second click, or a colleague's, finds the work done.
        if is_anonymised(Person.objects.select_for_update().get(pk=person.pk)):
            person.refresh_from_db()
            return person
        old_emails = _old_emails(person, user)
        person.full_name, person.email, person.job_title = name, email, ""
        person.is_active = False
        person.calendar_token = new_calendar_token()  # the old feed address stops working
        person.save()
        # The history of their record names them too.
        Person.history.filter(id=person.pk).update(full_name=name, email=email, job_title="")
        _rename_in_admin_log(Person, person.pk, name)
        if user is not None:
            _close_account(user, email=email, name=name, old_emails=old_emails, by=by)
        for table in (AccessAttempt, AccessFailureLog, AccessLog):
            table.objects.filter(username__in=old_emails).update(username=email)
    return person


def _close_account(user, *, email: str, name: str, old_emails: set[str], by) -> None:
    """Close and rename the account: no way in, nothing that names them."""
    user.email, user.first_name, user.last_name = email, "", ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.filter(user=user).exclude(email__iexact=email).delete()
    SocialAccount.objects.filter(user=user).delete()  # a Microsoft identity, with its claims
    if Authenticator.objects.filter(user=user).delete()[0]:
        record(user, AccountEvent.Kind.SECOND_FACTOR_REMOVED, "Every second factor", actor=by)
    for session in UserSession.objects.filter(user=user):
        session.end()
    # Updates they wrote carry their name, as written.
    update = apps.get_model("actions", "ActionUpdate")
    update._base_manager.filter(author=user).update(author_name=name)
    if hasattr(update, "history"):
        update.history.filter(author_id=user.pk).update(author_name=name)
    _rename_in_admin_log(get_user_model(), user.pk, str(user))
    # The account record keeps what happened, without the addresses it happened to.
    events = list(AccountEvent.objects.filter(subject=user))
    for event in events:
        for old in old_emails:
            event.detail = _replace_ignoring_case(event.detail, old, email)
    AccountEvent.objects.bulk_update(events, ["detail"])
    record(user, AccountEvent.Kind.ANONYMISED, "Name, email and job title replaced", actor=by)


def _replace_ignoring_case(text: str, old: str, new: str) -> str:
    lowered, start, parts = text.lower(), 0, []
    while (found := lowered.find(old, start)) != -1:
        parts += [text[start:found], new]
        start = found + len(old)
    return "".join(parts) + text[start:]


def _rename_in_admin_log(model: type[models.Model], pk: int, name: str) -> None:
    content_type = ContentType.objects.get_for_model(model)
    LogEntry.objects.filter(content_type=content_type, object_id=str(pk)).update(object_repr=name)
