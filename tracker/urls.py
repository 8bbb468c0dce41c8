from django.urls import path

from tracker import views

app_name = "tracker"
urlpatterns = [
    path("", views.index, name="index"),
    path("activities/<int:pk>/", views.activity_update, name="activity_update"),
    path("crest/<int:pk>/", views.crest_update, name="crest_update"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
    path("measures/<int:pk>/values/", views.measure_value, name="measure_value"),
    path("measures/<int:pk>/import/", views.measure_import, name="measure_import"),
]
