from django.conf import settings

from core import branding
from core.permissions import can_report, is_chair, is_vru_staff


def roles(request):
    user = request.user
    return {
        "is_vru_staff": is_vru_staff(user),
        "is_chair": is_chair(user),
        "can_report": can_report(user),
    }


def partnership(request):
    """The partnership's name, logo and colours (settings), for the layout of every page."""
    return {
        "partnership": {
            **branding.names(),
            "logo": settings.PARTNERSHIP_LOGO,
            "css_version": branding.version(),
        }
    }
