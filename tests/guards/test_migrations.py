from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from core.permissions import ROLES


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_the_roles_are_created_by_a_migration_with_permissions():
    roles = {group.name: group for group in Group.objects.filter(name__in=ROLES)}

    assert set(roles) == set(ROLES)
    staff_perms = set(roles["VRU staff"].permissions.values_list("codename", flat=True))
    member_perms = set(roles["Member"].permissions.values_list("codename", flat=True))
    assert {"add_meeting", "change_action", "view_agency"} <= staff_perms
    assert not any(codename.startswith("delete_") for codename in staff_perms)
    assert "change_action" in member_perms and "change_meeting" not in member_perms
