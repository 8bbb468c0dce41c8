"""WSGI entry point, for gunicorn: `gunicorn vrp_portal.wsgi`.

It refuses to start with an unsafe production configuration (core.checks).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vrp_portal.settings")
application = get_wsgi_application()

from core.checks import refuse_unsafe_production  # noqa: E402 - needs Django set up

refuse_unsafe_production()
