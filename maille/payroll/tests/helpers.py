"""Shared set-up of the pay-run tests: the co-op's calendar, a funded activity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from maille.ledger import accounts
from maille.ledger.services import LineSpec, entry_post
from maille.members.models import FUND_ACTIVITY_CODE, Activity
from maille.payroll.models import PayrollOperationsSettings

#: Thursdays every other week from January 8, 2026: 26 pay dates in 2026.
FIRST_PAY_DATE = dt.date(2026, 1, 8)


def calendar(first_pay_date: dt.date = FIRST_PAY_DATE) -> PayrollOperationsSettings:
    return PayrollOperationsSettings.objects.create(
        valid_from=dt.date(2020, 1, 1),
        first_pay_date=first_pay_date,
        originator_id="0123456789",
        originator_short_name="COOP MAILLE",
        originator_long_name="COOPERATIVE MAILLE",
        data_centre="81510",
        return_account="815-30001-7654321",
    )


def fund(
    activity: Activity, amount: str, *, date: dt.date = dt.date(2026, 1, 2), key: str = ""
) -> None:
    """A guarantee advance of ``amount`` on the activity (what the guarantee app posts)."""
    fonds = Activity.objects.get(code=FUND_ACTIVITY_CODE)
    entry_post(
        date=date,
        description="Avance du fonds de garantie",
        lines=[
            LineSpec(accounts.BANK, fonds, Decimal(amount)),
            LineSpec(accounts.GUARANTEED_BUDGET, activity, -Decimal(amount)),
        ],
        idempotency_key=key or f"test:advance:{activity.pk}:{date}:{amount}",
        acting_user=None,
    )
