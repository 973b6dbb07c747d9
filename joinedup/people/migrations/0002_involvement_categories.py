from django.db import migrations

# What an agency's involvement reveals about a person (DESIGN §3). Data: partnerships may edit it.
DEFAULTS = {
    "nhs_mental_health": "mental_health",
    "crisis": "mental_health",
    "dbi_crisis_centre": "mental_health",
    "substance_use": "substance_use",
    "police": "criminal_justice",
    "probation": "criminal_justice",
    "housing": "housing",
    "adult_social_care": "social_care",
    "ambulance": "coordination",
    "emergency_department": "coordination",
    "gp_out_of_hours": "coordination",
    "voluntary_sector": "coordination",
    "other": "coordination",
}


def add_defaults(apps, schema_editor):
    InvolvementCategory = apps.get_model("people", "InvolvementCategory")
    for kind, category in DEFAULTS.items():
        InvolvementCategory.objects.update_or_create(agency_kind=kind, defaults={"category": category})


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
