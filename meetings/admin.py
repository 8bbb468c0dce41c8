from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from core.admin import SentMessageAdmin
from meetings.models import Attendance, InvitationSend, KeyUpdate, Meeting, MeetingReply


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["membership", "person"]


class KeyUpdateInline(admin.StackedInline):
    model = KeyUpdate
    extra = 0
    exclude = ["created_by"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "group", "starts_at", "format", "host_agency", "status"]
    list_filter = ["status", "format", "group"]
    search_fields = ["group__name", "location", "host_agency__name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["group", "host_agency"]
    list_select_related = ["group", "host_agency"]
    inlines = [AttendanceInline, KeyUpdateInline]  # actions/admin.py adds the actions
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        # An edit here must reach people's calendars just as one made in the portal does.
        if change:
            obj.note_calendar_change(Meeting.objects.get(pk=obj.pk).calendar_state())
        super().save_model(request, obj, form, change)


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "membership", "status", "deputy_name"]
    list_filter = ["status", "meeting__group"]
    search_fields = ["membership__role_title", "membership__person__full_name", "deputy_name"]
    autocomplete_fields = ["meeting", "membership", "person"]
    list_select_related = ["meeting__group", "membership__agency", "membership__person"]


@admin.register(KeyUpdate)
class KeyUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "kind", "for_svrp", "created_at"]
    list_filter = ["kind", "for_svrp", "meeting__group"]
    search_fields = ["text"]
    autocomplete_fields = ["meeting"]
    list_select_related = ["meeting__group"]


@admin.register(MeetingReply)
class MeetingReplyAdmin(SimpleHistoryAdmin):
    """Members send these in the portal; the admin shows them and may remove one."""

    list_display = ["meeting", "membership", "kind", "deputy_name", "sent_by", "sent_at"]
    list_filter = ["kind", "meeting__group"]
    search_fields = ["membership__role_title", "sent_by__full_name", "deputy_name"]
    list_select_related = ["meeting__group", "membership__agency", "sent_by"]
    readonly_fields = [
        "meeting",
        "membership",
        "kind",
        "deputy_name",
        "deputy_role",
        "sent_by",
        "sent_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(InvitationSend)
class InvitationSendAdmin(SentMessageAdmin):
    """A record of emails that went: it is read, never edited."""

    list_display = ["meeting", "kind", "sequence", "sent_by", "sent_at"]
    list_filter = ["kind", "meeting__group"]
    list_select_related = ["meeting__group", "sent_by"]
    readonly_fields = ["meeting", "kind", "sequence", "recipients", "agenda", "sent_by", "sent_at"]
