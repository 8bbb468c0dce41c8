"""Who may do what, on every people URL: anonymous, owner, other member, chair, staff.

Decided: every role views the list and each person's page; only VRU staff add,
edit, invite, deactivate and reactivate; the chair changes nothing.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from core.permissions import MEMBER
from members.models import Person
from tests.access import ALL, CLIENT_FIXTURES, STAFF, assert_access
from tests.factories import AgencyFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def database_state():
    """Everything a people URL could change, to show that a refusal changed nothing."""
    users = get_user_model().objects.order_by("pk")
    return (
        list(Person.objects.order_by("pk").values()),
        list(users.values("pk", "email", "is_active", "password")),
        list(users.values_list("pk", "groups__name")),
        len(mail.outbox),
    )


@pytest.fixture
def objects():
    invited = UserFactory(email="sam@example.org", roles=[MEMBER])
    invited.set_unusable_password()
    invited.save()
    return {
        "invited": PersonFactory(full_name="Sam Target", email="sam@example.org", user=invited),
        "deactivated": PersonFactory(full_name="Dee Parted", is_active=False),
    }


def _new_person(f):
    return {
        "full_name": "Nia New",
        "email": "nia@example.org",
        "job_title": "Press Officer",
        "agency": AgencyFactory().pk,
        "role": MEMBER,
        "send_invitation": "on",
    }


def _edit(f):
    person = f["invited"]
    return {
        "full_name": "Sam Renamed",
        "email": person.email,
        "job_title": person.job_title,
        "agency": person.agency_id,
        "role": MEMBER,
        "version": person.version,
    }


def _person_url(name, key):
    return lambda f: reverse(name, args=[f[key].pk])


# (name, method, url, data, who is allowed, status when allowed)
CASES = [
    ("list", "get", lambda f: reverse("members:people"), None, ALL, 200),
    ("page", "get", _person_url("members:person", "invited"), None, ALL, 200),
    ("add form", "get", lambda f: reverse("members:person_create"), None, STAFF, 200),
    ("add", "post", lambda f: reverse("members:person_create"), _new_person, STAFF, 302),
    ("edit form", "get", _person_url("members:person_edit", "invited"), None, STAFF, 200),
    ("edit", "post", _person_url("members:person_edit", "invited"), _edit, STAFF, 302),
    ("invite", "post", _person_url("members:person_invite", "invited"), None, STAFF, 302),
    ("deactivate", "post", _person_url("members:person_deactivate", "invited"), None, STAFF, 302),
    (
        "reactivate",
        "post",
        _person_url("members:person_reactivate", "deactivated"),
        None,
        STAFF,
        302,
    ),
]


@pytest.mark.parametrize("persona", list(CLIENT_FIXTURES))
@pytest.mark.parametrize(
    ("name", "method", "url", "data", "allowed", "status"), CASES, ids=[c[0] for c in CASES]
)
def test_every_people_url_answers_each_persona_as_decided(
    request, objects, persona, name, method, url, data, allowed, status
):
    client = request.getfixturevalue(CLIENT_FIXTURES[persona])
    path = url(objects)
    payload = data(objects) if data else {}
    before = database_state()

    response = getattr(client, method)(path, payload)

    assert_access(
        response,
        persona=persona,
        allowed=allowed,
        status=status,
        method=method,
        before=before,
        state=database_state,
    )


@pytest.mark.parametrize("name", ["person_invite", "person_deactivate", "person_reactivate"])
def test_the_state_changing_urls_reject_get(staff_client, objects, name):
    before = database_state()

    response = staff_client.get(reverse(f"members:{name}", args=[objects["invited"].pk]))

    assert response.status_code == 405
    assert database_state() == before


def test_a_missing_person_answers_404(member_client, staff_client):
    assert member_client.get(reverse("members:person", args=[999999])).status_code == 404
    assert staff_client.get(reverse("members:person_edit", args=[999999])).status_code == 404
    assert staff_client.post(reverse("members:person_deactivate", args=[999999])).status_code == 404


def test_a_signed_in_user_with_no_portal_role_sees_no_people(client, objects):
    client.force_login(UserFactory(email="nobody@example.org"))

    assert client.get(reverse("members:people")).status_code == 403
    assert client.get(reverse("members:person", args=[objects["invited"].pk])).status_code == 404


def test_forms_without_a_csrf_token_are_refused(staff_user, objects):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    before = database_state()

    response = client.post(reverse("members:person_deactivate", args=[objects["invited"].pk]))

    assert response.status_code == 403
    assert database_state() == before
