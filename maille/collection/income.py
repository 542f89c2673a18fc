"""Late interest collected: income of the co-op, or of the activity by the policy.

A client who pays late interest pays it with money beyond the invoice's
principal: the payment settles the invoice and what is left is the client's
credit (``payments``). Staff record the interest collected from that credit
(``interest_collect``); the dunning policy in force on the day (dated, the
board's decision) says whose income it is: the co-op's (``COOP``) by
default, the activity's when ``interest_to_activity`` is set
(ARCHITECTURE §3, quebec-operations.md §10).

Postings (key ``collection:interest:<id>``, source the invoice), balanced per
activity as payments' own credit applications are:

    to the co-op        Client credits +x [COOP]   Interest income −x [COOP]
    to the activity     Client credits +x [COOP]   Bank −x [COOP]
                        Bank +x [A]                Interest income −x [A]

Payments counts the credit used through its hook (``payments.hooks``), so the
same money is never allocated, refunded or collected twice.

The co-op never collects more than is due (R-2.2 s. 3): at most the
interest the law or the contract allows on the invoice up to the payment's
date, on the balance as it stood each day (``interest.interest_with_payments``),
minus the interest already collected on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.collection.exceptions import CollectionError
from maille.collection.interest import interest_with_payments
from maille.collection.models import (
    CaseEvent,
    DunningPolicy,
    EventKind,
    FormalNotice,
    InterestCollected,
)
from maille.core.models import User
from maille.core.money import CENT, ZERO, format_money
from maille.invoicing.models import Invoice, InvoiceKind
from maille.invoicing.selectors import balance_due, with_credited
from maille.ledger import accounts
from maille.ledger.models import JournalEntry
from maille.ledger.services import LineSpec, entry_post, entry_reverse
from maille.members.models import COOP_ACTIVITY_CODE
from maille.members.selectors import coop_activities
from maille.payments.models import Allocation, Payment
from maille.payments.selectors import payment_credit


def credit_used_by_interest(payment_ids: Sequence[int]) -> dict[int, Decimal]:
    """The payments hook: how much of each payment's credit went to interest."""
    rows = (
        InterestCollected.objects.filter(payment_id__in=list(payment_ids), undone_on__isnull=True)
        .values("payment_id")
        .annotate(s=Sum("amount"))
        .values_list("payment_id", "s")
    )
    return {pk: Decimal(s) for pk, s in rows}


def interest_collectable(invoice: Invoice, on: dt.date) -> Decimal:
    """The interest the co-op may still collect on ``invoice`` up to ``on``."""
    from maille.collection.selectors import invoice_interest, legal_rates

    # Read afresh: what was paid and credited is part of the answer.
    invoice = with_credited(Invoice.objects.filter(pk=invoice.pk)).select_related("quote").get()
    notice = FormalNotice.objects.filter(invoices=invoice, date__lte=on).order_by("date").first()
    owed = balance_due(invoice)
    view = invoice_interest(invoice, on=on, notice=notice, principal=owed)
    if view.basis.start is None:
        return ZERO
    paid = list(
        Allocation.objects.filter(invoice=invoice, payment__reversed_on__isnull=True).values_list(
            "date", "amount"
        )
    )
    rates = (
        [(dt.date(1900, 1, 1), view.basis.rate)] if view.basis.rate is not None else legal_rates()
    )
    due = interest_with_payments(
        owed_now=owed, payments=paid, start=view.basis.start, end=on, rates=rates
    )
    collected = InterestCollected.objects.filter(invoice=invoice, undone_on__isnull=True).aggregate(
        s=Sum("amount")
    )["s"]
    return max(ZERO, due - Decimal(collected or ZERO))


@transaction.atomic
def interest_collect(
    *,
    invoice_id: int,
    payment_id: int,
    amount: Decimal,
    acting_user: User,
    on: dt.date | None = None,
    client_id: int | None = None,
) -> InterestCollected:
    """Record ``amount`` of late interest paid on an invoice, out of a payment's credit."""
    from maille.collection.services import case_for

    if not acting_user.is_staff:
        raise PermissionError
    # The payment first, then the invoice: the order payments' own services lock
    # them in (credit_apply), so the two never wait on each other.
    payment = Payment.objects.select_for_update(of=("self",)).filter(pk=payment_id).first()
    invoice = (
        with_credited(Invoice.objects.filter(pk=invoice_id))
        .select_for_update(of=("self",))
        .select_related("activity", "client", "quote")
        .first()
    )
    if invoice is None or (client_id is not None and invoice.client_id != client_id):
        raise CollectionError(_("Invoice: this is not an invoice of this client."))
    if payment is not None and payment.client_id != invoice.client_id:
        payment = None
    problems: list[str] = []
    if invoice.kind != InvoiceKind.INVOICE or invoice.is_draft or invoice.client_id is None:
        problems.append(_("Invoice: only an issued invoice to a client bears late interest."))
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        problems.append(_("Amount must be more than zero."))
    elif amount != amount.quantize(CENT):
        problems.append(_("Amount has more than two decimals."))
    if payment is None:
        problems.append(_("Payment: choose a payment of this client."))
    elif payment.is_reversed:
        problems.append(_("Payment: this payment was reversed."))
    day = on or (payment.date if payment is not None else timezone.localdate())
    if day > timezone.localdate():
        problems.append(_("Date: not in the future."))
    if payment is not None and day < payment.date:
        problems.append(_("Date: interest cannot be collected before the payment was received."))
    if not problems and payment is not None:
        left = payment_credit(payment=payment)
        if amount > left:
            problems.append(
                _("Payment: only %(left)s of it is left beyond the invoices it paid.")
                % {"left": format_money(left)}
            )
        allowed = interest_collectable(invoice, day)
        if amount > allowed:
            problems.append(
                _(
                    "Amount: %(amount)s is more than the interest the contract or the law "
                    "allows on %(n)s up to %(date)s (%(allowed)s still due)."
                )
                % {
                    "amount": format_money(amount),
                    "n": invoice.number,
                    "date": day.isoformat(),
                    "allowed": format_money(allowed),
                }
            )
    if problems:
        raise CollectionError(problems)
    assert payment is not None  # noqa: S101 — refused above when None
    policy = DunningPolicy.on(day)
    to_activity = bool(policy and policy.interest_to_activity)
    case = case_for(invoice)
    row = InterestCollected.objects.create(
        case=case,
        invoice=invoice,
        payment=payment,
        date=day,
        amount=amount,
        to_activity=to_activity,
        created_by=acting_user,
    )
    coop = coop_activities()[COOP_ACTIVITY_CODE]
    if to_activity:
        bank = payment.bank_account.ledger_account.code
        lines = [
            LineSpec(accounts.CLIENT_CREDITS, coop, amount),
            LineSpec(bank, coop, -amount),
            LineSpec(bank, invoice.activity, amount),
            LineSpec(accounts.INTEREST_INCOME, invoice.activity, -amount),
        ]
    else:
        lines = [
            LineSpec(accounts.CLIENT_CREDITS, coop, amount),
            LineSpec(accounts.INTEREST_INCOME, coop, -amount),
        ]
    entry_post(
        date=day,
        description=(_("Late interest collected, invoice %(n)s") % {"n": invoice.number})[:200],
        lines=lines,
        idempotency_key=f"collection:interest:{row.pk}",
        acting_user=acting_user,
        source=invoice,
    )
    CaseEvent.objects.create(
        case=case,
        invoice=invoice,
        kind=EventKind.INTEREST,
        on=day,
        created_by=acting_user,
        text=_("%(amount)s of late interest collected on %(n)s (income of %(who)s).")
        % {
            "amount": format_money(amount),
            "n": invoice.number,
            "who": _("the activity") if to_activity else _("the co-op"),
        },
    )
    return row


@transaction.atomic
def interest_collect_undo(
    *, interest_id: int, acting_user: User, reason: str, on: dt.date | None = None
) -> InterestCollected:
    """Undo late interest recorded out of a payment (the cheque bounced, it was the
    wrong payment): its entry is reversed, the payment's credit is free again and
    the payment may then be reversed. Nothing is deleted."""
    if not acting_user.is_staff:
        raise PermissionError
    found = InterestCollected.objects.filter(pk=interest_id).values_list("payment_id", flat=True)
    payment_id = found.first()
    if payment_id is None:
        raise CollectionError(_("There is no late interest recorded with this id."))
    # The payment first, then the row: the order of interest_collect.
    Payment.objects.select_for_update(of=("self",)).filter(pk=payment_id).first()
    row = (
        InterestCollected.objects.select_for_update(of=("self",))
        .select_related("invoice", "case")
        .get(pk=interest_id)
    )
    if row.undone_on is not None:
        raise CollectionError(_("This interest was already undone."))
    if not reason.strip():
        raise CollectionError(_("Reason: say why the interest is undone."))
    day = on or timezone.localdate()
    entry = JournalEntry.objects.get(idempotency_key=f"collection:interest:{row.pk}")
    entry_reverse(entry=entry, date=max(day, row.date), acting_user=acting_user, reason=reason)
    row.undone_on, row.undone_reason = day, reason.strip()[:300]
    row.save(update_fields=["undone_on", "undone_reason"])
    CaseEvent.objects.create(
        case=row.case,
        invoice=row.invoice,
        kind=EventKind.INTEREST,
        on=day,
        text=(
            _("Late interest of %(amount)s undone: %(reason)s")
            % {"amount": format_money(row.amount), "reason": row.undone_reason}
        )[:2000],
        created_by=acting_user,
    )
    return row
