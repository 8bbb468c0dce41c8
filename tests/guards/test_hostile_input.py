"""Hostile input posted to every form of the URLconf, as VRU staff and as a member.

Every URL is tried. One that refuses a POST (405) has nothing to sweep; every other
must have its form on some page (read from the HTML as VRU staff or a member see it)
or listed in NO_PAGE_FORM, or its test fails: so a form added later is swept from the
day it appears. Hypothesis then posts values made for each field's type (see
tests/guards/hostile.py), and each answer must be:

- no server error: an exception or a 5xx answer fails the test with the example;
- no half-written refusal: a POST that is refused (4xx, a form shown again with
  errors, or an error message) leaves every portal table exactly as it was.

Each example runs in a savepoint that is rolled back, on a stopped clock, so examples
do not depend on each other; Hypothesis is derandomised and keeps no example
database, so CI sees the same examples on every run. VRP_HOSTILE_EXAMPLES sets the
examples per form and persona (default EXAMPLES); the totals are printed at the end.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
import time_machine
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.forms import BaseForm, BaseFormSet
from django.test import Client, override_settings
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings

from actions.models import Action
from core.permissions import MEMBER, VRU_STAFF
from members.services import person_deactivate
from tests.clock import frozen_clock, frozen_instant
from tests.factories import (
    ActionFactory,
    GroupFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)
from tests.guards.hostile import (
    SWEEP_RECORD,
    Field,
    FormSpec,
    SweepRecord,
    hostile_post,
    page_forms,
)
from tests.guards.test_every_url import PATTERNS, PUBLIC
from tests.guards.urlconf import OBJECT_ID, build_one_of_everything, state_for, url_for

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("VRP_HOSTILE_EXAMPLES", "12"))
NOT_FOUND, NOT_ALLOWED = 404, 405
# Every table a form of the portal may write; not sessions, sign-in lock-outs or the
# security log, which record the attempt itself.
PORTAL_APPS = ["members", "meetings", "actions", "tracker"]
ACCOUNT_MODELS = [EmailAddress, EmailConfirmation, Authenticator, SocialAccount]
# POST-accepting URLs whose form no page shows here: the fields they read, so that they
# are swept too. allauth's steps that only follow another (a code or passkey asked for
# while signing in, a link from an email, signing up after Microsoft), sign-up (closed),
# and buttons shown only in a state the guard's data lacks.
CODE = [Field("code", "text", "")]
NEW_PASSWORD = [Field("password1", "password", ""), Field("password2", "password", "")]
NO_PAGE_FORM: dict[str, list[Field]] = {
    "account_confirm_email": [],
    "account_confirm_login_code": CODE,
    "account_confirm_reauthentication_code": CODE,
    "account_reset_password_from_key": NEW_PASSWORD,
    "account_set_password": NEW_PASSWORD,
    "account_signup": [Field("email", "email", ""), *NEW_PASSWORD],
    "mfa_authenticate": CODE,
    "mfa_deactivate_totp": [],
    "mfa_reauthenticate_webauthn": [Field("credential", "hidden", "{}")],
    "socialaccount_signup": [Field("email", "email", "")],
    "socialaccount_connections": [Field("account", "radio", None, options=["1"])],
    "usersessions_list": [],
    # A reply's form shows only until its meeting starts, and the guard's meeting is over.
    "meetings:reply_save": [
        Field(f"reply-{OBJECT_ID}-{OBJECT_ID}-kind", "radio", None, ["apologies", "deputy"]),
        Field(f"reply-{OBJECT_ID}-{OBJECT_ID}-deputy_name", "text", ""),
        Field(f"reply-{OBJECT_ID}-{OBJECT_ID}-deputy_role", "text", ""),
        Field("next", "hidden", "/meetings/mine/"),
    ],
    "meetings:reply_withdraw": [Field("next", "hidden", "/meetings/mine/")],
}
# Read-only pages that answer a POST as they answer a GET (they lack @require_GET): swept
# with forged fields only, which they must ignore.
ANSWER_POST_AS_GET = {
    "dashboard",
    "meetings:calendar",
    "meetings:detail",
    "meetings:group_detail",
    "meetings:groups",
    "meetings:list",
    "members:directory",
    "members:distribution_list",
    "members:distribution_list_csv",
    "members:distribution_list_docx",
    "reports:compare",
    "reports:quarterly",
    "reports:quarters",
    "reports:report_csv",
    "reports:report_docx",
    "reports:report_json",
    "reports:report_pdf",
    "reports:report_xlsx",
    "tracker:index",
    "tracker:measure",
}
# Sign in with Microsoft is left unconfigured here (its pages answer 404): configured, a
# POST would call the provider over the network. tests/portal/test_microsoft_sign_in.py
# drives it against a local provider.
NOT_SWEPT = {"openid_connect_login", "openid_connect_callback"}


def snapshot_models() -> list:
    models = [m for app in PORTAL_APPS for m in apps.get_app_config(app).get_models()]
    user = get_user_model()
    return [*models, user, user.groups.through, *ACCOUNT_MODELS]


def database_state() -> dict[str, list]:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in snapshot_models()
    }


@dataclass
class Site:
    users: dict  # by persona; None for the anonymous visitor
    sessions: dict[str, str]
    forms: dict[str, list[FormSpec]]  # POST forms, by the name of the URL they post to
    queries: dict[str, list[FormSpec]]  # GET forms (filters, pickers), likewise


def _view_name(target: str) -> str | None:
    try:
        return resolve(target.split("?")[0]).view_name
    except Resolver404:
        return None


def _state_pages(staff) -> list[str]:
    """Pages whose buttons show only in a state one of everything lacks: a cancelled
    action (reopen) and a deactivated person (reactivate)."""
    cancelled = ActionFactory(
        title="Cancelled in the sweep", owner=staff.person, status=Action.Status.CANCELLED
    )
    gone = PersonFactory(full_name="Deactivated in the sweep", user=UserFactory(roles=[MEMBER]))
    person_deactivate(person=gone, by=staff)
    return [f"/actions/{cancelled.pk}/", f"/members/people/{gone.pk}/"]


def _discover(clients: dict[str, Client], users: dict, extra: list[str]) -> dict:
    """Every form on every page that each persona can open, by its method and the URL
    it sends to."""
    forms: dict[tuple[str, str], dict[tuple, FormSpec]] = {}
    pages = [(name, url_for(name, pattern)) for name, pattern in PATTERNS]
    pages += [(_view_name(url), url) for url in extra]
    for persona, client in clients.items():
        for name, url in pages:
            with state_for(name, users[persona] or users["staff"]), transaction.atomic():
                response = client.get(url)
                transaction.set_rollback(True)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for form in page_forms(response.content, url):
                target = _view_name(form.target)
                if target:
                    key = (form.method, target)
                    forms.setdefault(key, {}).setdefault(form.signature, form)
    return {key: list(found.values()) for key, found in forms.items()}


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """Staff and a member, one of everything around staff, and every form on the pages
    that they and an anonymous visitor can open."""
    # As every test has them (conftest's _plain_settings), for the pages read here.
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    storages = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with (
        frozen_clock(),
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast, STORAGES=storages),
        transaction.atomic(),
    ):
        group = GroupFactory(name="Sweep Working Group")
        users = {"anonymous": None}
        clients = {"anonymous": Client()}
        for persona, role in [("staff", VRU_STAFF), ("member", MEMBER)]:
            email = f"sweep.{persona}@example.org"
            user = UserFactory(email=email, roles=[role])
            person = PersonFactory(email=email, full_name=f"Sweep {persona.title()}", user=user)
            MembershipFactory(group=group, agency=person.agency, person=person)
            users[persona] = user
            clients[persona] = Client()
            clients[persona].force_login(user)
        build_one_of_everything(users["staff"].person)
        extra = _state_pages(users["staff"])
        sessions = {
            persona: client.cookies[django_settings.SESSION_COOKIE_NAME].value
            for persona, client in clients.items()
            if users[persona] is not None
        }
        found = _discover(clients, users, extra)
        yield Site(
            users=users,
            sessions=sessions,
            forms={name: forms for (method, name), forms in found.items() if method == "post"},
            queries={name: forms for (method, name), forms in found.items() if method == "get"},
        )
        transaction.set_rollback(True)


@pytest.fixture
def record(request) -> SweepRecord:
    return request.config.stash.setdefault(SWEEP_RECORD, SweepRecord())


def _client(site: Site, persona: str) -> Client:
    """A fresh client on the persona's session: a POST that signs out ends only its own."""
    client = Client()
    if persona in site.sessions:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = site.sessions[persona]
    return client


def _forms_in(value, depth: int = 0):
    """Forms and formsets in a template context value: itself, or held in a list, a dict or
    an object's `form` (the register's rows, the tracker's forms by prefix)."""
    if isinstance(value, BaseForm | BaseFormSet):
        yield value
    elif depth < 3 and isinstance(value, dict):
        for item in value.values():
            yield from _forms_in(item, depth + 1)
    elif depth < 3 and isinstance(value, list | tuple):
        for item in value:
            yield from _forms_in(item, depth + 1)
    elif depth < 3 and isinstance(getattr(value, "form", None), BaseForm):
        yield value.form


def _has_errors(form) -> bool:
    if isinstance(form, BaseFormSet):
        return form.is_bound and not form.is_valid()
    return form.is_bound and bool(form.errors)


def refused(response) -> bool:
    """Whether the POST was refused: an error answer, a form shown again with errors, or
    an error message (shown on the page, or queued for the next one)."""
    if response.status_code >= 400:
        return True
    stored = getattr(response.wsgi_request, "_messages", None)
    shown = [*getattr(stored, "_loaded_messages", []), *getattr(stored, "_queued_messages", [])]
    if any(message.level >= messages.ERROR for message in shown):
        return True
    for context in response.context or []:
        for layer in getattr(context, "dicts", [context]):
            if isinstance(layer, dict) and any(
                _has_errors(form) for form in _forms_in(list(layer.values()))
            ):
                return True
    return b"is-invalid" in getattr(response, "content", b"")


def _changes(before: dict, after: dict) -> dict:
    return {
        label: {"before": before[label], "after": after[label]}
        for label in before
        if before[label] != after[label]
    }


def test_the_sweep_lists_only_urls_of_the_urlconf():
    names = {name for name, _ in PATTERNS}

    assert set(NO_PAGE_FORM) | ANSWER_POST_AS_GET | NOT_SWEPT <= names
    assert not set(NO_PAGE_FORM) & ANSWER_POST_AS_GET


# Staff and a member post to every URL; an anonymous visitor to the public ones.
CASES = [
    (name, pattern, persona)
    for name, pattern in PATTERNS
    for persona in ["staff", "member", *(["anonymous"] if name in PUBLIC else [])]
]


@pytest.mark.parametrize(
    ("name", "pattern", "persona"), CASES, ids=[f"{name}-{persona}" for name, _, persona in CASES]
)
def test_hostile_posts_neither_fail_nor_half_write(site, name, pattern, persona, record):
    url = url_for(name, pattern)
    # The security key that some URLs need belongs to the persona (staff's, for anonymous).
    user = site.users[persona] or site.users["staff"]
    with time_machine.travel(frozen_instant(), tick=False):
        with state_for(name, site.users["staff"]), transaction.atomic():
            probe = _client(site, "staff").post(url, {})
            transaction.set_rollback(True)
        if name in NOT_SWEPT:
            assert probe.status_code == NOT_FOUND, f"{name} is configured: sweep it"
            return
        listed = name in NO_PAGE_FORM or name in ANSWER_POST_AS_GET
        assert not (listed and name in site.forms), f"A page shows {name}'s form: unlist it"
        if probe.status_code == NOT_ALLOWED:
            assert not listed, f"{name} refuses POST now: take it off this module's lists"
            record.urls["refusing POST"].add(name)
            return
        if name in ANSWER_POST_AS_GET:
            forms = [FormSpec(page=url, target=url, fields=[])]
            record.urls["read-only"].add(name)
        elif name in site.forms:
            forms = site.forms[name]
        elif name in NO_PAGE_FORM:
            forms = [FormSpec(page="", target=url, fields=NO_PAGE_FORM[name])]
        else:
            pytest.fail(
                f"{url} ({name}) accepts POST but no page shows its form: show it on a page, "
                "or list its fields in NO_PAGE_FORM so that the sweep covers it."
            )
        with state_for(name, user), transaction.atomic():
            baseline = database_state()
            transaction.set_rollback(True)
        record.urls["swept"].add(name)
        if name not in ANSWER_POST_AS_GET:
            record.urls["forms"].update(form.signature for form in forms)
        record.totals["URL × persona tests swept"] += 1

        @settings(
            max_examples=EXAMPLES * len(forms),
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(hostile_post(forms))
        def sweep(example):
            form, data, htmx = example
            record.totals["examples"] += 1
            cache.clear()  # throttles, as the database, start each example afresh
            headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
            with state_for(name, user), transaction.atomic():
                try:
                    try:
                        response = _client(site, persona).post(form.target, data, **headers)
                    except Exception:
                        record.urls["server errors"].add(name)
                        raise
                    if response.status_code >= 500:
                        record.urls["server errors"].add(name)
                    assert response.status_code < 500, f"{form.target} answered {response}"
                    if refused(response):
                        record.totals["examples refused"] += 1
                        changes = _changes(baseline, database_state())
                        if changes:
                            record.urls["half writes"].add(name)
                        assert not changes, f"{form.target} refused the POST but wrote {changes}"
                    else:
                        record.totals["examples accepted"] += 1
                finally:
                    transaction.set_rollback(True)

        sweep()


@pytest.mark.parametrize(
    ("name", "pattern", "persona"), CASES, ids=[f"{name}-{persona}" for name, _, persona in CASES]
)
def test_hostile_queries_neither_fail_nor_write(site, name, pattern, persona, record):
    """The GET forms (filters, pickers of group or quarter) with hostile values in the
    query: never a server error, and a GET never writes."""
    forms = site.queries.get(name, [])
    user = site.users[persona] or site.users["staff"]
    if not forms:
        return
    with time_machine.travel(frozen_instant(), tick=False):
        with state_for(name, user), transaction.atomic():
            baseline = database_state()
            transaction.set_rollback(True)
        record.urls["queried"].add(name)
        record.urls["query forms"].update(form.signature for form in forms)

        @settings(
            max_examples=EXAMPLES * len(forms),
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(hostile_post(forms))
        def sweep(example):
            form, data, htmx = example
            record.totals["query examples"] += 1
            cache.clear()
            headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
            with state_for(name, user), transaction.atomic():
                try:
                    try:
                        response = _client(site, persona).get(form.target, data, **headers)
                    except Exception:
                        record.urls["server errors"].add(name)
                        raise
                    if response.status_code >= 500:
                        record.urls["server errors"].add(name)
                    assert response.status_code < 500, f"{form.target} answered {response}"
                    changes = _changes(baseline, database_state())
                    assert not changes, f"A GET of {form.target} wrote {changes}"
                finally:
                    transaction.set_rollback(True)

        sweep()


@pytest.mark.parametrize("path", ["/members/people/", "/actions/"])
def test_a_search_too_long_to_be_a_search_is_refused_not_a_server_error(staff_client, path):
    """Found by the sweep: SQLite refuses a LIKE pattern over 50,000 bytes."""
    response = staff_client.get(path, {"q": "é" * 70_000})

    assert response.status_code == 200
    assert "Ensure this value has at most 200 characters" in response.content.decode()
