from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from members.models import Agency, Group, Membership, Person


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "sector", "duty_status", "order"]
    list_filter = ["duty_status", "sector"]
    search_fields = ["name", "short_name"]
    list_editable = ["order"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["agency", "person"]
    fields = [
        "agency",
        "role_title",
        "position",
        "person",
        "attendance_status",
        "tor_sent_on",
        "start_date",
        "end_date",
        "order",
    ]


@admin.register(Group)
class GroupAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "kind",
        "parent",
        "meeting_frequency",
        "review_date",
        "tor_revision_due",
    ]
    list_filter = ["kind", "is_active", "tor_revision_due"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email", "job_title", "agency", "is_active", "reminders_opt_out"]
    list_filter = ["is_active", "reminders_opt_out", "agency"]
    search_fields = ["full_name", "email", "job_title"]
    autocomplete_fields = ["agency", "user"]
    exclude = ["calendar_token"]
    list_select_related = ["agency"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = [
        "role_title",
        "group",
        "agency",
        "position",
        "person",
        "attendance_status",
        "tor_sent_on",
        "end_date",
    ]
    list_filter = ["group", "position", "attendance_status", "agency__duty_status"]
    search_fields = ["role_title", "person__full_name", "agency__name"]
    autocomplete_fields = ["group", "agency", "person"]
    list_select_related = ["group", "agency", "person"]
