from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from core.admin import SentMessageAdmin
from tracker.models import (
    CrestRecommendation,
    DraftRisk,
    MeasureValue,
    PerformanceMeasure,
    QuarterlyDraft,
    QuarterlyReport,
    ReportSend,
    ToCActivity,
    TorSend,
    TorText,
    TorVersion,
)
from tracker.services import tor_revision_on_achievement


@admin.register(ToCActivity)
class ToCActivityAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "group", "status"]
    list_filter = ["status", "group"]
    search_fields = ["code", "title"]
    autocomplete_fields = ["group"]


@admin.register(CrestRecommendation)
class CrestRecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["code", "__str__", "group", "status", "achieved_on"]
    list_filter = ["status", "group"]
    search_fields = ["code", "text", "evidence"]
    autocomplete_fields = ["group"]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            tor_revision_on_achievement(obj)


class MeasureValueInline(admin.TabularInline):
    model = MeasureValue
    extra = 0
    fields = ["year", "quarter", "value", "note"]


@admin.register(PerformanceMeasure)
class PerformanceMeasureAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "group", "data_source", "unit", "polarity", "target"]
    list_filter = ["group", "polarity"]
    search_fields = ["code", "title", "outcome", "success_measure"]
    autocomplete_fields = ["group"]
    inlines = [MeasureValueInline]


@admin.register(MeasureValue)
class MeasureValueAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "year", "quarter", "value", "updated_at"]
    list_filter = ["measure", "year", "quarter"]
    search_fields = ["measure__code", "note"]
    autocomplete_fields = ["measure"]
    list_select_related = ["measure"]


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(admin.ModelAdmin):
    list_display = ["group", "year", "quarter", "finalised_by", "finalised_at"]
    list_filter = ["group", "year"]
    search_fields = ["group__name"]
    readonly_fields = ["content", "finalised_by", "finalised_at"]
    list_select_related = ["group", "finalised_by"]

    def has_change_permission(self, request, obj=None):
        # A finalised update is a record of what was sent; it is never edited.
        return False


class DraftRiskInline(admin.TabularInline):
    model = DraftRisk
    extra = 0
    fields = ["order", "text", "rag", "owner"]


@admin.register(QuarterlyDraft)
class QuarterlyDraftAdmin(SimpleHistoryAdmin):
    """The chair's part as drafted; the portal's draft page is where the chair writes it."""

    list_display = ["group", "year", "quarter", "overall_rag", "updated_by", "updated_at"]
    list_filter = ["group", "year"]
    search_fields = ["group__name", "summary", "achievements", "next_quarter", "asks"]
    autocomplete_fields = ["group"]
    readonly_fields = ["updated_by", "updated_at"]
    list_select_related = ["group", "updated_by"]
    inlines = [DraftRiskInline]


@admin.register(DraftRisk)
class DraftRiskAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "draft", "rag", "owner", "order"]
    list_filter = ["rag"]
    search_fields = ["text", "owner"]
    list_select_related = ["draft__group"]


@admin.register(ReportSend)
class ReportSendAdmin(SentMessageAdmin):
    list_display = ["kind", "year", "quarter", "report", "sent_by", "sent_at"]
    list_filter = ["kind", "year"]
    list_select_related = ["report__group", "sent_by"]


@admin.register(TorText)
class TorTextAdmin(SimpleHistoryAdmin):
    """The ToR's own words; the portal's ToR page is where staff edit them."""

    list_display = ["group", "updated_by", "updated_at"]
    autocomplete_fields = ["group"]
    readonly_fields = ["updated_by", "updated_at"]
    list_select_related = ["group", "updated_by"]


@admin.register(TorVersion)
class TorVersionAdmin(admin.ModelAdmin):
    list_display = ["group", "version", "published", "published_by", "published_at"]
    list_filter = ["group"]
    list_select_related = ["group", "published_by"]
    readonly_fields = ["content", "published_by", "published_at"]

    # A published version is a record of what was published: the portal publishes it,
    # and nobody changes it by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TorSend)
class TorSendAdmin(SentMessageAdmin):
    list_display = ["tor_version", "seat", "sent_by", "sent_at"]
    list_filter = ["tor_version__group"]
    list_select_related = ["tor_version__group", "seat__agency", "sent_by"]
