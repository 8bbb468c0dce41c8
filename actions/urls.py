from django.urls import path

from actions import note_views, views

app_name = "actions"
urlpatterns = [
    path("", views.action_list, name="list"),
    path("owners/", views.owner_search, name="owners"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("mine/", views.my_actions, name="mine"),
    path("new/", views.action_new, name="new"),
    path("reminders/", views.reminders_preference, name="reminders"),
    path("reminders/schedule/", views.reminders_schedule, name="reminders_schedule"),
    path("meetings/<int:meeting_pk>/log/", views.log_at_meeting, name="log_at_meeting"),
    path("meetings/<int:meeting_pk>/note/", note_views.action_note, name="note"),
    path(
        "meetings/<int:meeting_pk>/note.docx",
        note_views.action_note_file,
        {"extension": "docx"},
        name="note_docx",
    ),
    path(
        "meetings/<int:meeting_pk>/note.pdf",
        note_views.action_note_file,
        {"extension": "pdf"},
        name="note_pdf",
    ),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/edit/", views.action_edit, name="edit"),
    path("<int:pk>/update/", views.action_update, name="update"),
    path("<int:pk>/cancel/", views.action_cancel, name="cancel"),
    path("<int:pk>/reopen/", views.action_reopen, name="reopen"),
]
