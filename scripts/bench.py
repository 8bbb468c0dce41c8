"""The portal's benchmark: key pages at 1x, 10x and 100x the demo data, against two baselines.

    make bench                       # or: .venv/bin/python scripts/bench.py [options]

For each scale it builds a PostgreSQL database with `seed_demo --scale N` (kept between
runs, and rebuilt when the migrations or the demo change), serves it with gunicorn and the
production settings (2 workers, TLS, keep-alive), signs in each role and times every key
page from this process, one request after another, each page over its own kept-alive
connection. Every scale's server is up at once and all their pages take turns, so that
the machine's drift weighs on every page and scale alike. Two
baselines are timed in the same run: the floor, a bare signed-in view rendering
`base.html` (it exists only under `vrp_portal.settings_bench`), and the admin's changelist
of actions. It prints a table per scale and a summary against the targets, and writes
every figure to a JSON file. Timings are figures to read, not tests: nothing here fails.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import json
import os
import platform
import secrets
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SERVER = "127.0.0.1"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
# What a database's demo data depends on: a change to any of these seeds it afresh.
SEED_SOURCES = ("*/migrations/*.py", "portal/demo*.py", "portal/management/commands/*.py")

# Targets from the performance issue; the summary marks each figure against them.
FLOOR_RATIO = 2.0
ADMIN_RATIO = 3.0
DOWNLOAD_MS = 1000.0
GROWTH = 1.5
LIST_PAGE_KB = 100.0
WORKER_MB = 150.0


@dataclass
class Page:
    name: str
    who: str
    path: str
    kind: str = "page"  # "page", "list", "download" or "baseline"


@dataclass
class Figure:
    name: str
    who: str
    path: str
    kind: str
    status: int
    bytes: int
    median_ms: float
    p95_ms: float
    samples: list[float] = field(repr=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--requests", type=int, default=40, help="Timed requests per page.")
    parser.add_argument("--warmup", type=int, default=5, help="Untimed requests first.")
    parser.add_argument("--output", type=Path, default=ROOT / ".bench" / "results.json")
    parser.add_argument("--reseed", action="store_true", help="Rebuild every database.")
    parser.add_argument(
        "--databases", default="vrp_bench", help="Name prefix of the benchmark's databases."
    )
    parser.add_argument("--no-redis", action="store_true", help="Sessions and cache without Redis.")
    args = parser.parse_args()

    results: dict = {"machine": machine(), "scales": {}, "requests": args.requests}
    databases = {
        scale: prepare_database(f"{args.databases}_{scale}", scale, reseed=args.reseed)
        for scale in args.scales
    }
    # One server a scale, all up at once: their pages take turns too, so that the growth
    # from one scale to the next is not the machine's drift between two runs.
    with contextlib.ExitStack() as stack:
        servers = {
            scale: stack.enter_context(Server(database, redis=not args.no_redis))
            for scale, database in databases.items()
        }
        clients = {}
        for scale, server in servers.items():
            pages, cookies = server.plan()
            clients[scale] = [Client(server.port, cookies[page.who], page) for page in pages]
        measure_all([client for scale in args.scales for client in clients[scale]], args)
        for scale, server in servers.items():
            figures = [client.figure() for client in clients[scale]]
            memory = server.worker_peak_mb()
            results["scales"][scale] = {
                "database": databases[scale],
                "figures": [asdict(figure) for figure in figures],
                "worker_peak_mb": memory,
            }
            print_scale(scale, figures, memory)
    print_summary(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2))
    table = args.output.with_suffix(".md")
    table.write_text(markdown(results))
    print(f"\nFigures written to {args.output}, and as a Markdown table to {table}")


# Databases ---------------------------------------------------------------------------------


def seed_stamp() -> str:
    digest = hashlib.sha256()
    for pattern in SEED_SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def run_sql(query, *params, database: str = "postgres"):
    """Run one statement outside a transaction; the first column of its first row."""
    with psycopg.connect(f"{PG}/{database}", autocommit=True) as connection:
        cursor = connection.execute(query, params or None)
        row = cursor.fetchone() if cursor.description else None
    return row[0] if row else None


def prepare_database(name: str, scale: int, *, reseed: bool) -> str:
    """A database seeded by the current code; reused while its stamp matches."""
    stamp = seed_stamp()
    found = run_sql(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", name
    )
    if found == f"seed {stamp}" and not reseed:
        print(f"Scale {scale}: reusing database {name}.")
        return name
    print(f"Scale {scale}: seeding database {name}…", flush=True)
    started = time.monotonic()
    run_sql(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    run_sql(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    env = {**os.environ, "DATABASE_URL": f"{PG}/{name}", "DEBUG": "True"}
    for command in (["migrate", "--noinput"], ["load_tor"], ["seed_demo", f"--scale={scale}"]):
        subprocess.run(
            [PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    run_sql("VACUUM ANALYZE", database=name)
    run_sql(
        sql.SQL("COMMENT ON DATABASE {} IS {}").format(
            sql.Identifier(name), sql.Literal(f"seed {stamp}")
        )
    )
    print(f"  seeded in {time.monotonic() - started:.0f} s")
    return name


# The server --------------------------------------------------------------------------------


class Server:
    """gunicorn with the production settings (DEBUG off) on a free port, over TLS."""

    def __init__(self, database: str, *, redis: bool):
        self.folder = Path(tempfile.mkdtemp(prefix="vrp-bench-"))
        self.port = free_port()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "vrp_portal.settings_bench",
            "DATABASE_URL": f"{PG}/{database}",
            "DEBUG": "False",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": SERVER,
            "SITE_URL": f"https://{SERVER}:{self.port}",
            "EMAIL_URL": "smtp://127.0.0.1:25",  # nothing is sent while pages are read
            "LOG_LEVEL": "ERROR",
            # Its own static files, so that the checkout's staticfiles/ is left alone.
            "STATIC_ROOT": str(self.folder / "static"),
        }
        if redis:
            self.env["REDIS_URL"] = REDIS

    def __enter__(self) -> Server:
        certificate, key = self.folder / "cert.pem", self.folder / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
            + ["-subj", f"/CN={SERVER}", "-keyout", key, "-out", certificate],
            check=True,
            capture_output=True,
        )
        self.manage("collectstatic", "--noinput")
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "vrp_portal.wsgi"]
            + ["--workers", "2", "--worker-class", "gthread", "--threads", "2"]
            + ["--bind", f"{SERVER}:{self.port}", "--keep-alive", "30"]
            + ["--certfile", str(certificate), "--keyfile", str(key)],
            cwd=ROOT,
            env=self.env,
            stderr=open(self.folder / "gunicorn.log", "w"),  # noqa: SIM115
        )
        wait_for(self.port)
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def manage(self, *command: str, **env: str) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *command],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise SystemExit(f"manage.py {command[0]} failed:\n{done.stderr}")
        return done.stdout

    def plan(self) -> tuple[list[Page], dict[str, str]]:
        """The pages to time, and a signed-in session cookie for each role."""
        # No request reaches the lockout's records here: there is no address to note.
        output = self.manage("shell", "-c", PLAN, AXES_ENABLED="False")
        plan = json.loads(output.strip().splitlines()[-1])
        return [Page(**page) for page in plan["pages"]], plan["cookies"]

    def worker_peak_mb(self) -> list[float]:
        """Each worker's peak resident memory (VmHWM) so far, in MB."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        peaks = []
        for pid in children.read_text().split():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(round(int(line.split()[1]) / 1024, 1))
        return peaks


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((SERVER, 0))
        return sock.getsockname()[1]


def wait_for(port: int) -> None:
    for _ in range(300):
        try:
            socket.create_connection((SERVER, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"gunicorn did not start on port {port}")


# Run inside the portal (manage.py shell) to choose the pages and sign each role in. The
# session is made the way the sign-in makes it, with the second factor already checked.
PLAN = """
import json
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from actions.models import Action
from core.quarters import Quarter
from core.second_factor import HAS_SECOND_FACTOR
from meetings.models import Meeting
from members.models import Group
from tracker.models import PerformanceMeasure
from tracker.pack import pack_quarters

cookies = {}
for who in ("staff", "chair", "member", "admin"):
    client = Client()
    client.force_login(get_user_model().objects.get(email=f"{who}@example.org"))
    session = client.session
    session[HAS_SECOND_FACTOR] = True
    session.save()
    cookies[who] = client.cookies[settings.SESSION_COOKIE_NAME].value

group = Group.objects.get(name="Communications Working Group")
meeting = (
    Meeting.objects.held().filter(group=group, starts_at__lt=timezone.now())
    .order_by("-starts_at").first()
)
action = Action.objects.filter(group=group).order_by("pk").first()
measure = PerformanceMeasure.objects.order_by("pk").first()
quarter = Quarter.current().previous()
report = f"/reports/quarterly/{quarter.slug}/"
pages = [
    ("floor", "staff", "/bench/floor/", "baseline"),
    ("admin changelist", "admin", "/admin/actions/action/", "baseline"),
    ("dashboard", "member", "/", "page"),
    ("my actions", "member", "/actions/mine/", "list"),
    ("action log", "staff", "/actions/", "list"),
    ("action log, filtered", "staff", f"/actions/?group={group.pk}&status=all", "list"),
    ("an action", "staff", f"/actions/{action.pk}/", "page"),
    ("meetings", "staff", "/meetings/", "list"),
    ("a meeting", "staff", f"/meetings/{meeting.pk}/", "page"),
    ("its register", "staff", f"/meetings/{meeting.pk}/attendance/", "page"),
    ("tracker", "staff", "/tracker/", "list"),
    ("a measure", "staff", f"/tracker/measures/{measure.pk}/", "page"),
    ("quarterly preview", "chair", report, "page"),
    ("update, Word", "chair", report + "report.docx", "download"),
    ("update, PDF", "chair", report + "report.pdf", "download"),
    ("update, Excel", "chair", report + "report.xlsx", "download"),
]
latest = pack_quarters().first()
if latest:
    pack = f"/reports/svrp-pack/{Quarter(latest['year'], latest['quarter']).slug}/"
    pages += [
        ("SVRP pack", "chair", pack, "page"),
        ("SVRP pack, Word", "chair", pack + "pack.docx", "download"),
    ]
fields = ("name", "who", "path", "kind")
print(json.dumps({"cookies": cookies, "pages": [dict(zip(fields, page)) for page in pages]}))
"""


# Measuring ---------------------------------------------------------------------------------


class Client:
    """One page's kept-alive TLS connection, signed in as the page's role."""

    def __init__(self, port: int, cookie: str, page: Page):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        self.page = page
        self.connection = http.client.HTTPSConnection(SERVER, port, context=context, timeout=60)
        self.headers = {"Cookie": f"__Host-sessionid={cookie}", "Accept-Encoding": "identity"}
        self.samples: list[float] = []
        self.status = self.size = 0

    def get(self) -> float:
        started = time.perf_counter()
        self.connection.request("GET", self.page.path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        self.status, self.size = response.status, len(body)
        if self.status != 200:
            raise SystemExit(f"{self.page.path} as {self.page.who}: HTTP {self.status}")
        return elapsed

    def figure(self) -> Figure:
        samples = sorted(self.samples)
        p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
        return Figure(
            **asdict(self.page),
            status=self.status,
            bytes=self.size,
            median_ms=round(statistics.median(samples), 2),
            p95_ms=round(p95, 2),
            samples=[round(sample, 2) for sample in self.samples],
        )


def measure_all(clients: list[Client], args) -> None:
    """Each client's samples, one request after another.

    Each page keeps its own connection alive. After the warm-up the pages take turns, one
    request each a round, so that whatever else the machine does weighs on every page
    alike, the floor included, and the ratios between them hold.
    """
    for client in clients:
        for _ in range(args.warmup):
            client.get()
    for _ in range(args.requests):
        for client in clients:
            client.samples.append(client.get())
    for client in clients:
        client.connection.close()


# Reporting ---------------------------------------------------------------------------------


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    postgres = run_sql("SHOW server_version")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "postgresql": postgres,
        "when": time.strftime("%Y-%m-%d %H:%M %Z"),
    }


def print_scale(scale: int, figures: list[Figure], memory: list[float]) -> None:
    floor = figures[0].median_ms
    print(f"\nScale {scale}x")
    print(f"{'page':<22} {'as':<7} {'median ms':>10} {'p95 ms':>8} {'x floor':>8} {'KB':>8}")
    for figure in figures:
        print(
            f"{figure.name:<22} {figure.who:<7} {figure.median_ms:>10.1f} {figure.p95_ms:>8.1f} "
            f"{figure.median_ms / floor:>8.1f} {figure.bytes / 1024:>8.1f}"
        )
    print(f"Worker peak memory: {', '.join(f'{mb:.0f} MB' for mb in memory)}")


def markdown(results: dict) -> str:
    """Every page's median at each scale, and at the largest its ratios and size."""
    scales = sorted(results["scales"])
    by_scale = {
        scale: {figure["name"]: figure for figure in results["scales"][scale]["figures"]}
        for scale in scales
    }
    largest, smallest = by_scale[scales[-1]], by_scale[scales[0]]
    floor = largest["floor"]["median_ms"]
    heads = [f"{scale}× median" for scale in scales]
    lines = [
        "| page | as | " + " | ".join(heads) + f" | {scales[-1]}× p95 | × floor | "
        f"{scales[-1]}× / {scales[0]}× | KB |",
        "|---|---|" + "---:|" * (len(scales) + 4),
    ]
    for name, figure in largest.items():
        medians = " | ".join(f"{by_scale[scale][name]['median_ms']:.1f} ms" for scale in scales)
        lines.append(
            f"| {name} | {figure['who']} | {medians} | {figure['p95_ms']:.1f} ms | "
            f"{figure['median_ms'] / floor:.1f} | "
            f"{figure['median_ms'] / smallest[name]['median_ms']:.2f} | "
            f"{figure['bytes'] / 1024:.1f} |"
        )
    peaks = ", ".join(
        f"{scale}×: {max(results['scales'][scale]['worker_peak_mb']):.0f} MB" for scale in scales
    )
    return "\n".join([*lines, "", f"Peak worker memory (the larger of two): {peaks}.", ""])


def print_summary(results: dict) -> None:
    """At the largest scale: each page against the floor, the smallest scale and the targets."""
    scales = sorted(results["scales"])
    largest, smallest = scales[-1], scales[0]
    figures = {f["name"]: f for f in results["scales"][largest]["figures"]}
    first = {f["name"]: f for f in results["scales"][smallest]["figures"]}
    floor, admin = figures["floor"]["median_ms"], figures["admin changelist"]["median_ms"]
    growth = f"{largest}x / {smallest}x"
    print(f"\nSummary at {largest}x (targets: x floor <= {FLOOR_RATIO:g}, {growth} <= {GROWTH:g})")
    print(f"{'page':<22} {'median ms':>10} {'x floor':>8} {growth:>12} {'KB':>8}  misses")
    held = missed = 0
    for name, figure in figures.items():
        if figure["kind"] == "baseline":
            continue
        ratio = figure["median_ms"] / floor
        grew = figure["median_ms"] / first[name]["median_ms"] if name in first else None
        kilobytes = figure["bytes"] / 1024
        misses = []
        if ratio > FLOOR_RATIO:
            misses.append("floor")
        if grew is not None and grew > GROWTH:
            misses.append("growth")
        if figure["kind"] == "download" and figure["median_ms"] > DOWNLOAD_MS:
            misses.append("1 s")
        if figure["kind"] == "list" and kilobytes > LIST_PAGE_KB:
            misses.append("100 KB")
        held, missed = held + (not misses), missed + bool(misses)
        shown = f"{grew:.2f}" if grew is not None else "-"
        print(
            f"{name:<22} {figure['median_ms']:>10.1f} {ratio:>8.1f} {shown:>12} "
            f"{kilobytes:>8.1f}  {', '.join(misses)}"
        )
    log = figures["action log"]["median_ms"]
    peak = max(results["scales"][largest]["worker_peak_mb"])
    print(f"\nFloor {floor:.1f} ms; admin changelist {admin:.1f} ms ({admin / floor:.1f}x floor).")
    print(
        f"Action log vs admin changelist: {admin / log:.1f}x faster "
        f"(target >= {ADMIN_RATIO:g}x): {'holds' if admin / log >= ADMIN_RATIO else 'misses'}."
    )
    print(f"Worker peak memory: {peak:.0f} MB (target < {WORKER_MB:g} MB).")
    print(f"Pages meeting every target: {held}; missing one or more: {missed}.")


if __name__ == "__main__":
    main()
