"""Meetings, who attended them, and the key updates raised at them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.bounds import window_constraints
from core.models import SentMessage
from core.versioning import Versioned
from meetings.attendance import (
    ATTENDED,
    STATUS_FIGURES,
    AttendanceStatus,
    AttendanceSummary,
)
from members.models import Agency, Group, Membership


class MeetingQuerySet(models.QuerySet):
    def upcoming(self):
        return (
            self.filter(ends_at__gte=timezone.now())
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("starts_at")
        )

    def past(self):
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at")

    def ahead(self):
        """Meetings not yet over, cancelled ones included so that people see they are off."""
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def not_cancelled(self):
        return self.exclude(status=Meeting.Status.CANCELLED)

    def held(self):
        return self.filter(status=Meeting.Status.HELD)

    def started(self):
        """Meetings under way or over: only these count in attendance figures, so that
        apologies sent ahead of a meeting do not count against an agency before it."""
        return self.filter(starts_at__lte=timezone.now())

    def for_group(self, group: Group, *, with_children: bool = True):
        if with_children:
            return self.filter(Q(group=group) | Q(group__parent=group))
        return self.filter(group=group)

    def between(self, start, end):
        """Meetings starting on a date from `start` to `end`, inclusive, in London time."""
        return self.filter(starts_at__date__gte=start, starts_at__date__lte=end)

    def with_attendance_summary(self):
        """Annotate the register's counts, and the seats expected, without a query per meeting.

        The expected seats follow `Meeting.expected_memberships()`: attendance required
        and the seat active on the meeting's date in London.
        """
        expected = (
            Membership.objects.attendance_required()
            .filter(group=OuterRef("group"))
            .filter(Q(start_date__isnull=True) | Q(start_date__lte=OuterRef("day")))
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("day")))
            .order_by()
            .values("group")
            .annotate(seats=Count("pk"))
            .values("seats")
        )
        # Subqueries rather than a join with GROUP BY: a page of meetings then counts only
        # its own rows, and the paginator's count leaves the annotations out.
        recorded = {
            f"seats_{name}": Coalesce(
                Subquery(
                    Attendance.objects.filter(meeting=OuterRef("pk"), status=status)
                    .order_by()
                    .values("meeting")
                    .annotate(rows=Count("pk"))
                    .values("rows")
                ),
                0,
            )
            for name, status in STATUS_FIGURES.items()
        }
        return self.annotate(day=TruncDate("starts_at")).annotate(
            seats_expected=Coalesce(Subquery(expected), 0), **recorded
        )


class Meeting(Versioned):
    class Format(models.TextChoices):
        TEAMS = "teams", "Microsoft Teams"
        IN_PERSON = "in_person", "In person"
        HYBRID = "hybrid", "Hybrid"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.TEAMS)
    host_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        help_text="The Specified Authority hosting an in-person meeting.",
    )
    location = models.CharField(max_length=300, blank=True)
    online_link = models.URLField("Online meeting link", max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    # Calendar clients apply an update only when the sequence number grows.
    # It grows whenever one of CALENDAR_FIELDS changes (see note_calendar_change).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # The register (the meeting's attendance rows) is edited as one unit, apart from the
    # meeting: this moves on with every register save that changes a row.
    register_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            *window_constraints("starts_at", "ends_at", prefix="meeting", instants=True),
        ]
        indexes = [
            models.Index(fields=["group", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
            # The schedule's two lists: past meetings newest first read from the index, and
            # both counted from it (EXPLAIN ANALYZE at 100x demo data: 4.9 ms to 0.3 ms for
            # a page of past meetings, 0.7 ms to 0.1 ms for a count).
            models.Index(fields=["starts_at"], name="meeting_starts"),
            models.Index(fields=["ends_at"], name="meeting_ends"),
        ]

    # What a calendar shows: a change to any of them is news to people's calendars.
    CALENDAR_FIELDS = (
        "starts_at",
        "ends_at",
        "format",
        "location",
        "online_link",
        "status",
        "host_agency_id",
    )

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.group.display_name} – {local:%A %-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def is_in_person(self) -> bool:
        return self.format in (self.Format.IN_PERSON, self.Format.HYBRID)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def day_has_come(self) -> bool:
        """Whether the meeting's day (in London) has come: only then can anyone be present.

        Before it, the register takes apologies sent in advance; on the day staff may fill it
        in as people arrive.
        """
        return timezone.localtime(self.starts_at).date() <= timezone.localdate()

    def calendar_state(self) -> tuple:
        """The values a calendar shows, to compare before and after an edit."""
        return tuple(getattr(self, name) for name in self.CALENDAR_FIELDS)

    def note_calendar_change(self, before: tuple) -> bool:
        """Bump the iCalendar SEQUENCE if what calendars show differs from `before`; say if so."""
        if self.pk and self.calendar_state() != before:
            self.sequence += 1
            return True
        return False

    @property
    def attendance_summary(self) -> AttendanceSummary:
        """The register in numbers, from `Meeting.objects.with_attendance_summary()`.

        Never a query of its own, so a list of meetings cannot cost two queries each: a
        meeting fetched without the annotations is an error here, and
        `AttendanceSummary.for_meeting(meeting)` counts one meeting on purpose.
        """
        if not hasattr(self, "seats_expected"):
            # Not AttributeError, which a template would swallow into an empty string.
            raise RuntimeError("attendance_summary needs Meeting.objects.with_attendance_summary()")
        return AttendanceSummary.from_annotations(self)

    def expected_memberships(self):
        """Seats expected at this meeting: attendance required and active on its date."""
        day = timezone.localtime(self.starts_at).date()
        return self.group.memberships.expected_on(day)


class Attendance(models.Model):
    """One row per seat per meeting: the attendance register."""

    Status = AttendanceStatus

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField(max_length=20, choices=Status.choices)
    deputy_name = models.CharField(max_length=150, blank=True)
    # Who held the seat on the day, kept because seats change hands.
    person = models.ForeignKey(
        "members.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "membership"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="attendance_one_row_per_seat"
            ),
            models.CheckConstraint(
                condition=~Q(status="deputy") | ~Q(deputy_name=""),
                name="attendance_deputy_named",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.membership.role_title} at {self.meeting}: {self.get_status_display()}"

    @property
    def attended(self) -> bool:
        """A deputy counts as the seat being represented."""
        return self.status in ATTENDED


class KeyUpdate(Versioned):
    """A decision or key update from a meeting, flagged when it goes to the SVRP."""

    class Kind(models.TextChoices):
        DECISION = "decision", "Decision"
        KEY_UPDATE = "update", "Key update"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="key_updates")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.KEY_UPDATE)
    text = models.TextField()
    for_svrp = models.BooleanField(
        "Raise to the SVRP", default=True, help_text="Include in the quarterly SVRP update."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "created_at"]
        indexes = [models.Index(fields=["for_svrp"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class MeetingReply(models.Model):
    """A member's word ahead of a meeting for one of their seats: apologies, or the deputy
    who will come in their place. Staff see it on the meeting page, and the register opens
    with it filled in until staff record that seat."""

    class Kind(models.TextChoices):
        APOLOGIES = "apologies", "Apologies"
        DEPUTY = "deputy", "Deputy"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="replies")
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="meeting_replies"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Short enough that "name (role)" fits the register's deputy name (150 characters).
    deputy_name = models.CharField("Deputy's name", max_length=100, blank=True)
    deputy_role = models.CharField("Deputy's role", max_length=45, blank=True)
    sent_by = models.ForeignKey(
        "members.Person", on_delete=models.PROTECT, related_name="meeting_replies"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "membership"]
        verbose_name_plural = "meeting replies"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="meeting_reply_one_per_seat"
            ),
            models.CheckConstraint(
                condition=~Q(kind="deputy") | ~Q(deputy_name=""),
                name="meeting_reply_deputy_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.role_title} at {self.meeting}: {self.describe()}"

    @staticmethod
    def refusal(meeting: Meeting) -> str | None:
        """Why nobody may send, change or withdraw a reply for `meeting` now, or None.

        Once the meeting has begun the register is the record, and staff keep it.
        """
        if meeting.is_cancelled:
            return "This meeting was cancelled, so it needs no apologies or deputy."
        if meeting.has_started:
            return (
                "This meeting has started, so apologies and deputies can no longer be sent "
                "here: please tell the VRU team instead."
            )
        return None

    @property
    def deputy_label(self) -> str:
        """The deputy as the register records them: their name, and their role if given."""
        if self.deputy_role:
            return f"{self.deputy_name} ({self.deputy_role})"
        return self.deputy_name

    def describe(self) -> str:
        if self.kind == self.Kind.DEPUTY:
            return f"Deputy: {self.deputy_label}"
        return "Apologies"

    def register_initial(self, *, in_advance: bool) -> dict:
        """The register row this reply suggests, before staff record the seat.

        Before the meeting's day the register takes apologies only, so a deputy is
        suggested once the day has come.
        """
        if self.kind == self.Kind.APOLOGIES:
            return {"status": Attendance.Status.APOLOGIES, "deputy_name": ""}
        if in_advance:
            return {}
        return {"status": Attendance.Status.DEPUTY, "deputy_name": self.deputy_label}


class InvitationSend(SentMessage):
    """One sending of a meeting's invitation, update or cancellation to its seat holders:
    who sent it, when, with which SEQUENCE, to which addresses, and the agenda it carried.
    The last one sent tells staff when the meeting has changed since."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", "Invitation"
        UPDATE = "update", "Update"
        CANCELLATION = "cancellation", "Cancellation"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitation_sends")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sequence = models.PositiveIntegerField(help_text="The meeting's iCalendar SEQUENCE sent.")
    recipients = models.JSONField(help_text="The addresses it went to.")
    agenda = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.meeting} sent"
