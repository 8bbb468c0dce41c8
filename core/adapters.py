"""How django-allauth fits the portal: nobody signs up, links use SITE_URL, one client
address, and Microsoft sign-in reaches an existing account only by a verified email."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from core import branding
from core.middleware import signed_in_within
from core.second_factor import SECOND_FACTORS, second_factor_required
from core.security import client_ip, log_event
from core.text import clean_email

NO_ACCOUNT_FOR_MICROSOFT = (
    "No portal account uses the email address of that Microsoft account. Sign in with "
    "your email and password, or ask the VRU to add you."
)


def site_url(path: str) -> str:
    """An absolute link for emails: always the portal's configured address."""
    return settings.SITE_URL + path


def site_host() -> str:
    return urlsplit(settings.SITE_URL).netloc or "localhost"


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "Enter the correct email address and password. The "
        "password is case-sensitive; if you have forgotten it, reset it below.",
        "too_many_login_attempts": "Too many failed sign-in attempts from your network. "
        "Try again later, or reset your password.",
    }

    def is_open_for_signup(self, request) -> bool:
        # VRU staff add people and invite them; nobody makes their own account.
        return False

    def get_client_ip(self, request) -> str:
        return client_ip(request) if request is not None else "unknown"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails, naming the portal by SITE_URL rather than the request's host
        (which may be a proxy's, or absent when a mail is sent after the request)."""
        ctx = {
            "email": email,
            "current_site": SimpleNamespace(name=settings.PORTAL_NAME, domain=site_host()),
            "site_url": settings.SITE_URL,
        }
        ctx.update(context)
        clean_email(self.render_mail(template_prefix, email, ctx)).send()

    def render_mail(self, template_prefix: str, email, context: dict, headers=None):
        """Every allauth email names the portal and the partnership from settings
        (`{{ partnership.portal_name }}`, `{{ partnership.name }}`), as the portal's own
        emails do (core.emails): no context processor runs when there is no request."""
        context = {"partnership": branding.names(), **context}
        return super().render_mail(template_prefix, email, context, headers)

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_url(path.replace("UID-KEY", key))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return site_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A sign-in within the last few minutes counts as having just re-entered the
        password: staff made to set up a second factor are not asked for it twice."""
        request = self.request or context.request
        if request is not None and signed_in_within(
            request, settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
        ):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def format_email_subject(self, subject: str) -> str:
        # Subjects are plain text: never let a template's line breaks through.
        return " ".join(super().format_email_subject(subject).split())


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "add_email_blocked": "An account with a second factor cannot add an email address "
        "itself: ask the VRU to change it.",
        "cannot_delete_authenticator": "You must keep a second factor: add another before "
        "removing this one.",
        "incorrect_code": "That code is not right. Enter the 6-digit code your authenticator "
        "app shows now, or one of your recovery codes.",
    }

    def generate_authenticator_name(self, user, type) -> str:
        count = Authenticator.objects.filter(user_id=user.pk, type=type).count()
        return "Security key" if count == 0 else f"Security key {count + 1}"

    def _get_site_name(self) -> str:
        # Names the portal in authenticator apps and passkey prompts.
        return settings.MFA_TOTP_ISSUER

    def can_delete_authenticator(self, authenticator) -> bool:
        """Whoever must use a second factor keeps at least one."""
        user = authenticator.user
        if authenticator.type not in SECOND_FACTORS or not second_factor_required(user):
            return True
        others = Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS)
        return others.exclude(pk=authenticator.pk).exists()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Microsoft sign-in never makes an account and never grants a role.

    A Microsoft identity reaches the portal account whose confirmed address is the
    identity's verified email; anything else is turned away with a message. Second
    factors are the portal's own: Entra's MFA claim cannot be verified here, so a
    staff or chair account is asked for its own second factor after Microsoft.
    """

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def is_auto_signup_allowed(self, request, sociallogin) -> bool:
        return False

    def authenticate_by_email(self, sociallogin):
        for email in verified_emails(sociallogin):
            address = (
                EmailAddress.objects.filter(email__iexact=email, verified=True, primary=True)
                .select_related("user")
                .first()
            )
            if address is not None and address.user.is_active:
                return address.user, address.email
        return None

    def pre_social_login(self, request, sociallogin) -> None:
        # An identity linked earlier still has to vouch for the account's address today:
        # the link must not outlive a change of either side's email.
        vouched = {email.lower() for email in verified_emails(sociallogin)}
        if not sociallogin.is_existing or sociallogin.user.email.lower() not in vouched:
            log_event("sign_in_failed", request, method="microsoft", reason="no_account")
            messages.error(request, NO_ACCOUNT_FOR_MICROSOFT)
            raise ImmediateHttpResponse(redirect("account_login"))


def verified_emails(sociallogin) -> list[str]:
    """The identity's email addresses that its provider vouches for.

    OpenID Connect says so with `email_verified`; Microsoft Entra ID says so with
    `xms_edov` (the email's domain is verified by the tenant that issued it).
    """
    claims = {}
    for part in ("userinfo", "id_token"):
        claims.update(sociallogin.account.extra_data.get(part) or {})
    tenant_vouches = claims.get("xms_edov") in (True, "true", "1", 1)
    return [
        address.email
        for address in sociallogin.email_addresses
        if address.email and (address.verified or tenant_vouches)
    ]
