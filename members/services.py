"""People and their sign-in accounts: adding, inviting, editing, deactivating.

A person signs in with an account (core.User) whose login is the person's email.
The account starts with an unusable password: the invitation email carries a
one-time link to allauth's "choose a new password" page, made here directly.
Until the person chooses a password the account is "Invited". The request that asks
for an invitation makes the account; the email goes from a background job
(members.jobs), tried again if the mail server fails.

A changed email of a person with an account takes effect only once the new
address confirms it (allauth's email confirmation); the old address is told of
the request and, later, of the change. Until then both the person and their
account keep the old address, so nobody can take the account over by typing
in an address they control.
"""

from __future__ import annotations

import datetime as dt

from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.models import Group as Role
from django.db import models, transaction
from django.db.models import Case, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from core.emails import NotSent, templated_email
from core.models import AccountEvent
from core.permissions import CHAIR, MEMBER, ROLES, VRU_STAFF, person_of, role_names
from core.signals import record
from core.versioning import locked
from members.models import Person

ROLE_CHOICES = [(MEMBER, "Member"), (CHAIR, "Chair"), (VRU_STAFF, "VRU staff")]
# A user holding two roles shows as the more powerful.
_ROLES_BY_POWER = (VRU_STAFF, CHAIR, MEMBER)


class AccountState(models.TextChoices):
    INVITED = "invited", "Invited"
    ACTIVE = "active", "Active"
    NO_ACCOUNT = "no_account", "No account"
    DEACTIVATED = "deactivated", "Deactivated"


# Checked in order: the first that holds names the state; otherwise the account is active.
_STATE_CONDITIONS = [
    (AccountState.DEACTIVATED, Q(is_active=False) | Q(user__is_active=False)),
    (AccountState.NO_ACCOUNT, Q(user__isnull=True)),
    (AccountState.INVITED, Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)),
]


def with_account_state(people: QuerySet[Person]) -> QuerySet[Person]:
    """Annotate `account_state` (a code) and `account_state_label` (its words) in SQL.

    Done in the database so the list can filter on it and costs no query per row.
    """

    def case(value_of) -> Case:
        return Case(
            *(When(test, then=Value(value_of(state))) for state, test in _STATE_CONDITIONS),
            default=Value(value_of(AccountState.ACTIVE)),
            output_field=models.CharField(),
        )

    return people.annotate(
        account_state=case(lambda state: state.value),
        account_state_label=case(lambda state: state.label),
    )


def email_has_account(email: str, *, except_user_id: int | None = None) -> bool:
    """Whether a sign-in account other than `except_user_id` uses, or waits to confirm,
    this email."""
    users = get_user_model()._default_manager.filter(email__iexact=email)
    addresses = EmailAddress.objects.filter(email__iexact=email)
    if except_user_id is not None:
        users = users.exclude(pk=except_user_id)
        addresses = addresses.exclude(user_id=except_user_id)
    return users.exists() or addresses.exists()


def pending_email(user: AbstractBaseUser | None) -> str:
    """The new address a person's account waits to have confirmed, or ""."""
    if user is None:
        return ""
    address = EmailAddress.objects.filter(user=user, verified=False).order_by("-pk").first()
    return address.email if address else ""


def role_of(user: AbstractBaseUser | None) -> str:
    """The user's portal role (the most powerful they hold), or "" for none."""
    if user is None:
        return ""
    held = role_names(user)
    return next((role for role in _ROLES_BY_POWER if role in held), "")


def is_protected_account(user: AbstractBaseUser | None) -> bool:
    """VRU staff, the chair and administrators: their access is changed by superusers only."""
    if user is None:
        return False
    return user.is_superuser or user.is_staff or bool(role_names(user) & {VRU_STAFF, CHAIR})


def may_change_access(by: AbstractBaseUser | None, user: AbstractBaseUser | None) -> bool:
    """Whether `by` may change the email, role or active state of the account `user`."""
    return bool(getattr(by, "is_superuser", False)) or not is_protected_account(user)


def role_label(role: str) -> str:
    return dict(ROLE_CHOICES).get(role, "No portal role")


def _set_role(user: AbstractBaseUser, role: str) -> None:
    """Give the user exactly this portal role; groups outside the portal's roles stay."""
    user.groups.remove(*Role.objects.filter(name__in=ROLES).exclude(name=role))
    user.groups.add(Role.objects.get_or_create(name=role)[0])
    user.__dict__.pop("_vrp_roles", None)  # the role cache of core.permissions


def _new_account(person: Person, role: str) -> AbstractBaseUser:
    user = get_user_model()(email=person.email)
    user.set_unusable_password()
    user.save()
    _set_role(user, role)
    person.user = user
    person.save(update_fields=["user"])
    return user


def person_create(*, person: Person, role: str, by: AbstractBaseUser) -> Person:
    """Save a new person (built but unsaved) with a sign-in account in `role`.

    The account has no password yet: the invitation lets the person choose one.
    """
    with transaction.atomic():
        person.save()
        _new_account(person, role)
    return person


def person_edit(
    *,
    person: Person,
    role: str | None,
    by: AbstractBaseUser,
    request: HttpRequest | None = None,
    version: int | None = None,
) -> str:
    """Save staff's changes to a person (already applied to `person`) and to their account.

    `version` is the one the edit was started from: a person saved by somebody else
    since is not overwritten (core.versioning.EditConflict).

    `role` applies to people with an account; None leaves the role as it is. A new
    email of a person with an account is not saved: a confirmation goes to the new
    address and a notice to the old, and the change happens once it is confirmed.
    Returns that new address, or "" when the email was saved or did not change.
    """
    user = person.user
    waiting = ""
    with transaction.atomic():
        if version is not None:
            locked(Person, person.pk, version)
        old_email = Person.objects.values_list("email", flat=True).get(pk=person.pk)
        if user is not None and person.email != old_email:
            waiting, person.email = person.email, old_email
        person.save()
        if user is not None and role and role != role_of(user):
            _set_role(user, role)
        if waiting:
            address = _request_email_change(user, waiting, by=by)
    if waiting:
        address.send_confirmation(request)
        get_adapter(request).send_notification_mail(
            "account/email/email_change_requested",
            user,
            context={"from_email": old_email, "to_email": waiting},
            email=old_email,
        )
    return waiting


def _request_email_change(user: AbstractBaseUser, email: str, *, by) -> EmailAddress:
    """The account's one unconfirmed address: an earlier request is replaced."""
    EmailAddress.objects.filter(user=user, verified=False).delete()
    address = EmailAddress.objects.create(user=user, email=email, verified=False, primary=False)
    record(user, AccountEvent.Kind.EMAIL_CHANGE_REQUESTED, f"{user.email} → {email}", actor=by)
    return address


def person_deactivate(*, person: Person, by: AbstractBaseUser) -> Person:
    """Stop the person signing in and appearing as active; nothing is deleted.

    Their seats and actions stay as they are, for staff to end or reassign.
    """
    with transaction.atomic():
        person.is_active = False
        person.save(update_fields=["is_active"])
        if person.user is not None:
            person.user.is_active = False
            person.user.save(update_fields=["is_active"])
    return person


def person_reactivate(*, person: Person, by: AbstractBaseUser) -> Person:
    with transaction.atomic():
        person.is_active = True
        person.save(update_fields=["is_active"])
        if person.user is not None:
            person.user.is_active = True
            person.user.save(update_fields=["is_active"])
    return person


def set_password_url(user: AbstractBaseUser) -> str:
    """An absolute, one-time link to choose a password, valid for PASSWORD_RESET_TIMEOUT.

    It is allauth's password reset link, so the password rules, the throttles and
    the security notice are those of every other reset.
    """
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    return get_adapter().get_reset_password_from_key_url(key)


def invitation_days() -> int:
    """How many days an invitation link works: Django's password reset timeout."""
    return dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT).days


def _sender_name(by: AbstractBaseUser | None) -> str:
    if by is None:
        return "The Violence Reduction Unit"
    person = person_of(by)
    if person is not None:
        return person.full_name
    return by.get_full_name() or "The Violence Reduction Unit"


def invitation_account(*, person: Person, role: str = MEMBER) -> AbstractBaseUser:
    """The person's sign-in account, made now in `role` if they have none; an existing
    account keeps its role.

    The request that asks for the invitation makes it, not the job that sends the email:
    the person's page then shows them "Invited" at once (not the form that makes an
    account, which could be sent twice while the job waits), and the account is there to
    send the invitation again if the email fails.
    """
    if person.user is None:
        with transaction.atomic():
            _new_account(person, role)
    return person.user


def invitation_refusal(person: Person) -> str | None:
    """Why no invitation may go to the person now, or None when it may.

    The page checks this before queueing (with the person's name); the job checks it again
    when it runs, since the person may have been deactivated or chosen a password in
    between. The words name nobody: they are kept in the job's record.
    """
    user = person.user
    if not person.is_active or (user is not None and not user.is_active):
        return "Not sent: the person has been deactivated. Reactivate them to invite them."
    if user is None:
        return "Not sent: the person has no sign-in account yet."
    if user.has_usable_password():
        return "Not sent: the person has chosen a password, so needs no invitation."
    return None


def person_invite(*, person: Person, by: AbstractBaseUser | None) -> None:
    """Email the person a link to choose a password (members.jobs runs this).

    NotSent when `invitation_refusal` says so. Raises whatever the mail backend raises
    (smtplib.SMTPException, OSError) when the email cannot be sent: the job tries again.
    `by` is None when the account of the member of staff who asked has gone since.
    """
    refusal = invitation_refusal(person)
    if refusal:
        raise NotSent(refusal)
    context = {
        "person": person,
        "url": set_password_url(person.user),
        "sender": _sender_name(by),
        "days": invitation_days(),
        "login_url": settings.SITE_URL + reverse("account_login"),
        "site_url": settings.SITE_URL,
    }
    with translation.override(settings.LANGUAGE_CODE):
        message = templated_email("members/emails/invitation", context, to=person.email)
    message.send()
