"""Every model is in the admin, and its list, search and add pages work."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory
from tests.guards.urlconf import OBJECT_ID, build_one_of_everything

pytestmark = pytest.mark.django_db

PORTAL_APPS = ("members", "meetings", "actions", "tracker")
MODELS = [
    model
    for app in PORTAL_APPS
    for model in apps.get_app_config(app).get_models()
    if not model.__name__.startswith("Historical")
]


def test_every_portal_model_is_registered():
    missing = [model.__name__ for model in MODELS if not admin.site.is_registered(model)]
    assert missing == []


@pytest.mark.parametrize("model", MODELS, ids=[model.__name__ for model in MODELS])
def test_admin_list_search_and_change_pages_answer(client, staff_user, model):
    build_one_of_everything(staff_user.person)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    admin_name = f"admin:{model._meta.app_label}_{model._meta.model_name}"

    listing = client.get(reverse(f"{admin_name}_changelist"), {"q": "guard"})
    adding = client.get(reverse(f"{admin_name}_add"))

    assert listing.status_code == 200
    assert adding.status_code in (200, 403)
    if model.objects.filter(pk=OBJECT_ID).exists():
        change = client.get(reverse(f"{admin_name}_change", args=[OBJECT_ID]))
        assert change.status_code == 200
