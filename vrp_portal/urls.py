from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from vrp_portal import views
from vrp_portal.forms import EmailAuthenticationForm

admin.site.site_header = "VRP portal administration"
admin.site.site_title = "VRP portal admin"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz/", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("members/", include("members.urls")),
    path("meetings/", include("meetings.urls")),
    path("actions/", include("actions.urls")),
    path("tracker/", include("tracker.urls")),
    path("reports/", include("tracker.report_urls")),
    path("admin/", admin.site.urls),
]
