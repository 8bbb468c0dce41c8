"""Sign-in events: the session's clocks, the security log and the account record.

Connected in CoreConfig.ready. Account changes are caught at the model, so one made
in the portal's pages, the admin, the sign-in pages or a command is recorded alike.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.mfa import signals as mfa_signals
from allauth.usersessions.models import UserSession
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model, user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save

from core.middleware import start_session_clock
from core.models import AccountEvent, User, normalise_email
from core.second_factor import HAS_SECOND_FACTOR, user_has_second_factor
from core.security import log_event, login_email


def _actor():
    """Who is making the change: the signed-in person of the current request, if any."""
    request = context.request
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def record(subject, kind: str, detail: str = "", *, actor=None) -> AccountEvent:
    event = AccountEvent.objects.create(
        subject=subject, kind=kind, detail=detail[:500], actor=actor or _actor()
    )
    log_event(
        f"account_{kind}",
        context.request,
        user_id=event.actor_id,
        subject_id=subject.pk,
    )
    return event


def on_logged_in(sender, request, user, **kwargs) -> None:
    start_session_clock(request)
    if user_has_second_factor(user):
        request.session[HAS_SECOND_FACTOR] = True
    log_event("sign_in", request, user_id=user.pk)


def on_logged_out(sender, request, user, **kwargs) -> None:
    """Signing out ends every session of that person, on every device."""
    if user is None:
        return
    for session in UserSession.objects.purge_and_list(user):
        if session.session_key != request.session.session_key:
            session.end()
    log_event("sign_out", request, user_id=user.pk)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    email = login_email(request, credentials)
    user_id = (
        get_user_model()._default_manager.filter(email=email).values_list("pk", flat=True).first()
        if email
        else None
    )
    log_event("sign_in_failed", request, user_id=user_id)


def on_locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
    email = normalise_email(username or "")
    user_id = (
        get_user_model()._default_manager.filter(email=email).values_list("pk", flat=True).first()
    )
    log_event("locked_out", request, user_id=user_id)


def on_second_factor_failed(sender, request, user, **kwargs) -> None:
    log_event("second_factor_failed", request, user_id=user.pk)


def on_authenticator_added(sender, request, user, authenticator, **kwargs) -> None:
    request.session[HAS_SECOND_FACTOR] = True
    record(user, AccountEvent.Kind.SECOND_FACTOR_ADDED, authenticator.get_type_display())


def on_authenticator_removed(sender, request, user, authenticator, **kwargs) -> None:
    request.session.pop(HAS_SECOND_FACTOR, None)
    record(user, AccountEvent.Kind.SECOND_FACTOR_REMOVED, authenticator.get_type_display())


_RECORDED_FIELDS = ("email", "is_active", "is_staff", "is_superuser", "password")


def on_user_saving(sender, instance: User, raw=False, update_fields=None, **kwargs) -> None:
    """Record changes of email, active state, admin rights and password."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(_RECORDED_FIELDS):
        return  # last_login, say
    before = sender._default_manager.filter(pk=instance.pk).first()
    if before is None:
        return
    email = normalise_email(instance.email)
    if before.email != email:
        record(instance, AccountEvent.Kind.EMAIL_CHANGED, f"{before.email} → {email}")
    if before.is_active != instance.is_active:
        kind = AccountEvent.Kind.ACTIVATED if instance.is_active else AccountEvent.Kind.DEACTIVATED
        record(instance, kind)
    rights = ("is_staff", "is_superuser")
    if any(getattr(before, name) != getattr(instance, name) for name in rights):
        detail = ", ".join(f"{name}={getattr(instance, name)}" for name in rights)
        record(instance, AccountEvent.Kind.ADMIN_RIGHTS_CHANGED, detail)
    if before.password != instance.password:
        record(instance, AccountEvent.Kind.PASSWORD_CHANGED)


def on_user_saved(sender, instance: User, created=False, raw=False, update_fields=None, **kw):
    """Keep the account's address as its confirmed, primary address in allauth.

    Addresses are set by VRU staff or an operator (and are confirmed before any
    password exists, by the invitation sent there) or confirmed through allauth.
    """
    if raw or (update_fields is not None and "email" not in update_fields):
        return
    addresses = EmailAddress.objects.filter(user=instance)
    if addresses.filter(email__iexact=instance.email, primary=True, verified=True).exists():
        return
    addresses.exclude(email__iexact=instance.email).update(primary=False)
    addresses.update_or_create(
        email__iexact=instance.email,
        defaults={"email": instance.email, "primary": True, "verified": True},
        create_defaults={"user": instance, "email": instance.email},
    )


def on_roles_changed(sender, instance, action, pk_set=None, reverse=False, **kwargs) -> None:
    if reverse or action not in ("post_add", "post_remove", "post_clear"):
        return
    names = ", ".join(instance.groups.order_by("name").values_list("name", flat=True))
    record(instance, AccountEvent.Kind.ROLE_CHANGED, f"Roles now: {names or 'none'}")


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="vrp_logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="vrp_logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="vrp_login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="vrp_locked_out")
    mfa_signals.authentication_failed.connect(on_second_factor_failed, dispatch_uid="vrp_2f")
    mfa_signals.authenticator_added.connect(on_authenticator_added, dispatch_uid="vrp_2f_add")
    mfa_signals.authenticator_removed.connect(on_authenticator_removed, dispatch_uid="vrp_2f_rm")
    pre_save.connect(on_user_saving, sender=User, dispatch_uid="vrp_user_saving")
    post_save.connect(on_user_saved, sender=User, dispatch_uid="vrp_user_saved")
    m2m_changed.connect(on_roles_changed, sender=User.groups.through, dispatch_uid="vrp_roles")
