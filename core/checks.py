"""System checks that refuse an unsafe production configuration.

They run with every management command (`check`, `check --deploy`, `migrate`,
`runserver`) and when the WSGI application loads (vrp_portal/wsgi.py), so a
server with DEBUG off and one of these errors does not start.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks

TAG = "vrp_production"
UNSAFE_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend": "prints every email, links included, "
    "to the server's log",
    "django.core.mail.backends.locmem.EmailBackend": "keeps emails in memory and sends none",
    "django.core.mail.backends.dummy.EmailBackend": "sends no email",
    "django.core.mail.backends.filebased.EmailBackend": "writes every email to a file",
}


def production_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.DEBUG:
        return []
    errors = []
    backend = settings.EMAIL_BACKEND
    if not settings.EMAIL_URL:
        errors.append(
            checks.Error(
                "EMAIL_URL is not set.",
                hint="Set EMAIL_URL to the mail server, e.g. smtp+tls://user:pass@host:587.",
                id="vrp.E001",
            )
        )
    elif backend in UNSAFE_EMAIL_BACKENDS:
        errors.append(
            checks.Error(
                f"EMAIL_URL selects {backend}, which {UNSAFE_EMAIL_BACKENDS[backend]}.",
                hint="Set EMAIL_URL to a real mail server (smtp:// or smtp+tls://).",
                id="vrp.E002",
            )
        )
    if not settings.SITE_URL:
        errors.append(
            checks.Error(
                "SITE_URL is not set: links in emails and calendar feeds would be wrong.",
                hint="Set SITE_URL to the portal's public address, e.g. https://vrp.example.org.",
                id="vrp.E003",
            )
        )
    elif not settings.SITE_URL.startswith("https://"):
        errors.append(
            checks.Error(
                "SITE_URL must be an https:// address when DEBUG is off.",
                id="vrp.E004",
            )
        )
    if not settings.REQUIRE_SECOND_FACTOR:
        errors.append(
            checks.Error(
                "REQUIRE_SECOND_FACTOR is off: VRU staff, the chair and superusers must use "
                "a second factor whenever DEBUG is off.",
                hint="Remove REQUIRE_SECOND_FACTOR from the environment; only the demo "
                "(DEBUG on) may turn it off.",
                id="vrp.E005",
            )
        )
    return errors


def register() -> None:
    checks.register(production_settings, TAG, checks.Tags.security)


def refuse_unsafe_production() -> None:
    """Stop a WSGI server from starting with an unsafe production configuration."""
    from django.core.exceptions import ImproperlyConfigured

    errors = [message for message in production_settings() if message.is_serious()]
    if errors:
        raise ImproperlyConfigured(
            "Unsafe production settings:\n"
            + "\n".join(f"- {error.msg} {error.hint or ''}".rstrip() for error in errors)
        )
