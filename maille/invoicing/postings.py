"""Ledger postings of issued invoices and credit notes (docs/decisions/0004-invoicing.md).

Issuing an invoice to a client posts one entry, all on the invoice's
activity so that the entry balances per activity too:

    AR              +total      [A]
    Revenue         −subtotal   [A]   (the invoice's ``revenue_account`` when it names one)
    GST/QST/HST     −each tax   [A]

then the mutualized contribution, from the activity to the co-op, the fund's
share going to ``FONDS``:

    Contribution expense  +C        [A]
    Contribution income   −(C − F)  [COOP]
    Contribution income   −F        [FONDS]

A credit note posts the same entries with the signs reversed, for its own
(pro rata) amounts. An internal invoice moves revenue from the buying
activity to the selling one, with no tax and no contribution. Every entry's
idempotency key is derived from the document number, so posting twice
(a retried task, a crash half-way) posts once.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from maille.invoicing.models import Invoice, InvoiceTax
from maille.members.models import COOP_ACTIVITY_CODE, FUND_ACTIVITY_CODE, Activity
from maille.members.selectors import coop_activities

if TYPE_CHECKING:
    from maille.core.models import User


def tax_accounts() -> dict[str, str]:
    from maille.ledger import accounts

    return {"GST": accounts.GST_PAYABLE, "QST": accounts.QST_PAYABLE, "HST": accounts.HST_PAYABLE}


def post_invoice(
    invoice: Invoice, acting_user: User | None, taxes: list[InvoiceTax] | None = None
) -> None:
    """Post an issued invoice or credit note. Runs inside the issuing transaction.

    Both entries (the invoice and its contribution) go in one call, all or none.
    """
    post_many([(invoice, taxes if taxes is not None else list(invoice.taxes.all()))], acting_user)


def post_many(done: list[tuple[Invoice, list[InvoiceTax]]], acting_user: User | None) -> None:
    """Post several issued documents with one ledger call (a staff batch issue)."""
    from maille.ledger.services import entries_post_many

    if not done:
        return
    special: dict[str, Activity] = {}
    if any(invoice.contribution for invoice, _taxes in done):
        special = coop_activities()
    specs = [spec for invoice, taxes in done for spec in entry_specs(invoice, taxes, special)]
    # No savepoint: the issuing transaction rolls back whole on any ledger error.
    entries_post_many(entries=specs, acting_user=acting_user, savepoint=False)


def entry_specs(
    invoice: Invoice, taxes: list[InvoiceTax], special: dict[str, Activity]
) -> list[Any]:
    """The ledger entries of one issued document (see the module docstring)."""
    from maille.ledger import accounts
    from maille.ledger.services import EntrySpec, LineSpec

    if not invoice.number or invoice.issue_date is None:
        raise RuntimeError("only an issued invoice is posted")
    sign = Decimal(-1) if invoice.is_credit_note else Decimal(1)
    activity = invoice.activity
    key = f"invoicing:{invoice.number}"
    if invoice.is_internal:
        if invoice.buyer_activity is None:
            raise RuntimeError("an internal invoice has a buying activity")
        lines = [
            LineSpec(
                account=accounts.REVENUE,
                activity=invoice.buyer_activity,
                amount=sign * invoice.subtotal,
            ),
            LineSpec(account=accounts.REVENUE, activity=activity, amount=-sign * invoice.subtotal),
        ]
        return [
            EntrySpec(
                date=invoice.issue_date,
                description=_("Internal invoice %(n)s") % {"n": invoice.number},
                lines=lines,
                idempotency_key=f"{key}:issue",
                source=invoice,
            )
        ]
    codes = tax_accounts()
    revenue = invoice.revenue_account or accounts.REVENUE
    lines = [
        LineSpec(account=accounts.AR, activity=activity, amount=sign * invoice.total),
        LineSpec(account=revenue, activity=activity, amount=-sign * invoice.subtotal),
    ]
    lines += [
        LineSpec(account=codes[tax.code], activity=activity, amount=-sign * tax.amount)
        for tax in taxes
        if tax.amount
    ]
    label = _("Credit note %(n)s") if invoice.is_credit_note else _("Invoice %(n)s")
    buyer = invoice.buyer_name or str(invoice.client)
    specs = [
        EntrySpec(
            date=invoice.issue_date,
            description=f"{label % {'n': invoice.number}} — {buyer}"[:200],
            lines=[line for line in lines if line.amount],
            idempotency_key=f"{key}:issue",
            source=invoice,
        )
    ]
    if invoice.contribution:
        coop_part = invoice.contribution - invoice.fund_share
        contribution = [
            LineSpec(
                account=accounts.CONTRIBUTION_EXPENSE,
                activity=activity,
                amount=sign * invoice.contribution,
            ),
            LineSpec(
                account=accounts.CONTRIBUTION_INCOME,
                activity=special[COOP_ACTIVITY_CODE],
                amount=-sign * coop_part,
            ),
            LineSpec(
                account=accounts.CONTRIBUTION_INCOME,
                activity=special[FUND_ACTIVITY_CODE],
                amount=-sign * invoice.fund_share,
            ),
        ]
        specs.append(
            EntrySpec(
                date=invoice.issue_date,
                description=(_("Mutualized contribution on %(n)s") % {"n": invoice.number})[:200],
                lines=[line for line in contribution if line.amount],
                idempotency_key=f"{key}:contribution",
                source=invoice,
            )
        )
    return specs
