"""Helpers for the stale-save tests: two people open the same edit page, both save."""

from __future__ import annotations

from django.test import Client

from core.permissions import VRU_STAFF
from tests.factories import PersonFactory, UserFactory


def second_staff_client(working_group) -> Client:
    """Another member of VRU staff, signed in: the colleague editing at the same time."""
    user = UserFactory(email="colleague@example.org", roles=[VRU_STAFF])
    PersonFactory(email=user.email, full_name="Colleague", user=user)
    client = Client()
    client.force_login(user)
    return client


def page_data(form, **changes) -> dict:
    """What the page's form posts as it was opened (hidden version included), with
    `changes` typed into it by field name."""
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if value is None or value is False:
            continue
        data[form.add_prefix(name)] = value
    for name, value in changes.items():
        if value is False:
            data.pop(form.add_prefix(name), None)
        else:
            data[form.add_prefix(name)] = value
    return data


def hidden_version(form) -> str:
    """The hidden version input as a 409 page renders it, to find in its HTML."""
    return f'name="{form.add_prefix("version")}" value="{form["version"].value()}"'
