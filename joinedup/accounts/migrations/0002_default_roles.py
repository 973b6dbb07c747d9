from django.db import migrations


def add_roles(apps, schema_editor):
    from joinedup.accounts.role_defaults import role_rows

    Role = apps.get_model("accounts", "Role")
    for row in role_rows():
        Role.objects.update_or_create(code=row["code"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(add_roles, migrations.RunPython.noop)]
