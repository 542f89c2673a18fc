"""Demo data for payments, made through the services (a step of ``maille demo``).

The co-op's operating account (Desjardins 815-30001-1234567, ledger ``1000``),
a cheque recorded by hand that pays an invoice in full, a transfer that pays
part of another, a client who paid too much (a credit), and a month's
statement imported from a Desjardins CSV with matched, suggested and
unmatched lines.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from maille.core.models import User
from maille.invoicing.models import Invoice
from maille.invoicing.settlement import open_amount
from maille.ledger import accounts
from maille.ledger.models import Account
from maille.payments import services
from maille.payments.models import BankAccount, PaymentMethod
from maille.payments.services import AllocationSpec

OPERATING = {
    "name": "Desjardins — compte d'opérations",
    "institution": "815",
    "transit": "30001",
    "number": "1234567",
    "currency": "CAD",
}


def operating_account() -> BankAccount:
    account, _created = BankAccount.objects.get_or_create(
        institution=OPERATING["institution"],
        transit=OPERATING["transit"],
        number=OPERATING["number"],
        defaults={
            "name": OPERATING["name"],
            "currency": OPERATING["currency"],
            "ledger_account": Account.objects.get(code=accounts.BANK),
        },
    )
    return account


def _invoice(title: str) -> Invoice:
    return Invoice.objects.select_related("client").get(title=title, kind="invoice")


def load_small(staff: User) -> None:
    today = timezone.localdate()

    def day(days_ago: int) -> dt.date:
        return today - dt.timedelta(days=days_ago)

    bank = operating_account()
    # A cheque recorded by hand from the invoice page: pays it in full.
    paid = _invoice("Cours privés de dessin")
    services.payment_record(
        bank_account=bank,
        client=paid.client,
        date=day(20),
        amount=open_amount(paid),
        method=PaymentMethod.CHEQUE,
        acting_user=staff,
        allocations=[AllocationSpec(paid, open_amount(paid))],
        payer_name=paid.buyer_name,
        bank_reference="CHQ 000418",
    )
    # The publisher pays part of the album's deposit by transfer.
    deposit = Invoice.objects.filter(
        quote__title="Illustrations de l'album « La marée haute »", kind="invoice"
    ).exclude(issue_date=None)[0]
    half = (open_amount(deposit) / 2).quantize(Decimal("0.01"))
    services.payment_record(
        bank_account=bank,
        client=deposit.client,
        date=day(25),
        amount=half,
        method=PaymentMethod.TRANSFER,
        acting_user=staff,
        allocations=[AllocationSpec(deposit, half)],
        payer_name=deposit.buyer_name,
        bank_reference=f"VIR {deposit.number}",
    )
    # The same publisher rounds up the cancelled contract's invoice: a credit.
    final = Invoice.objects.get(quote__title="Affiches du salon du livre", kind="invoice")
    owed = open_amount(final)
    services.payment_record(
        bank_account=bank,
        client=final.client,
        date=day(10),
        amount=(owed + Decimal("100")).quantize(Decimal("1")),
        method=PaymentMethod.TRANSFER,
        acting_user=staff,
        allocations=[AllocationSpec(final, owed)],
        payer_name=final.buyer_name,
        bank_reference=f"VIR {final.number}",
    )
