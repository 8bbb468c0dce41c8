"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vrp_portal.settings")
application = get_asgi_application()

from core.checks import refuse_unsafe_production  # noqa: E402 - needs Django set up

refuse_unsafe_production()
