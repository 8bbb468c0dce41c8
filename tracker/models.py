"""Theory of Change activities, Crest Advisory recommendations, performance measures,
and the finalised quarterly SVRP updates."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.bounds import quarter_window_constraint, window_constraints
from core.models import SentMessage
from core.quarters import Quarter
from core.versioning import Versioned
from members.models import Group
from tracker.rag import Rag


class ToCActivity(Versioned):
    """An activity of the VRP Theory of Change delivered by a group ("3.a")."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="toc_activities")
    code = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = "ToC activity"
        verbose_name_plural = "ToC activities"

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class CrestRecommendation(Versioned):
    """A recommendation of Crest Advisory's Joint Readiness Assessment (May 2023)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        ACHIEVED = "achieved", "Achieved"

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="crest_recommendations")
    code = models.CharField(max_length=20, unique=True)
    text = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    evidence = models.TextField(blank=True)
    achieved_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="achieved") | Q(achieved_on__isnull=False),
                name="crest_achieved_has_date",
            ),
            *window_constraints("achieved_on", prefix="crest"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"

    @property
    def is_achieved(self) -> bool:
        return self.status == self.Status.ACHIEVED


class PerformanceMeasure(Versioned):
    """An element of the Outcomes Based Performance Framework, reported quarterly.

    Its values are edited as one unit with it: saving a value moves its version on.
    """

    class Polarity(models.TextChoices):
        HIGHER_IS_BETTER = "higher", "Higher is better"
        LOWER_IS_BETTER = "lower", "Lower is better"

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="measures")
    code = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=300)
    outcome = models.TextField()
    success_measure = models.TextField()
    data_source = models.CharField(max_length=200)
    unit = models.CharField(max_length=40, blank=True, default="views")
    polarity = models.CharField(
        max_length=10, choices=Polarity.choices, default=Polarity.HIGHER_IS_BETTER
    )
    target = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="Per quarter."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("tracker:measure", args=[self.pk])

    @property
    def higher_is_better(self) -> bool:
        return self.polarity == self.Polarity.HIGHER_IS_BETTER

    def direction(self, value: Decimal | None, previous: Decimal | None) -> str:
        """The change from the previous quarter in words, read with the polarity.

        "Up (improving)", "Down (worsening)", "No change", or "No previous value".
        """
        if value is None:
            return "No value"
        if previous is None:
            return "No previous value"
        if value == previous:
            return "No change"
        rose = value > previous
        improving = rose == self.higher_is_better
        return f"{'Up' if rose else 'Down'} ({'improving' if improving else 'worsening'})"

    def target_met(self, value: Decimal | None) -> bool | None:
        """Whether `value` meets the target, given the polarity; None when either is missing."""
        if value is None or self.target is None:
            return None
        return value >= self.target if self.higher_is_better else value <= self.target

    def against_target(self, value: Decimal | None) -> str:
        """The status against target in words: "Above target (met)", "On target (met)"…"""
        if self.target is None:
            return "No target"
        if value is None:
            return "No value"
        if value == self.target:
            return "On target (met)"
        side = "Above" if value > self.target else "Below"
        return f"{side} target ({'met' if self.target_met(value) else 'not met'})"


class MeasureValueQuerySet(models.QuerySet):
    def in_quarters(self, quarters) -> models.QuerySet:
        """Values for any of `quarters` (Quarter objects)."""
        condition = Q(pk__in=[])
        for quarter in quarters:
            condition |= Q(year=quarter.year, quarter=quarter.number)
        return self.filter(condition)


class MeasureValue(Versioned):
    """One value of a measure for one financial-year quarter."""

    measure = models.ForeignKey(PerformanceMeasure, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(help_text="The year the financial year starts.")
    quarter = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = MeasureValueQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year", "quarter"], name="measure_value_one_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="measure_value_quarter_1_to_4"
            ),
            quarter_window_constraint(prefix="measure_value"),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.period}: {self.value}"

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)


def _rag_field(verbose_name: str) -> models.CharField:
    return models.CharField(verbose_name, max_length=10, choices=Rag.choices, blank=True)


def _reason_field() -> models.TextField:
    return models.TextField("Why the rating differs from the suggestion", blank=True)


class QuarterlyDraft(Versioned):
    """The chair's part of a group's quarterly update, drafted before it is finalised.

    An empty rating accepts the portal's suggestion (tracker/rag.py); a rating that
    differs from the suggestion needs a reason, said in the update beside it.
    """

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="quarterly_drafts")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    overall_rag = _rag_field("Overall status")
    overall_reason = _reason_field()
    toc_rag = _rag_field("Theory of Change activities")
    toc_reason = _reason_field()
    crest_rag = _rag_field("Crest recommendations")
    crest_reason = _reason_field()
    measures_rag = _rag_field("Performance measures")
    measures_reason = _reason_field()
    actions_rag = _rag_field("Actions")
    actions_reason = _reason_field()
    attendance_rag = _rag_field("Attendance")
    attendance_reason = _reason_field()
    summary = models.TextField(blank=True)
    achievements = models.TextField("Achievements this quarter", blank=True)
    next_quarter = models.TextField("Planned for next quarter", blank=True)
    asks = models.TextField("Decisions and asks for the SVRP", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "year", "quarter"], name="quarterly_draft_one_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="quarterly_draft_quarter_1_to_4"
            ),
            quarter_window_constraint(prefix="quarterly_draft"),
        ]

    def __str__(self) -> str:
        return f"Draft of the {self.group.display_name} SVRP update {self.period}"

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    def listed_risks(self):
        """Its risks and issues as the draft lists them now, in order."""
        return self.risks.filter(removed=False).order_by("order", "pk")


class DraftRisk(models.Model):
    """A risk or issue the chair reports, with its rating and who owns it."""

    draft = models.ForeignKey(QuarterlyDraft, on_delete=models.CASCADE, related_name="risks")
    text = models.TextField("Risk or issue")
    rag = models.CharField("Rating", max_length=10, choices=Rag.choices)
    owner = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    # Taken out of the draft: kept, as nothing is deleted through the portal.
    removed = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["draft", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class QuarterlyReport(models.Model):
    """The quarterly SVRP update as finalised: what was sent stays exactly as sent."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="quarterly_reports")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    content = models.JSONField(help_text="The report's canonical structure, as finalised.")
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField(default=timezone.now)
    # A finalised update is never changed: a correction is a new issue, with its reason.
    issue = models.PositiveSmallIntegerField(default=1)
    reason = models.TextField("Why it was re-issued", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-quarter", "-issue"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "year", "quarter", "issue"],
                name="quarterly_report_one_per_issue",
            ),
            models.CheckConstraint(
                condition=Q(issue=1) | (Q(issue__gt=1) & ~Q(reason="")),
                name="quarterly_report_reissue_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="quarterly_report_quarter_1_to_4"
            ),
            quarter_window_constraint(prefix="quarterly_report"),
        ]

    def __str__(self) -> str:
        suffix = f", issue {self.issue}" if self.issue > 1 else ""
        return f"{self.group.display_name} SVRP update {self.period}{suffix}"

    def get_absolute_url(self) -> str:
        fy, q = self.period.slug.split("/")
        return f"{reverse('reports:quarterly', args=[fy, q])}?group={self.group_id}"

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)


class ReportSend(SentMessage):
    """One email of a finalised update, or of the SVRP pack, from the portal: who sent
    what, when, and to whom."""

    class Kind(models.TextChoices):
        UPDATE = "update", "Quarterly update"
        PACK = "pack", "SVRP pack"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    report = models.ForeignKey(
        QuarterlyReport, on_delete=models.PROTECT, null=True, blank=True, related_name="sends"
    )
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    recipients = models.JSONField(help_text="The addresses it went to.")

    class Meta(SentMessage.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="pack") | Q(report__isnull=False), name="report_send_names_update"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="report_send_quarter_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {Quarter(self.year, self.quarter)} sent"


class TorText(Versioned):
    """A group's Terms of Reference in its own words: the sections that are not data.

    The document (tracker/tor_document.py) puts these between the live data: seats,
    ToC activities, Crest recommendations, measures and the group's meeting rules.
    Each field holds paragraphs, one to a line; a line starting "- " is a bullet
    point, "-- " a bullet under it.
    """

    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="tor_text")
    duty_status_note = models.TextField(
        "Note on the duty status column",
        blank=True,
        help_text="Where the Specified and Relevant Authorities are defined.",
    )
    introduction = models.TextField(blank=True)
    aims = models.TextField(
        "Aims", blank=True, help_text="Shown before the Theory of Change activities."
    )
    crest_introduction = models.TextField("Before the Crest recommendations", blank=True)
    crest_follow_up = models.TextField("After the Crest recommendations", blank=True)
    performance_introduction = models.TextField(
        "Before the performance framework elements", blank=True
    )
    partner_responsibilities = models.TextField(blank=True)
    reporting_relationships = models.TextField(blank=True)
    meeting_notes = models.TextField(
        "More about meetings",
        blank=True,
        help_text="Shown after the meeting frequency and format, which come from the group.",
    )
    administration = models.TextField(blank=True)
    notes = models.TextField(
        "Notes", blank=True, help_text="The document's notes, one to a line, shown at its end."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "ToR text"
        verbose_name_plural = "ToR texts"

    def __str__(self) -> str:
        return f"Terms of Reference text of the {self.group}"


class TorVersion(models.Model):
    """A published version of a group's Terms of Reference, frozen as it was published:
    every earlier version reads and downloads as it did."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="tor_versions")
    version = models.CharField(max_length=20, help_text='As the document says it: "V3".')
    published = models.DateField("Publication date")
    content = models.JSONField(help_text="The whole document as published.")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "version"], name="tor_version_one_per_number"),
            *window_constraints("published", prefix="tor_version"),
        ]

    def __str__(self) -> str:
        return f"{self.group} Terms of Reference {self.version}"


class TorSend(SentMessage):
    """One email of a published ToR to one seat holder: who sent which version, when,
    to whom."""

    tor_version = models.ForeignKey(TorVersion, on_delete=models.PROTECT, related_name="sends")
    seat = models.ForeignKey(
        "members.Membership", on_delete=models.PROTECT, related_name="tor_sends"
    )
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="+")
    email = models.EmailField(help_text="The address it went to.")

    def __str__(self) -> str:
        return f"{self.tor_version} sent"
