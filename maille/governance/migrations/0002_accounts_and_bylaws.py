"""Accounts for members' shares and ristournes (issue 17), and the first by-law
settings. The figures the Act leaves to the by-laws (quebec-operations.md §9:
notice, quorum are "not found" [check]) are the co-op's own: admins correct
them by adding a dated row."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

ACCOUNTS = (
    ("1350", "asset", "Parts sociales souscrites à recevoir", "Share subscriptions receivable"),
    ("2700", "liability", "Ristournes à payer", "Ristournes payable"),
    ("2710", "liability", "Parts sociales à rembourser", "Redeemed shares to repay"),
    ("2720", "liability", "Transferts de parts en cours", "Share transfers in progress"),
    ("3200", "equity", "Réserve générale", "General reserve"),
    ("3900", "equity", "Excédents non répartis", "Undistributed surplus"),
)


def load(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    for code, kind, name_fr, name_en in ACCOUNTS:
        Account.objects.update_or_create(
            code=code, defaults={"type": kind, "name_fr": name_fr, "name_en": name_en}
        )
    Bylaws = apps.get_model("governance", "Bylaws")
    Bylaws.objects.get_or_create(
        valid_from=dt.date(2020, 1, 1),
        defaults={
            "share_price": Decimal("10.00"),
            "qualifying_shares_worker": 20,
            "qualifying_shares_auxiliary": 5,
            "instalments_allowed": True,
            "instalment_months": 10,
            "instalments_by_payroll": True,
            "instalments_by_transfer": True,
            "vote_requires_instalments_up_to_date": True,
            "notice_days": 10,
            "quorum_percent": Decimal("10.00"),
            "redemption_allowed": True,
            "redemption_min_years": 0,
            "exclusion_hearing_days": 10,
            "fiscal_year_end_month": 12,
            "source": "Règlement de régie interne (à vérifier : préavis, quorum)",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial"), ("ledger", "0005_payment_accounts")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
