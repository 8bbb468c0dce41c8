"""Agencies, groups, people and the seats they hold: the ToR's distribution list as data."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.bounds import window_constraints
from core.versioning import Versioned


class Agency(models.Model):
    class Sector(models.TextChoices):
        POLICE = "police", "Police"
        FIRE = "fire", "Fire and Rescue"
        YOUTH_JUSTICE = "youth_justice", "Youth Justice"
        HEALTH = "health", "Health"
        LOCAL_AUTHORITY = "local_authority", "Local Authority"
        PROBATION = "probation", "Probation"
        EDUCATION = "education", "Education"
        PRISON = "prison", "Prison Service"
        VOLUNTARY = "voluntary", "Voluntary Sector"
        VRU = "vru", "VRU"
        OPCC = "opcc", "OPCC"

    class DutyStatus(models.TextChoices):
        """Status under the Serious Violence Duty (Home Office statutory guidance, 2022)."""

        SPECIFIED = "specified", "Specified Authority"
        RELEVANT = "relevant", "Relevant Authority"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    duty_status = models.CharField(
        "Serious Violence Duty status",
        max_length=20,
        choices=DutyStatus.choices,
        default=DutyStatus.NOT_APPLICABLE,
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in the ToR's table.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "agencies"
        indexes = [models.Index(fields=["duty_status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meetings:group_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_specified(self) -> bool:
        return self.duty_status == self.DutyStatus.SPECIFIED


class GroupQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def working_groups(self):
        """Active working groups, by name: the groups with a tracker and an update."""
        return self.active().filter(kind=Group.Kind.WORKING).order_by("name", "pk")

    def task_and_finish(self):
        return self.filter(kind=Group.Kind.TASK_AND_FINISH)

    def default_working_group(self) -> Group | None:
        return first_set_up(self.working_groups())


def first_set_up(groups) -> Group | None:
    """The group a page shows unless asked for another: the first set up.

    `load_tor` loads the Communications Working Group first, so it is the default.
    """
    return min(groups, key=lambda group: group.pk, default=None)


class Group(Versioned):
    """The SVRP, a working group, or a Task and Finish group under a working group."""

    class Kind(models.TextChoices):
        SVRP = "svrp", "Strategic partnership board"
        WORKING = "working", "Working Group"
        TASK_AND_FINISH = "task_finish", "Task and Finish group"

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        BIMONTHLY = "bimonthly", "Every two months"
        QUARTERLY = "quarterly", "Quarterly"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    vision = models.TextField(blank=True)
    mission = models.TextField(blank=True)
    purpose = models.TextField(blank=True)
    tor_version = models.CharField("ToR version", max_length=20, blank=True)
    tor_published = models.DateField("ToR published", null=True, blank=True)
    review_date = models.DateField(
        null=True, blank=True, help_text="When the meeting arrangements are next reviewed."
    )
    tor_revision_due = models.BooleanField(
        "ToR revision due",
        default=False,
        help_text="Set when a Crest recommendation is achieved: the ToR must then be revised.",
    )
    meeting_frequency = models.CharField(
        max_length=20, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    default_format = models.CharField(max_length=20, default="teams")
    in_person_every = models.PositiveSmallIntegerField(
        default=3,
        help_text="Every n-th meeting is held in person, hosted by a different Specified "
        "Authority. 0 means no in-person rule.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="task_finish") | Q(parent__isnull=False),
                name="group_task_and_finish_has_parent",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=models.F("id")),
                name="group_not_own_parent",
            ),
            *window_constraints("tor_published", "review_date", prefix="group"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class Person(Versioned):
    """A named individual. Signs in with their email through the linked user."""

    full_name = models.CharField(max_length=150)
    email = models.EmailField(unique=True)
    job_title = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="people")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    calendar_token = models.CharField(
        max_length=64,
        unique=True,
        default=new_calendar_token,
        help_text="Secret in the person's calendar feed address; reset it to revoke the feed.",
    )
    reminders_opt_out = models.BooleanField(
        "No reminder emails", default=False, help_text="Do not send action reminders by email."
    )
    is_active = models.BooleanField(default=True)

    # The calendar token is a secret: the history never keeps a copy of it.
    history = HistoricalRecords(excluded_fields=["calendar_token"])
    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        """The person's page, which only VRU staff may open."""
        return reverse("members:person", args=[self.pk])

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def reset_calendar_token(self) -> None:
        self.calendar_token = new_calendar_token()
        self.save(update_fields=["calendar_token"])


class MembershipQuerySet(models.QuerySet):
    def active_on(self, day: dt.date):
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=day)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )

    def current(self):
        return self.active_on(timezone.localdate())

    def attendance_required(self):
        return self.filter(attendance_status=Membership.AttendanceStatus.REQUIRED)

    def expected_on(self, day: dt.date):
        """Seats expected at a meeting on `day`: required and active then."""
        return self.attendance_required().active_on(day)

    def reachable(self):
        """Seats held by an active person with an email address: those a message can go to."""
        return self.filter(person__isnull=False, person__is_active=True).exclude(person__email="")


class Membership(Versioned):
    """A seat on a group: a role held for an agency, filled by a person or vacant."""

    class Position(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-Chair"
        OFFICER = "officer", "Officer"
        MEMBER = "member", "Member"

    class AttendanceStatus(models.TextChoices):
        REQUIRED = "required", "Attendance required"
        NOT_YET_REQUIRED = "not_yet_required", "Attendance not yet required"

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role_title = models.CharField(max_length=200)
    position = models.CharField(max_length=20, choices=Position.choices, default=Position.MEMBER)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="Empty while the seat is vacant.",
    )
    attendance_status = models.CharField(
        max_length=20, choices=AttendanceStatus.choices, default=AttendanceStatus.REQUIRED
    )
    tor_sent_on = models.DateField("ToR sent on", null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["group", "agency__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "agency", "role_title"], name="membership_unique_seat"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            ),
            *window_constraints("tor_sent_on", "start_date", "end_date", prefix="membership"),
        ]
        indexes = [models.Index(fields=["group", "attendance_status"])]

    def __str__(self) -> str:
        holder = self.person.full_name if self.person_id else "vacant"
        return f"{self.role_title} ({self.agency.display_name}) – {holder}"

    @property
    def is_vacant(self) -> bool:
        return self.person_id is None
