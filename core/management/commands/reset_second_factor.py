"""An operator resets a person's second factor, when they have lost their phone and codes."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.models import AccountEvent, normalise_email
from core.security import log_event
from core.signals import record


class Command(BaseCommand):
    help = (
        "Remove every second factor (authenticator app, recovery codes, security keys) of "
        "one account and end its sessions. Whoever must use a second factor sets up a new "
        "one at their next sign-in. The reset is recorded."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="the account's email address")
        parser.add_argument(
            "--reason",
            required=True,
            help="why, for the record (e.g. 'lost phone; identity checked by phone call')",
        )
        parser.add_argument(
            "--by",
            default="",
            help="the operator's own portal email, recorded as who made the change",
        )

    def handle(self, *args, email: str, reason: str, by: str, **options) -> None:
        User = get_user_model()
        user = User._default_manager.filter(email=normalise_email(email)).first()
        if user is None:
            raise CommandError("No account has that email address.")
        operator = None
        if by:
            operator = User._default_manager.filter(email=normalise_email(by)).first()
            if operator is None:
                raise CommandError("--by names no account.")
        reason = " ".join(reason.split())
        if not reason:
            raise CommandError("Give a reason with --reason.")
        with transaction.atomic():
            removed = Authenticator.objects.filter(user=user)
            count = removed.count()
            removed.delete()
            record(user, AccountEvent.Kind.SECOND_FACTOR_RESET, reason, actor=operator)
        for session in UserSession.objects.purge_and_list(user):
            session.end()
        log_event(
            "second_factor_reset",
            user_id=operator.pk if operator else None,
            subject_id=user.pk,
        )
        self.stdout.write(
            f"Removed {count} second factor{'s' if count != 1 else ''} of account {user.pk} "
            "and ended its sessions. It sets up a new one at its next sign-in."
        )
