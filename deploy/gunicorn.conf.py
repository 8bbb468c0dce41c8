"""gunicorn's settings for the portal's web process, read by the image's start command:

    gunicorn --config deploy/gunicorn.conf.py vrp_portal.wsgi

run from the project's root. The environment chooses the address, the number of workers
and the trusted proxy; everything else is fixed here, with the reason beside it.
tests/deploy/test_start_path.py starts the portal with exactly this command and these
settings, on PostgreSQL and Redis, as CI's proof of the image's start-up path.
"""

import os
import shutil

# Where to listen. In the container, every interface of its own network namespace: only
# the reverse proxy's network reaches it, and the port is never published to the host.
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Processes, each serving several requests at once on threads. A page spends much of its
# time waiting on PostgreSQL, so 4 threads keep a worker busy without a process each;
# WEB_CONCURRENCY (the usual name, which gunicorn also honours) sizes it to the machine:
# about one worker a core.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = 4

# A request that takes more than 30 s is stuck: the worker is killed and replaced. Pages
# and downloads answer in well under a second (README, Performance); emails and large
# documents run in the task worker, never in a request.
timeout = 30
# On SIGTERM (a deploy, `docker stop`) requests in flight get up to 30 s to finish. The
# container's stop grace period must be longer, or they are cut off by SIGKILL.
graceful_timeout = 30
# Seconds an idle kept-alive connection from the proxy stays open. The proxy must give up
# an idle upstream connection sooner than this, or it may send a request on a connection
# gunicorn has just closed (a 502).
keepalive = 5

# Which peers may say, in X-Forwarded-Proto, that the request came over https (gunicorn
# then sets wsgi.url_scheme). Only the proxy terminates TLS, so only it is trusted: by
# default this machine (a proxy beside the process). In compose the proxy has its own
# address on the internal network: set FORWARDED_ALLOW_IPS (gunicorn's own variable) to
# it. gunicorn 23 takes addresses, not networks; "*" is acceptable only where nothing but
# the proxy can reach the port. Django reads the header itself (SECURE_PROXY_SSL_HEADER),
# so the real boundary is that the app's port is reachable from the proxy alone.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# No access log: it would write every client's address with every path (UK GDPR, data
# minimisation). Django logs what needs attention by path and status, without addresses,
# and the security log records sign-in events by user id (core.security).
accesslog = None
# gunicorn's own messages (start, stop, a worker killed) go to stderr, the container's log.
errorlog = "-"

# Replace a worker after about 1,000 requests (the jitter spreads the restarts so the
# workers do not all restart at once). python-docx builds Word files in lxml's memory,
# which grows a worker by 30-40 MB that Python never hands back (README, Performance):
# a fresh worker bounds that growth.
max_requests = 1000
max_requests_jitter = 100

# The workers' heartbeat files: in memory where the system has /dev/shm, because a
# container's own disk (overlayfs) can stall the heartbeat and get workers killed.
SHARED_MEMORY = "/dev/shm"  # noqa: S108 - the system's memory-backed folder, not a temp file
if os.path.isdir(SHARED_MEMORY):
    worker_tmp_dir = SHARED_MEMORY

# Each worker imports the portal itself: no database or Redis connection is made before
# the fork and then shared by several processes, the production checks (vrp_portal/wsgi.py)
# run in every worker, and a worker started by max_requests is a fresh import.
preload_app = False

# Prometheus with several workers (prometheus_client's multiprocess mode): the shared folder
# is emptied before any worker writes to it, and a worker that exits is marked dead.
PROMETHEUS_MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def on_starting(server):
    if PROMETHEUS_MULTIPROC_DIR:
        shutil.rmtree(PROMETHEUS_MULTIPROC_DIR, ignore_errors=True)
        os.makedirs(PROMETHEUS_MULTIPROC_DIR, exist_ok=True)


def child_exit(server, worker):
    if PROMETHEUS_MULTIPROC_DIR:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
