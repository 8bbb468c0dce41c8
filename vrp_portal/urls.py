from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.functional import lazy

from core import branding
from portal import accessibility, health, privacy, views

# Lazy, so that the admin names the portal as settings do when each page is drawn.
admin.site.site_header = lazy(lambda: f"{settings.PORTAL_NAME} administration", str)()
admin.site.site_title = lazy(lambda: f"{settings.PORTAL_NAME} admin", str)()
# The admin signs in through the portal's own sign-in, second factor included.
admin.site.login = secure_admin_login(admin.site.login)

handler403 = "core.views.permission_denied"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz/", health.healthz, name="healthz"),
    path("readyz/", health.readyz, name="readyz"),
    path("privacy/", privacy.privacy_notice, name="privacy"),
    path("partnership.css", branding.partnership_css, name="partnership_css"),
    path("accessibility/", accessibility.accessibility_statement, name="accessibility"),
    path("accounts/", include("allauth.urls")),
    path("members/", include("members.urls")),
    path("meetings/groups/", include("tracker.tor_urls")),
    path("meetings/", include("meetings.urls")),
    path("actions/", include("actions.urls")),
    path("tracker/", include("tracker.urls")),
    path("reports/", include("tracker.report_urls")),
    path("jobs/", include("core.job_urls")),
    path("admin/", admin.site.urls),
]

# Prometheus metrics, for a scraper with the token (portal.health.metrics), and only when
# PROMETHEUS_ENABLED: otherwise /metrics/ is an unknown address like any other.
if settings.PROMETHEUS_ENABLED:
    urlpatterns.append(path("metrics/", health.metrics, name="metrics"))
