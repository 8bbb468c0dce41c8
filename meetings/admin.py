from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from meetings.models import Attendance, KeyUpdate, Meeting


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
