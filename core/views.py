"""Error pages that also leave a trace in the security log."""

from django.views.defaults import permission_denied as django_permission_denied

from core.security import log_event


def permission_denied(request, exception=None):
    """403: refused, and logged with the user's id (ASVS 7.1, 7.2)."""
    log_event("forbidden", request)
    return django_permission_denied(request, exception)
