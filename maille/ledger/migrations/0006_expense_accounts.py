"""Accounts for expenses and purchases (issue 15): the GST/HST input tax credits
and the QST input tax refunds are kept apart (the sales-tax return reads each
from its own account), and what the co-op owes its suppliers."""

from django.db import migrations

ACCOUNTS = (
    ("1200", "asset", "CTI à recevoir (TPS/TVH)", "Input tax credits receivable (GST/HST)"),
    ("1210", "asset", "RTI à recevoir (TVQ)", "Input tax refunds receivable (QST)"),
    ("2010", "liability", "Fournisseurs à payer", "Suppliers payable"),
)


def load(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    for code, kind, fr, en in ACCOUNTS:
        Account.objects.update_or_create(
            code=code, defaults={"type": kind, "name_fr": fr, "name_en": en}
        )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0005_payment_accounts")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
