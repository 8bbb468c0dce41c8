"""The sign-in account, and the record of every change to who may do what.

A person signs in with their email address: the account has no username to keep
in step with it. Names and agencies live on `members.Person`, linked one to one.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An account needs an email address.")
        user = self.model(email=normalise_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not (extra_fields["is_staff"] and extra_fields["is_superuser"]):
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email: str):
        return self.get(email__iexact=normalise_email(email))


def normalise_email(email: str) -> str:
    """The one spelling of an email address the portal stores and counts by."""
    return (email or "").strip().lower()


class User(AbstractUser):
    """A sign-in account: the email address is the login."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_in_any_case"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or f"Account {self.pk}"

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)


class AccountEvent(models.Model):
    """Who changed which account, how, and when: shown to superusers in the admin.

    Every change of email, role, active state, password or second factor lands
    here, whether made in the portal's pages, the admin, the sign-in pages or a
    management command.
    """

    class Kind(models.TextChoices):
        EMAIL_CHANGE_REQUESTED = "email_change_requested", "Email change requested"
        EMAIL_CHANGED = "email_changed", "Email changed"
        ROLE_CHANGED = "role_changed", "Role changed"
        ADMIN_RIGHTS_CHANGED = "admin_rights_changed", "Admin rights changed"
        ACTIVATED = "activated", "Account activated"
        DEACTIVATED = "deactivated", "Account deactivated"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        SECOND_FACTOR_ADDED = "second_factor_added", "Second factor added"
        SECOND_FACTOR_REMOVED = "second_factor_removed", "Second factor removed"
        SECOND_FACTOR_RESET = "second_factor_reset", "Second factor reset by an operator"
        ANONYMISED = "anonymised", "Anonymised (the person has left)"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_events",
        help_text="The account that was changed.",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who made the change; empty for the system or an operator's command.",
    )
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%Y-%m-%d %H:%M})"


class SentMessage(models.Model):
    """What every email the portal records has in common: who sent it and when.

    The invitations, action notes, ToRs and quarterly updates sent each keep their own
    record (what went, to whom); this base gives them one shape, newest first, with a
    history of every change to the record itself.
    """

    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["-sent_at", "-pk"]


class Job(models.Model):
    """Work done in the background for somebody (an email sent, a document built), as VRU
    staff see it: what it is, what it is about, its state, and what came of it.

    core.jobs runs it; django-tasks' queue only carries its id. The record outlives the
    queue's own row, so that a failure stays in view until staff try again or dismiss it.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "In progress"
        RETRYING = "retrying", "Waiting to try again"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    UNFINISHED = (State.QUEUED, State.RUNNING, State.RETRYING)

    function = models.CharField(max_length=200, help_text="The dotted path of a core.jobs.job.")
    # Ids and plain values only: never an email address or a name.
    arguments = models.JSONField(default=dict, blank=True)
    description = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(max_length=500, blank=True)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    request_id = models.CharField(max_length=64, blank=True)
    # A scheduled run's slot ("actions.jobs.send_reminders@2027-01-04"): two schedulers
    # queue it once between them.
    schedule_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="job_about"),
            models.Index(fields=["state", "-finished_at"], name="job_state"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_finished(self) -> bool:
        return self.state not in self.UNFINISHED
