"""The account on which the guarantee fund's advances are credited to an activity
(ARCHITECTURE §3: "guarantee advance: Advances to activities [FONDS] / Guaranteed
budget [A]"); the available budget reads it."""

from django.db import migrations


def load(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    Account.objects.update_or_create(
        code="2500",
        defaults={
            "type": "liability",
            "name_fr": "Budget garanti des activités",
            "name_en": "Guaranteed activity budget",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("budgets", "0001_initial"), ("ledger", "0004_activity_expenses")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
