"""The action log: what each member owes, and its progress. Nothing is hard-deleted."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.bounds import window_constraints
from core.models import SentMessage
from meetings.models import Meeting
from members.models import Agency, Group, Person


class ActionQuerySet(models.QuerySet):
    def with_links(self):
        """With everything an action's row or page names: owner, agency, group, meeting
        and the tracker items and Task and Finish group it is linked to."""
        return self.select_related(
            "owner",
            "agency",
            "group",
            "meeting__group",
            "toc_activity",
            "crest_recommendation",
            "performance_measure",
            "task_group",
        )

    def with_row_names(self):
        """What a row of the log names, in a query the database plans quickly: the owner,
        agency, group and meeting joined, and each linked item's code (`toc_code`,
        `crest_code`, `measure_code`) and the Task and Finish group's name (`task_name`)
        read by a subquery. Joined, the eight tables took longer to plan than to read:
        3 to 6 ms against 0.7 ms for a page of 25 at 100x demo data."""

        def linked(field: str, value):
            related = self.model._meta.get_field(field).related_model
            return Subquery(
                related.objects.filter(pk=OuterRef(f"{field}_id")).values(value=value)[:1]
            )

        task_name = Coalesce(NullIf("short_name", Value("")), "name")
        return self.select_related("owner", "agency", "group", "meeting").annotate(
            toc_code=linked("toc_activity", F("code")),
            crest_code=linked("crest_recommendation", F("code")),
            measure_code=linked("performance_measure", F("code")),
            task_name=linked("task_group", task_name),
        )

    def outstanding(self):
        return self.filter(status__in=Action.OUTSTANDING)

    def overdue(self, today: dt.date | None = None):
        return self.outstanding().filter(due_date__lt=today or timezone.localdate())

    def due_within(self, days: int, today: dt.date | None = None):
        today = today or timezone.localdate()
        return self.outstanding().filter(
            due_date__gte=today, due_date__lte=today + dt.timedelta(days=days)
        )

    def owned_by(self, person: Person | None):
        return self.filter(owner=person) if person else self.none()

    def completed(self):
        return self.filter(status=Action.Status.DONE)


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    OUTSTANDING = (Status.OPEN, Status.IN_PROGRESS)

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        help_text="The meeting the action was raised at.",
    )
    title = models.CharField(max_length=250)
    detail = models.TextField(blank=True)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="actions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actions")
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)
    # Links to the tracker by string reference, so this app never imports it.
    toc_activity = models.ForeignKey(
        "tracker.ToCActivity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name="ToC activity",
    )
    crest_recommendation = models.ForeignKey(
        "tracker.CrestRecommendation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    performance_measure = models.ForeignKey(
        "tracker.PerformanceMeasure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    task_group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="linked_actions",
        verbose_name="Task and Finish group",
        limit_choices_to={"kind": Group.Kind.TASK_AND_FINISH},
    )
    # Optimistic locking: a save that started from an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="action_done_has_completion_date",
            ),
            models.CheckConstraint(
                condition=Q(status="done") | Q(completed_on__isnull=True),
                name="action_only_done_has_completion_date",
            ),
            *window_constraints("due_date", "completed_on", prefix="action"),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["group", "status"]),
            # The log's pages in its own order, read from the index rather than sorted: the
            # outstanding actions (its opening view) and all of them (EXPLAIN ANALYZE at
            # 100x demo data: 9.9 ms and 12.4 ms to 0.1 ms for a page of 25).
            models.Index(
                fields=["due_date", "id"],
                condition=Q(status__in=("open", "in_progress")),
                name="action_outstanding_due",
            ),
            models.Index(fields=["due_date", "id"], name="action_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_outstanding(self) -> bool:
        return self.status in self.OUTSTANDING

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_outstanding and self.due_date < (today or timezone.localdate())

    def due_soon(self, days: int = 14, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_outstanding and today <= self.due_date <= today + dt.timedelta(days=days)


class ActionUpdate(models.Model):
    """A progress note on an action, with the status change it made, if any."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(
        max_length=150, blank=True, help_text="Kept as written, should the account go."
    )
    text = models.TextField(blank=True)
    old_status = models.CharField(max_length=20, choices=Action.Status.choices, blank=True)
    new_status = models.CharField(max_length=20, choices=Action.Status.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(new_status=""), name="action_update_says_something"
            ),
        ]

    def __str__(self) -> str:
        return f"Update on {self.action} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def changes_status(self) -> bool:
        return bool(self.new_status) and self.new_status != self.old_status


class ReminderSent(models.Model):
    """A reminder email that went out, so the same one never goes twice."""

    class Kind(models.TextChoices):
        DUE_IN_7_DAYS = "due_7", "Due in 7 days"
        DUE_TODAY = "due_today", "Due today"
        WEEKLY_OVERDUE = "weekly_overdue", "Weekly digest of overdue actions"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reminders_sent")
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders_sent"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The due date for a due reminder; the Monday of the week for a digest.
    for_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "action", "kind", "for_date"],
                condition=Q(action__isnull=False),
                name="reminder_once_per_action",
            ),
            models.UniqueConstraint(
                fields=["person", "kind", "for_date"],
                condition=Q(action__isnull=True),
                name="digest_once_per_week",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.person} for {self.for_date}"


class ActionNoteSend(SentMessage):
    """One email of a meeting's action note: who sent it, when, to which addresses, and
    why it went again. The ToR takes no minutes: the action note is what members keep."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="action_note_sends")
    recipients = models.JSONField(help_text="The addresses it went to.")
    reason = models.TextField(blank=True, help_text="Why it was sent again; empty the first time.")

    def __str__(self) -> str:
        return f"Action note of {self.meeting} sent"
