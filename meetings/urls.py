from django.urls import path

from meetings import (
    calendar_views,
    group_views,
    invitation_views,
    key_update_views,
    meeting_views,
    monitoring_views,
    plan_views,
    register_views,
    reply_views,
)

app_name = "meetings"
urlpatterns = [
    path("", meeting_views.meeting_list, name="list"),
    path("new/", meeting_views.meeting_create, name="create"),
    path("rule-hint/", meeting_views.rule_hint, name="rule_hint"),
    path("mine/", reply_views.my_meetings, name="my_meetings"),
    path("plan/", plan_views.meeting_plan, name="plan"),
    path("attendance/", monitoring_views.attendance_monitoring, name="monitoring"),
    path("attendance.csv", monitoring_views.attendance_monitoring_csv, name="monitoring_csv"),
    path("calendar/", calendar_views.calendar_settings, name="calendar"),
    path("calendar/reset/", calendar_views.calendar_reset, name="calendar_reset"),
    path("calendar.ics", calendar_views.calendar_feed, name="calendar_feed"),
    path("<int:pk>/", meeting_views.meeting_detail, name="detail"),
    path("<int:pk>.ics", calendar_views.meeting_ics, name="ics"),
    path("<int:pk>/edit/", meeting_views.meeting_edit, name="edit"),
    path("<int:pk>/attendance/", register_views.attendance_register, name="register"),
    path("<int:pk>/reply/", reply_views.meeting_reply, name="reply"),
    path("<int:pk>/reply/<int:seat_pk>/", reply_views.reply_save, name="reply_save"),
    path(
        "<int:pk>/reply/<int:seat_pk>/withdraw/",
        reply_views.reply_withdraw,
        name="reply_withdraw",
    ),
    path("<int:pk>/invitation/", invitation_views.invitation, name="invitation"),
    path("<int:pk>/key-updates/", key_update_views.key_update_add, name="key_update_add"),
    path(
        "<int:pk>/key-updates/<int:update_pk>/edit/",
        key_update_views.key_update_edit,
        name="key_update_edit",
    ),
    path("groups/", group_views.group_list, name="groups"),
    path("groups/new/", group_views.group_create, name="group_create"),
    path(
        "groups/new-working-group/",
        group_views.working_group_create,
        name="working_group_create",
    ),
    path("groups/<int:pk>/", group_views.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", group_views.group_edit, name="group_edit"),
    path("groups/<int:pk>/seats/new/", group_views.seat_create, name="seat_create"),
    path("groups/<int:pk>/seats/<int:seat_pk>/edit/", group_views.seat_edit, name="seat_edit"),
    path("groups/<int:pk>/seats/<int:seat_pk>/end/", group_views.seat_end, name="seat_end"),
]
