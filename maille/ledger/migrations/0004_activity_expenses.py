"""An expense account for what members spend for their activity (expense
claims: ARCHITECTURE §3, "expense claim approved: Expense net [A]")."""

from django.db import migrations


def load(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    Account.objects.update_or_create(
        code="5400",
        defaults={"type": "expense", "name_fr": "Frais des activités", "name_en": "Activity expenses"},
    )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_ledger_triggers")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
