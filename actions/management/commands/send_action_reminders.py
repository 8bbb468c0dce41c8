"""Email action owners: 7 days before and on the due date, and a weekly overdue digest.

Run daily by cron; running it again the same day sends nothing new.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from actions.models import ReminderSent
from actions.reminders import send_action_reminders


class Command(BaseCommand):
    help = "Send action reminder emails (idempotent: a reminder never goes twice)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            help="Act as if today were this date (YYYY-MM-DD), for testing.",
        )

    def handle(self, *args, today=None, **options):
        try:
            sent = send_action_reminders(today=today)
        except OSError as error:
            # Only counts and the error class: the log carries no personal data.
            raise CommandError(
                f"Reminders stopped: the mail server failed ({type(error).__name__})."
            ) from error
        kinds = ReminderSent.Kind
        self.stdout.write(
            f"Sent {sent[kinds.DUE_IN_7_DAYS]} due-soon reminder(s), "
            f"{sent[kinds.DUE_TODAY]} due-today reminder(s) and "
            f"{sent[kinds.WEEKLY_OVERDUE]} weekly overdue digest(s)."
        )
