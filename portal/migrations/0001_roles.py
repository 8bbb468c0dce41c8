"""Create the portal's three roles as Django groups with their model permissions.

The portal's views check roles through core.permissions; these model
permissions are what the same people may do should they be given the admin.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PORTAL_APPS = ("members", "meetings", "actions", "tracker")

# Permissions by role: (app label, model, actions). Nobody deletes through the portal.
ROLE_PERMISSIONS = {
    "VRU staff": [(app, None, ("add", "change", "view")) for app in PORTAL_APPS],
    "Chair": [
        *[(app, None, ("view",)) for app in PORTAL_APPS],
        ("meetings", "keyupdate", ("add", "change")),
        ("tracker", "quarterlyreport", ("add",)),
    ],
    "Member": [
        ("members", None, ("view",)),
        ("meetings", "meeting", ("view",)),
        ("meetings", "keyupdate", ("view",)),
        ("tracker", None, ("view",)),
        ("actions", "action", ("view", "change")),
        ("actions", "actionupdate", ("add", "view")),
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, model, verbs in grants:
            perms = Permission.objects.filter(content_type__app_label=app_label)
            if model:
                perms = perms.filter(content_type__model=model)
            for perm in perms:
                if perm.codename.split("_", 1)[0] in verbs:
                    group.permissions.add(perm)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("members", "0001_initial"),
        ("meetings", "0001_initial"),
        ("actions", "0002_initial"),
        ("tracker", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
