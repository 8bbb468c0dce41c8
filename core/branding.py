"""The partnership's names and colours, from settings.

Pages get the names from the `partnership` context processor and emails from
`core.emails.templated_email` and the allauth adapter, all through `names()`: emails are
often rendered without a request (the worker, management commands), where no context
processor runs.

The colours reach pages as CSS custom properties, served from settings.

The CSP allows styles from the portal's own files only (style-src 'self'), so the
colours another partnership sets (PARTNERSHIP_COLOURS) reach the page as this small
stylesheet, not as inline styles. static/css/portal.css reads the properties, with
the default colours as fallbacks.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

# A year: the URL carries the version, so new colours are a new URL.
YEAR = 365 * 24 * 60 * 60
# An old version's URL answers with today's colours, but only for a few minutes.
STALE_MAX_AGE = 300


def names() -> dict[str, str]:
    """The partnership's names and the portal's own, as templates read them:
    `{{ partnership.name }}`, `{{ partnership.short_name }}`, `{{ partnership.portal_name }}`.

    Another partnership sets PARTNERSHIP_NAME, PARTNERSHIP_SHORT_NAME and PORTAL_NAME;
    no page, email or document names a partnership in code.
    """
    return {
        "name": settings.PARTNERSHIP_NAME,
        "short_name": settings.PARTNERSHIP_SHORT_NAME,
        "portal_name": settings.PORTAL_NAME,
    }


def _rgb(colour: str) -> str:
    """'#3b1f5c' as '59, 31, 92', for Bootstrap's rgba(var(--bs-…-rgb), alpha)."""
    return ", ".join(str(int(colour[i : i + 2], 16)) for i in (1, 3, 5))


def _darker(colour: str, share: float = 0.2) -> str:
    """The colour mixed with `share` of black: a button's hover and pressed state."""
    channels = (round(int(colour[i : i + 2], 16) * (1 - share)) for i in (1, 3, 5))
    return "#" + "".join(f"{channel:02x}" for channel in channels)


def stylesheet() -> str:
    """The custom properties of settings.PARTNERSHIP_COLOURS (hex values, checked at start-up)."""
    primary = settings.PARTNERSHIP_COLOURS["primary"]
    accent = settings.PARTNERSHIP_COLOURS["accent"]
    return (
        "/* The partnership's colours, from the PARTNERSHIP_COLOURS setting. */\n"
        ":root {\n"
        f"  --vrp-primary: {primary};\n"
        f"  --vrp-primary-rgb: {_rgb(primary)};\n"
        f"  --vrp-primary-dark: {_darker(primary)};\n"
        f"  --vrp-accent: {accent};\n"
        "}\n"
    )


def version() -> str:
    """A short hash of the stylesheet: the ?v= that changes whenever the colours do."""
    return hashlib.sha256(stylesheet().encode()).hexdigest()[:12]


@login_not_required
@require_GET
def partnership_css(request: HttpRequest) -> HttpResponse:
    """Public, like the static files: the sign-in page wears the partnership's colours too."""
    response = HttpResponse(stylesheet(), content_type="text/css; charset=utf-8")
    if request.GET.get("v") == version():
        response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response["Cache-Control"] = f"public, max-age={STALE_MAX_AGE}"
    return response
