"""The expense rules in force since 2025 (quebec-operations.md §7): per-kilometre
rates of the federal reasonable-allowance limits, meals at 50 %, registration
numbers from 100 $. Admins add the next year's row (history kept)."""

from decimal import Decimal

from django.db import migrations

SOURCE_2025 = "Finance Canada, automobile allowance rates 2025 (72 ¢ / 66 ¢); ETA s. 236, QST s. 457.1; quebec-2026.md §1"
SOURCE_2026 = "Finance Canada, automobile allowance rates 2026 (73 ¢ / 67 ¢); ETA s. 236, QST s. 457.1; quebec-2026.md §1"
ROWS = (
    ("2025-01-01", "0.72", "0.66", SOURCE_2025),
    ("2026-01-01", "0.73", "0.67", SOURCE_2026),
)


def load(apps, schema_editor):
    ExpenseRules = apps.get_model("expenses", "ExpenseRules")
    for valid_from, first, after, source in ROWS:
        ExpenseRules.objects.update_or_create(
            valid_from=valid_from,
            defaults={
                "km_rate_first": Decimal(first),
                "km_rate_after": Decimal(after),
                "km_threshold": 5000,
                "meals_credit_share": Decimal("0.500"),
                "registration_threshold": Decimal("100.00"),
                "reimbursement_code": "230",
                "source": source,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("expenses", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
