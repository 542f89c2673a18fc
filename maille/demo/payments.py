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
from maille.core.money import ZERO
from maille.invoicing.models import Invoice
from maille.invoicing.settlement import open_amount
from maille.ledger import accounts
from maille.ledger.models import Account
from maille.payments import services
from maille.payments.importing import statement_import
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

    _statement(bank, staff, today)


def _statement(bank: BankAccount, staff: User, today: dt.date) -> None:
    """The month's Desjardins CSV, written as the bank would (no header, cp1252):
    the three deposits recorded above (matched to what the ledger expected), a
    transfer naming an invoice (matched: that invoice is partly paid), an
    unknown payer sending exactly what an invoice owes (suggested), the
    monthly fee (suggested as a fee) and an Interac e-Transfer from someone
    unknown (unmatched)."""

    def day(days_ago: int) -> dt.date:
        return today - dt.timedelta(days=days_ago)

    overdue = _invoice("Website translation")
    sound = _invoice("Sound design consulting")
    rows: list[tuple[dt.date, str, Decimal]] = [
        (p.date + dt.timedelta(days=1), f"Dépôt /{p.payer_name}", p.amount)
        for p in bank.payments.order_by("date", "pk")
    ]
    rows += [
        (day(5), f"Virement reçu /{overdue.buyer_name} {overdue.number}", Decimal("500.00")),
        (day(4), "Virement reçu /PAIEMENT FOURNISSEUR 88213", open_amount(sound)),
        (day(3), "Frais de service /FRAIS MENSUELS", Decimal("-7.95")),
        (day(2), "Virement Interac /MARC-ANTOINE DUBÉ", Decimal("150.00")),
    ]
    rows.sort(key=lambda r: r[0])
    balance = ZERO
    lines = []
    for n, (when, description, amount) in enumerate(rows, start=1):
        balance += amount
        withdrawal, deposit = (f"{-amount:.2f}", "") if amount < 0 else ("", f"{amount:.2f}")
        lines.append(
            f'815-30001,1234567,EOP,{when:%Y/%m/%d},{n},"{description}",,'
            f"{withdrawal},{deposit},,,,,{balance:.2f}\r\n"
        )
    statement_import(
        bank_account=bank,
        data="".join(lines).encode("cp1252", errors="replace"),
        filename="desjardins-releve.csv",
        acting_user=staff,
    )
