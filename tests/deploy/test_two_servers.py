"""Two app servers, one PostgreSQL and one Redis: no state lives in a process.

Two gunicorn instances, each started with the image's command and 2 workers of its own,
serve one deployment: the same database, the same Redis (REDIS_URL set, so the cache is
Redis and the sessions are read from Redis and written through to the database), the same
SECRET_KEY. A person signs in on one and carries on on the other. This proves:

- a session started on server A is honoured by server B (the session is in Redis, not in
  a worker), and signing out on B ends it on A too;
- a throttle counted on A holds on B (allauth's, in the cache): a process's own memory
  would let the fourth password reset through;
- two saves of one action at the same instant, one on each server, never lose an update:
  one is saved, the other answers 409 Conflict with what was typed still on the page and
  the current version in its hidden field; the database holds the winner's change alone,
  and the action's version moved on once.

What only the documentation covers (README, deployment): how many servers to run and
behind which load balancer, that every server must have the same SECRET_KEY, DATABASE_URL,
REDIS_URL and REDIS_KEY_PREFIX, that the background worker (`manage.py db_worker`) runs
once or more beside them, and that the proxy needs no sticky sessions. Servers on separate
machines differ from these only by the network between them.
"""

import json
import threading

import pytest

from tests.deploy.servers import Browser, Server, deployment, redis_keys, run_sql, servers

# Real time: the servers are other processes, on the machine's clock.
pytestmark = pytest.mark.real_clock

EMAIL = "lead@example.org"
PASSWORD = "two-servers-one-database"
NAME = "Morgan Two-Servers"
TITLE = "Publish the knife crime campaign"
SESSIONS_IN_REDIS = "django.contrib.sessions.cached_db"

# Run inside the deployment (manage.py shell): a member who owns one open action. Members
# need no second factor, so a password signs them in.
SEED = f"""
import datetime as dt
import json
from django.contrib.auth.models import Group as Role
from django.utils import timezone
from actions.models import Action
from core.models import User
from core.permissions import MEMBER
from members.models import Agency, Group, Membership, Person

agency = Agency.objects.create(
    name="Hampshire and Isle of Wight Constabulary", short_name="Police",
    sector=Agency.Sector.POLICE, duty_status=Agency.DutyStatus.SPECIFIED,
)
group = Group.objects.create(name="Communications Working Group", kind=Group.Kind.WORKING)
user = User.objects.create_user(email={EMAIL!r}, password={PASSWORD!r})
user.groups.add(Role.objects.get(name=MEMBER))
person = Person.objects.create(
    full_name={NAME!r}, email={EMAIL!r}, job_title="Communications Lead", agency=agency,
    user=user,
)
Membership.objects.create(
    group=group, agency=agency, role_title="Corporate Communications", person=person
)
action = Action.objects.create(
    group=group, title={TITLE!r}, owner=person, agency=agency,
    due_date=timezone.localdate() + dt.timedelta(days=30),
)
print(json.dumps({{"action": action.pk, "version": action.version}}))
"""


@pytest.fixture
def two_servers():
    """A deployment with the member's action, served by two servers: (site, action, A, B)."""
    with deployment("two") as site:
        site.prepare()
        action = json.loads(site.manage("shell", "-c", SEED).strip().splitlines()[-1])
        with servers(site, 2) as (a, b):
            yield site, action, a, b


def test_two_servers_share_sessions_and_throttles_and_lose_no_update(two_servers):
    site, action, a, b = two_servers
    browser = Browser()

    # Signed in on A, the session is held in Redis ...
    sign_in(browser, a)
    dashboard = browser.get(a, "/")
    assert dashboard.status == 200
    assert NAME in dashboard.text
    session = browser.cookies["__Host-sessionid"]
    in_redis = f"{site.redis_prefix}:1:{SESSIONS_IN_REDIS}{session}"
    assert in_redis in redis_keys(site.redis_prefix)

    # ... and the person carries on on B.
    mine = browser.get(b, "/actions/mine/")
    assert mine.status == 200
    assert NAME in mine.text
    assert TITLE in mine.text

    # The same form, open on both servers, saved on both at the same instant. Both saves
    # keep the action outstanding, so the refused one's form is drawn again.
    pk, version = action["action"], action["version"]
    path, prefix = f"/actions/{pk}/update/", f"action-{pk}"
    typed = {
        a: {"status": "in_progress", "text": "Press release drafted on server A"},
        b: {"status": "open", "text": "Waiting for sign-off, noted on server B"},
    }
    saves = {}
    for server, values in typed.items():
        form = browser.get(server, path)
        assert form.input_value(f"{prefix}-version") == str(version)
        fields = {f"{prefix}-{name}": value for name, value in values.items()}
        fields |= {f"{prefix}-version": str(version), "csrfmiddlewaretoken": form.csrf_token}
        saves[server] = fields
    answers = save_at_once(browser, path, saves)

    assert sorted(answer.status for answer in answers.values()) == [302, 409]
    winner = a if answers[a].status == 302 else b
    loser = b if winner is a else a
    refused = answers[loser]
    assert "Somebody else changed this action" in refused.text
    assert refused.input_value(f"{prefix}-text") == typed[loser]["text"]
    assert refused.input_value(f"{prefix}-version") == str(version + 1)
    # The database holds the winner's change alone, and moved on by one version.
    stored = run_sql(
        "SELECT status, version FROM actions_action WHERE id = %s", pk, database=site.database
    )
    assert stored == [(typed[winner]["status"], version + 1)]
    notes = run_sql(
        "SELECT text FROM actions_actionupdate WHERE action_id = %s", pk, database=site.database
    )
    assert notes == [(typed[winner]["text"],)]
    # The loser's server shows the winner's update: no server keeps a stale copy.
    assert typed[winner]["text"] in browser.get(loser, f"/actions/{pk}/").text

    # A throttle counted on A holds on B: 3 password resets an address an hour.
    stranger = Browser()
    answers = [ask_for_password_reset(stranger, server) for server in (a, a, a, b)]
    assert answers == [302, 302, 302, 429]

    # Signing out on B ends the session on A too.
    page = browser.get(b, "/actions/mine/")
    signed_out = browser.post(b, "/accounts/logout/", {"csrfmiddlewaretoken": page.csrf_token})
    assert signed_out.status == 302
    assert "__Host-sessionid" not in browser.cookies
    assert in_redis not in redis_keys(site.redis_prefix)
    kept_cookie = Browser()
    kept_cookie.cookies["__Host-sessionid"] = session
    after = kept_cookie.get(a, "/actions/mine/")
    assert after.status == 302
    assert after.location.startswith("/accounts/login/")


def sign_in(browser: Browser, server: Server) -> None:
    form = browser.get(server, "/accounts/login/")
    answer = browser.post(
        server,
        "/accounts/login/",
        {"login": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": form.csrf_token},
    )
    assert (answer.status, answer.location) == (302, "/"), answer.text


def save_at_once(browser: Browser, path: str, saves: dict[Server, dict]) -> dict:
    """POST each server its form at the same instant, one thread a server; the answers."""
    barrier = threading.Barrier(len(saves))
    answers = {}

    def save(server, fields):
        barrier.wait()
        answers[server] = browser.post(server, path, fields)

    threads = [threading.Thread(target=save, args=item) for item in saves.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def ask_for_password_reset(browser: Browser, server: Server) -> int:
    """Ask `server` to email the member a reset link; the answer's status."""
    form = browser.get(server, "/accounts/password/reset/")
    answer = browser.post(
        server,
        "/accounts/password/reset/",
        {"email": EMAIL, "csrfmiddlewaretoken": form.csrf_token},
    )
    return answer.status
