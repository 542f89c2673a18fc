"""Accounts the pay runs post to (ARCHITECTURE §3, "pay run"), and Québec's
dated general minimum wage (Règlement sur les normes du travail, art. 3)."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

ACCOUNTS = (
    (
        "2220",
        "liability",
        "Cotisations de l'employeur à payer en fin d'année (CNT, FDRCMO)",
        "Year-end employer contributions payable (CNT, WSDRF)",
    ),
    ("2230", "liability", "Autres retenues sur salaire à payer", "Other payroll deductions payable"),
    ("2310", "liability", "Indemnités de vacances à payer", "Vacation pay payable"),
    ("5120", "expense", "Indemnités de vacances", "Vacation pay"),
)

MINIMUM_WAGES = (
    (dt.date(2025, 5, 1), Decimal("16.10"), "Gouvernement du Québec, taux général au 1er mai 2025"),
    (
        dt.date(2026, 5, 1),
        Decimal("16.60"),
        "Gouvernement du Québec, taux général au 1er mai 2026 (à vérifier)",
    ),
)


def load(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    for code, kind, name_fr, name_en in ACCOUNTS:
        Account.objects.update_or_create(
            code=code, defaults={"type": kind, "name_fr": name_fr, "name_en": name_en}
        )
    MinimumWage = apps.get_model("payroll", "MinimumWage")
    for valid_from, hourly, source in MINIMUM_WAGES:
        MinimumWage.objects.update_or_create(
            valid_from=valid_from, defaults={"hourly": hourly, "source": source}
        )


class Migration(migrations.Migration):
    dependencies = [("payroll", "0003_pay_runs"), ("ledger", "0004_activity_expenses")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
