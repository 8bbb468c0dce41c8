from django.urls import path

from actions import views

app_name = "actions"
urlpatterns = [
    path("", views.action_list, name="list"),
    path("mine/", views.my_actions, name="mine"),
    path("<int:pk>/", views.action_detail, name="detail"),
]
