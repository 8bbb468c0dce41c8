"""Each group's Terms of Reference, under the group's own address in the meetings
area (/meetings/groups/<id>/tor/), where DESIGN's URL contract puts it. Mounted from
vrp_portal/urls.py, since meetings sits below tracker and may not import its views."""

from django.urls import path

from tracker import tor_views

app_name = "tor"
urlpatterns = [
    path("<int:pk>/tor/", tor_views.tor_page, name="group"),
    path("<int:pk>/tor.docx", tor_views.tor_docx, name="group_docx"),
    path("<int:pk>/tor.pdf", tor_views.tor_pdf, name="group_pdf"),
    path("<int:pk>/tor/edit/", tor_views.tor_edit, name="edit"),
    path("<int:pk>/tor/publish/", tor_views.tor_publish_view, name="publish"),
    path("<int:pk>/tor/send/", tor_views.tor_send_unsent, name="send_unsent"),
    path("tor/seats/<int:pk>/send/", tor_views.tor_send_seat, name="send_seat"),
    path("tor/versions/<int:pk>/", tor_views.tor_version_page, name="version"),
    path("tor/versions/<int:pk>.docx", tor_views.tor_version_docx, name="version_docx"),
    path("tor/versions/<int:pk>.pdf", tor_views.tor_version_pdf, name="version_pdf"),
]
