"""Deterministic demo data on top of the ToR: people, accounts, meetings, actions, measures.

The demo accounts share a published password, so the command refuses to run
with DEBUG off unless --force says this database is meant for it.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.second_factor import second_factor_enforced
from portal import demo

# How each kind of row is named in the summary.
_NOUNS = {
    "groups": ("group", "groups"),
    "seats": ("seat", "seats"),
    "people": ("person", "people"),
    "accounts": ("account", "accounts"),
    "meetings": ("meeting", "meetings"),
    "attendance": ("attendance record", "attendance records"),
    "key_updates": ("key update", "key updates"),
    "replies": ("reply to a coming meeting", "replies to coming meetings"),
    "actions": ("action", "actions"),
    "action_updates": ("action update", "action updates"),
    "measure_values": ("measure value", "measure values"),
}

DEMO_ACCOUNTS = (
    (demo.STAFF_EMAIL, "VRU staff (VRU Programmes and Projects Officer)"),
    ("chair@example.org", "Chair (VRU Director)"),
    ("vice-chair@example.org", "Chair and VRU staff (VRU Manager)"),
    ("member@example.org", "Member (Police, Corporate Communications)"),
    (demo.ADMIN_EMAIL, "Superuser, for /admin/"),
)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError
    return number


class Command(BaseCommand):
    help = (
        "Load the ToR, then add deterministic demo data: people in the seats, sign-in "
        "accounts, quarterly meetings from 2023-24 to 2027-28 with attendance, actions and "
        "measure values. --scale N adds further groups for benchmarks. Re-running adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=_positive,
            default=1,
            help="Volume multiplier: N working groups, each with a Task and Finish group "
            "(default 1: the Comms Working Group alone).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. The demo accounts have a published password: "
            "never use this on a live database.",
        )

    def handle(self, *args, scale: int, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to seed demo data with DEBUG off: the demo accounts have a known, "
                "published password. Run with DEBUG=True, or pass --force if this database is "
                "only for demonstrations or benchmarks."
            )
        started = time.monotonic()
        call_command("load_tor", stdout=self.stdout, stderr=self.stderr)
        created = demo.demo_seed(scale=scale, today=timezone.localdate(), write=self.stdout.write)

        parts = [
            f"{created[key]} {singular if created[key] == 1 else plural}"
            for key, (singular, plural) in _NOUNS.items()
            if created[key]
        ]
        if parts:
            seconds = time.monotonic() - started
            self.stdout.write(self.style.SUCCESS(f"Created {', '.join(parts)} in {seconds:.1f} s."))
        else:
            self.stdout.write("Nothing to add: the demo data is already in place.")

        self.stdout.write(f"\nSign in at {demo.SITE_URL} with password {demo.PASSWORD!r}:")
        for email, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<26} {role}")
        self.stdout.write("  Every other demo person signs in with their email as a Member.")
        if second_factor_enforced():
            self.stdout.write(
                "Staff, the chair and the admin set up a second factor (an authenticator app) "
                "at their first sign-in."
            )
        else:
            self.stdout.write(
                "No second factor is asked for in the demo (REQUIRE_SECOND_FACTOR=False); "
                "anyone may set one up from Security in the menu."
            )
