from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("distribution-list/", views.distribution_list, name="distribution_list"),
    path("distribution-list.csv", views.distribution_list_csv, name="distribution_list_csv"),
    path("distribution-list.docx", views.distribution_list_docx, name="distribution_list_docx"),
    path("distribution-list/seats/<int:pk>/tor-sent/", views.tor_sent, name="tor_sent"),
]
