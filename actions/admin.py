from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actions.models import Action, ActionNoteSend, ActionUpdate, ReminderSent
from core.admin import SentMessageAdmin
from meetings.admin import MeetingAdmin
from meetings.models import Meeting


class ActionInline(admin.TabularInline):
    """Actions raised at a meeting, shown on the meeting's admin page."""

    model = Action
    fk_name = "meeting"
    extra = 0
    can_delete = False  # cancel an action, never delete it
    fields = ["title", "owner", "agency", "due_date", "status"]
    autocomplete_fields = ["owner", "agency"]
    show_change_link = True


class MeetingWithActionsAdmin(MeetingAdmin):
    """The meeting's admin page with its actions: meetings sit below actions, so the
    inline is added here rather than imported there."""

    inlines = [*MeetingAdmin.inlines, ActionInline]


admin.site.unregister(Meeting)
admin.site.register(Meeting, MeetingWithActionsAdmin)


class ActionUpdateInline(admin.TabularInline):
    """The timeline is the record of who did what: shown, never rewritten here."""

    model = ActionUpdate
    extra = 0
    can_delete = False
    fields = ["created_at", "author_name", "text", "old_status", "new_status"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "owner", "agency", "group", "due_date", "status", "completed_on"]
    list_filter = ["status", "group", "agency"]
    search_fields = ["title", "detail", "owner__full_name"]
    date_hierarchy = "due_date"
    autocomplete_fields = [
        "group",
        "meeting",
        "owner",
        "agency",
        "toc_activity",
        "crest_recommendation",
        "performance_measure",
        "task_group",
    ]
    list_select_related = ["owner", "agency", "group"]
    inlines = [ActionUpdateInline]

    def has_delete_permission(self, request, obj=None):
        # The action log is the group's memory: cancel, never delete.
        return False

    def save_model(self, request, obj, form, change):
        # A new version, so a portal form opened before this save cannot overwrite it.
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(ActionUpdate)
class ActionUpdateAdmin(admin.ModelAdmin):
    list_display = ["action", "author_name", "new_status", "created_at"]
    list_filter = ["new_status"]
    search_fields = ["text", "action__title", "author_name"]
    autocomplete_fields = ["action", "author"]
    list_select_related = ["action"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "action", "for_date", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["person__full_name", "action__title"]
    autocomplete_fields = ["person", "action"]
    list_select_related = ["person", "action"]


@admin.register(ActionNoteSend)
class ActionNoteSendAdmin(SentMessageAdmin):
    """The action notes sent: a record, read only, as the portal made it."""

    list_display = ["meeting", "sent_by", "sent_at"]
    search_fields = ["meeting__group__name"]
    list_select_related = ["meeting__group", "sent_by"]
    readonly_fields = ["meeting", "recipients", "reason", "sent_by", "sent_at"]
