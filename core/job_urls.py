from django.urls import path

from core import job_views

app_name = "jobs"
urlpatterns = [
    path("", job_views.job_list, name="list"),
    path("<int:pk>/", job_views.job_status, name="status"),
    path("<int:pk>/retry/", job_views.job_retry, name="retry"),
    path("<int:pk>/dismiss/", job_views.job_dismiss, name="dismiss"),
]
