"""The general minimum wage of May 1, 2026 (16.60 $) is confirmed: the
Minister of Labour announced it on January 22, 2026 (communiqué of the
ministère du Travail). The rate was right; only its source said "to check"."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

SOURCE = (
    "Gouvernement du Québec, taux général au 1er mai 2026 "
    "(communiqué du ministre du Travail, 22 janvier 2026)"
)


def confirm(apps, schema_editor):
    MinimumWage = apps.get_model("payroll", "MinimumWage")
    MinimumWage.objects.update_or_create(
        valid_from=dt.date(2026, 5, 1), defaults={"hourly": Decimal("16.60"), "source": SOURCE}
    )


class Migration(migrations.Migration):
    dependencies = [("payroll", "0007_vacation_pay_policy")]
    operations = [migrations.RunPython(confirm, migrations.RunPython.noop)]
