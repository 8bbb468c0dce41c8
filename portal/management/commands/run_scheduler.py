"""Queue the portal's daily jobs when their time comes (portal.schedule), every minute,
until stopped. Any number may run: each day's run is queued once between them."""

from __future__ import annotations

import datetime as dt
import signal
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from portal.schedule import queue_due

INTERVAL_SECONDS = 60


class Command(BaseCommand):
    help = "Queue the daily jobs (action reminders, housekeeping) when their time comes."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once, then stop.")
        parser.add_argument(
            "--now",
            type=dt.datetime.fromisoformat,
            help="Act as if it were this instant (ISO 8601, with its offset), for testing.",
        )

    def handle(self, *args, once=False, now=None, **options):
        stop = threading.Event()
        if not once:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
        while True:
            for job in queue_due(now):
                self.stdout.write(f"Queued job {job.pk}: {job.description}.")
            if once or stop.wait(INTERVAL_SECONDS):
                return
            # A minute has passed: drop a connection the database has closed meanwhile.
            close_old_connections()
