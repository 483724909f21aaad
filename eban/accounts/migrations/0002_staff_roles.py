"""The staff roles as Django groups ("eban:reviewer" …) with their permissions (eban/accounts/roles.py)."""

from django.db import migrations


def create_role_groups(apps, schema_editor):
    from eban.accounts.staff.roles import sync_role_groups

    sync_role_groups(apps=apps)


def remove_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__startswith="eban:").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]
    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
