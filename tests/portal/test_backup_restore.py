"""Backups restore: a `pg_dump` of the portal's database (custom format, as the README
says), restored with `pg_restore` into an empty database, holds every row of every
table, and every sequence where it was.

PostgreSQL only: the backup is PostgreSQL's own. CI runs the suite on PostgreSQL
(DATABASE_URL=postgres://…) and fails on any skipped test, so this runs there.
"""

import os
import shutil
import subprocess
import uuid

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from actions.models import ActionUpdate
from core.quarters import Quarter
from meetings.models import Attendance
from members.models import Group
from tests.factories import (
    ActionFactory,
    MeasureValueFactory,
    MeetingFactory,
    PerformanceMeasureFactory,
    PersonFactory,
    UserFactory,
    give_second_factor,
    london,
)
from tracker.report import report_finalise

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="pg_dump and pg_restore back up PostgreSQL only: set DATABASE_URL=postgres://… "
        "(CI does) to run this",
    ),
    pytest.mark.django_db(transaction=True),
]


def _binary(name: str) -> str:
    return shutil.which(name) or f"/usr/bin/{name}"


def _server_arguments(database: dict) -> list[str]:
    arguments = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            arguments.append(f"{option}={database[key]}")
    return arguments


def _environment(database: dict) -> dict[str, str]:
    environment = dict(os.environ)
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = str(database["PASSWORD"])
    return environment


def _connect(database: dict, name: str) -> psycopg.Connection:
    return psycopg.connect(
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        dbname=name,
        autocommit=True,
    )


def _contents(database: dict, name: str) -> dict:
    """Every table of the public schema, its rows as text and sorted; every sequence."""
    with _connect(database, name) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        contents = {
            table: [
                row[0]
                for row in conn.execute(
                    sql.SQL("SELECT t::text FROM {} AS t ORDER BY 1").format(sql.Identifier(table))
                )
            ]
            for table in tables
        }
        contents["(sequences)"] = list(
            conn.execute(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = 'public' ORDER BY 1"
            )
        )
    return contents


def _seed() -> None:
    """The ToR's reference data and a little of everything people add."""
    call_command("load_tor", verbosity=0)
    group = Group.objects.get(name="Communications Working Group")
    seat = group.memberships.order_by("pk").first()
    user = UserFactory(email="backup.member@example.org", roles=["Member"])
    give_second_factor(user)
    person = PersonFactory(full_name="Bea Backup", email=user.email, user=user, agency=seat.agency)
    seat.person = person
    seat.save()
    meeting = MeetingFactory(
        group=group, starts_at=london(2024, 5, 14), ends_at=london(2024, 5, 14, 12)
    )
    Attendance.objects.create(meeting=meeting, membership=seat, person=person, status="present")
    action = ActionFactory(group=group, owner=person, title="Back up the portal: “quoted”, ünïcode")
    ActionUpdate.objects.create(action=action, author=user, author_name=person.full_name, text="On")
    measure = PerformanceMeasureFactory(group=group)
    MeasureValueFactory(measure=measure, year=2024, quarter=1, value=1234.5, note="Q1; with\nnote")
    chair = UserFactory(email="backup.chair@example.org", roles=["Chair"])
    report_finalise(group=group, quarter=Quarter(2024, 1), by=chair)


def test_a_dump_restores_every_row_of_every_table(tmp_path):
    _seed()
    database = connection.settings_dict
    source = database["NAME"]
    scratch = f"{source}_restore_{uuid.uuid4().hex[:8]}"
    dump = tmp_path / "vrp_portal.dump"
    environment = _environment(database)
    before = _contents(database, source)
    assert before["members_person"] and before["tracker_quarterlyreport"]  # seeded

    subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [
            _binary("pg_dump"),
            "--format=custom",
            f"--file={dump}",
            *_server_arguments(database),
            f"--dbname={source}",
        ],
        check=True,
        env=environment,
        capture_output=True,
    )
    with _connect(database, "postgres") as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    try:
        subprocess.run(  # noqa: S603 (fixed arguments, no shell)
            [
                _binary("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                *_server_arguments(database),
                f"--dbname={scratch}",
                str(dump),
            ],
            check=True,
            env=environment,
            capture_output=True,
        )
        after = _contents(database, scratch)
    finally:
        with _connect(database, "postgres") as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(scratch))
            )

    assert sorted(after) == sorted(before)
    for table, rows in before.items():
        assert after[table] == rows, f"{table} differs after the restore"
