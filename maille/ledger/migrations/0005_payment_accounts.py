"""Accounts for client payments (issue 11): client credits (money received
that settles no invoice yet), bank fees charged to the co-op, interest earned."""

from django.db import migrations

ACCOUNTS = (
    ("2600", "liability", "Crédits des clients", "Client credits"),
    ("4300", "revenue", "Intérêts créditeurs", "Interest income"),
    ("5600", "expense", "Frais bancaires", "Bank fees"),
)


def load(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    for code, kind, fr, en in ACCOUNTS:
        Account.objects.update_or_create(
            code=code, defaults={"type": kind, "name_fr": fr, "name_en": en}
        )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_activity_expenses")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
