from django.urls import path

from tracker import views

app_name = "reports"
urlpatterns = [
    path("quarterly/", views.quarters, name="quarters"),
]
