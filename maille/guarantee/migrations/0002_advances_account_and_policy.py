"""The account of the fund's advances to activities (ARCHITECTURE §3: "guarantee
advance: Advances to activities [FONDS] / Guaranteed budget [A]"), and the
first policy (SMART's: 7 working days, 100 % of the subtotal after contribution)."""

import datetime as dt
from decimal import Decimal

from django.db import migrations


def load(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    Account.objects.update_or_create(
        code="1300",
        defaults={
            "type": "asset",
            "name_fr": "Avances du fonds de garantie aux activités",
            "name_en": "Guarantee fund advances to activities",
        },
    )
    Policy = apps.get_model("guarantee", "GuaranteePolicy")
    Policy.objects.get_or_create(
        valid_from=dt.date(2020, 1, 1),
        defaults={
            "delay_working_days": 7,
            "advance_share": Decimal("1"),
            "client_limit": Decimal("50000.00"),
            "member_limit": Decimal("30000.00"),
            "coverage_floor": Decimal("0.100"),
            "source": "Politique de départ (modèle SMART : 7 jours ouvrables, 100 %)",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("guarantee", "0001_initial"),
        ("ledger", "0004_activity_expenses"),
        ("budgets", "0002_guaranteed_budget_account"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
