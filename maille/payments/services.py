"""Writes for payments: record, allocate, apply credit, refund, reverse.

Each service is ``transaction.atomic`` but not durable, so the bank line
matcher and the demo run them inside their own transaction; each checks
everything first and reports every problem at once (``PaymentRefused``),
locks the invoices it settles in id order (two payments settling the same
invoice queue instead of over-paying it), posts through
``payments.postings`` and refreshes each invoice's paid amount and derived
status (``invoicing.settlement``). The member is told after commit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.clients.models import Client
from maille.core.audit import set_actor
from maille.core.bulk import bulk_insert
from maille.core.models import User
from maille.core.money import CENT, ZERO, format_money_active
from maille.core.validators import clean_bank_account
from maille.invoicing.models import OPEN_STATUSES, Invoice, InvoiceKind
from maille.invoicing.settlement import (
    credited_total,
    credited_totals,
    invoice_settlement_refresh,
    invoices_add_paid,
    open_amount,
)
from maille.ledger.services import entries_post_many
from maille.members.models import Activity
from maille.payments import postings
from maille.payments.exceptions import PaymentRefused
from maille.payments.hooks import credit_used
from maille.payments.mail import payment_notify_members
from maille.payments.models import (
    Allocation,
    BankAccount,
    Payment,
    PaymentMethod,
    Refund,
    RefundMethod,
)
from maille.payments.selectors import locked_until, payment_credit

MAX_AMOUNT = Decimal("999999999999.99")


@dataclass(frozen=True, slots=True)
class AllocationSpec:
    invoice: Invoice
    amount: Decimal


def money_problems(label: str, amount: object) -> list[str]:
    """A positive Decimal with at most two decimals, or what is wrong with it."""
    if isinstance(amount, float | bool) or not isinstance(amount, Decimal | int):
        return [_("%(f)s: not an amount.") % {"f": label}]
    try:
        value = Decimal(amount)
    except InvalidOperation:  # pragma: no cover — Decimal(int) never fails
        return [_("%(f)s: not an amount.") % {"f": label}]
    if not value.is_finite():
        return [_("%(f)s: not an amount.") % {"f": label}]
    if value <= 0:
        return [_("%(f)s must be more than zero.") % {"f": label}]
    if value != value.quantize(CENT):
        return [_("%(f)s has more than two decimals.") % {"f": label}]
    if value > MAX_AMOUNT:
        return [_("%(f)s is too large.") % {"f": label}]
    return []


def reconciled_problems(account: BankAccount, day: dt.date) -> list[str]:
    """A movement of the account dated in a reconciled period is refused: that
    period's balance agreed with the bank's statement and is locked."""
    until = locked_until(account)
    if until is not None and day <= until:
        return [
            _("The account %(a)s is reconciled up to %(d)s: date the movement after it.")
            % {"a": account, "d": until.isoformat()}
        ]
    return []


def paid_on(invoice_ids: Sequence[int]) -> dict[int, Decimal]:
    """Allocations net of reversals, per invoice (what ``Invoice.amount_paid`` caches)."""
    rows = (
        Allocation.objects.filter(invoice_id__in=invoice_ids, payment__reversed_on__isnull=True)
        .values("invoice_id")
        .annotate(s=Sum("amount"))
    )
    paid = {i: ZERO for i in invoice_ids}
    paid.update({r["invoice_id"]: Decimal(r["s"]) for r in rows})
    return paid


def _lock_invoices(ids: Sequence[int]) -> dict[int, Invoice]:
    return {
        i.pk: i
        for i in Invoice.objects.select_for_update(of=("self",))
        .select_related("activity", "client")
        .filter(pk__in=sorted(set(ids)))
        .order_by("pk")
    }


def allocation_problems(
    *, client: Client | None, specs: Sequence[AllocationSpec], invoices: dict[int, Invoice]
) -> list[str]:
    problems: list[str] = []
    per_invoice: dict[int, Decimal] = {}
    for n, spec in enumerate(specs, start=1):
        label = _("Allocation %(n)s") % {"n": n}
        problems += money_problems(label, spec.amount)
        invoice = invoices.get(spec.invoice.pk)
        if invoice is None:
            problems.append(_("%(f)s: no such invoice.") % {"f": label})
            continue
        if client is None or invoice.client_id != client.pk:
            problems.append(
                _("%(f)s: invoice %(i)s is not an invoice of this client.")
                % {"f": label, "i": invoice}
            )
            continue
        if invoice.kind != InvoiceKind.INVOICE or invoice.is_draft:
            problems.append(
                _("%(f)s: %(i)s is not an issued invoice.") % {"f": label, "i": invoice}
            )
            continue
        if not money_problems(label, spec.amount):
            per_invoice[invoice.pk] = per_invoice.get(invoice.pk, ZERO) + Decimal(spec.amount)
    for pk, amount in per_invoice.items():
        invoice = invoices[pk]
        owed = open_amount(invoice, credited=credited_total(invoice))
        if amount > owed:
            problems.append(
                _("Invoice %(i)s: %(a)s is more than the %(o)s still owed on it.")
                % {"i": invoice, "a": format_money_active(amount), "o": format_money_active(owed)}
            )
    return problems


def _refresh(invoice_ids: Sequence[int], acting_user: User | None) -> None:
    for pk, paid in sorted(paid_on(invoice_ids).items()):
        invoice_settlement_refresh(invoice_id=pk, paid=paid, acting_user=acting_user)


def _notify(allocations: Sequence[Allocation]) -> None:
    ids = [a.pk for a in allocations]
    if ids:
        transaction.on_commit(lambda: payment_notify_members.enqueue(allocation_ids=ids))


@transaction.atomic
def payment_record(
    *,
    bank_account: BankAccount,
    client: Client | None,
    date: dt.date,
    amount: Decimal,
    method: str,
    acting_user: User | None,
    allocations: Sequence[AllocationSpec] = (),
    payer_name: str = "",
    bank_reference: str = "",
    memo: str = "",
) -> Payment:
    """Record money received, allocated to invoices of one client; what is not
    allocated is the client's credit (or waits for its payer to be known)."""
    problems = money_problems(_("The amount"), amount)
    if method not in PaymentMethod.values:
        problems.append(_("%(m)s is not a payment method.") % {"m": method})
    if date > timezone.localdate():
        problems.append(_("A payment cannot be dated in the future."))
    problems += reconciled_problems(bank_account, date)
    if allocations and client is None:
        problems.append(_("Name the client before allocating the payment to invoices."))
    invoices = _lock_invoices([s.invoice.pk for s in allocations])
    problems += allocation_problems(client=client, specs=allocations, invoices=invoices)
    if not problems:
        allocated = sum((Decimal(s.amount) for s in allocations), ZERO)
        if allocated > Decimal(amount):
            problems.append(
                _("The allocations (%(a)s) add up to more than the payment (%(p)s).")
                % {"a": format_money_active(allocated), "p": format_money_active(Decimal(amount))}
            )
    if problems:
        raise PaymentRefused(problems)
    payment = Payment(
        bank_account=bank_account,
        client=client,
        date=date,
        amount=Decimal(amount),
        method=method,
        payer_name=payer_name[:200],
        bank_reference=bank_reference[:100],
        memo=memo[:300],
        created_by=acting_user,
    )
    set_actor(payment, acting_user)
    payment.save()
    rows = Allocation.objects.bulk_create(
        [
            Allocation(
                payment=payment,
                invoice=invoices[s.invoice.pk],
                amount=Decimal(s.amount),
                date=date,
                with_receipt=True,
                created_by=acting_user,
            )
            for s in allocations
        ]
    )
    postings.post_receipt(payment, rows, acting_user)
    _refresh(list(invoices), acting_user)
    _notify(rows)
    return payment


def client_credit(payment: Payment) -> Decimal:
    return payment_credit(payment=payment)


def _lock_payment(payment: Payment) -> Payment:
    return (
        Payment.objects.select_for_update(of=("self",))
        .select_related("bank_account__ledger_account", "client")
        .get(pk=payment.pk)
    )


@transaction.atomic
def credit_apply(
    *,
    payment: Payment,
    allocations: Sequence[AllocationSpec],
    acting_user: User | None,
    date: dt.date | None = None,
    client: Client | None = None,
) -> list[Allocation]:
    """Allocate what is left of a payment (a client's credit) to invoices.

    ``client`` names the payer of a payment received without one.
    """
    payment = _lock_payment(payment)
    day = date or timezone.localdate()
    problems: list[str] = []
    if payment.is_reversed:
        problems.append(_("This payment was reversed."))
    if client is not None and payment.client_id not in (None, client.pk):
        problems.append(_("This payment is already another client's."))
    who = payment.client or client
    invoices = _lock_invoices([s.invoice.pk for s in allocations])
    if not allocations:
        problems.append(_("Choose at least one invoice."))
    problems += allocation_problems(client=who, specs=allocations, invoices=invoices)
    left = client_credit(payment)
    total = sum((Decimal(s.amount) for s in allocations if not money_problems("", s.amount)), ZERO)
    if total > left:
        problems.append(
            _("Only %(left)s of this payment is left to allocate.")
            % {"left": format_money_active(left)}
        )
    if day < payment.date:
        problems.append(_("A credit cannot be applied before the payment was received."))
    if problems:
        raise PaymentRefused(problems)
    if payment.client_id is None and who is not None:
        payment.client = who
        set_actor(payment, acting_user)
        payment.save(update_fields=["client"])
    rows = []
    for spec in allocations:
        allocation = Allocation.objects.create(
            payment=payment,
            invoice=invoices[spec.invoice.pk],
            amount=Decimal(spec.amount),
            date=day,
            with_receipt=False,
            created_by=acting_user,
        )
        postings.post_credit_applied(allocation, acting_user)
        rows.append(allocation)
    _refresh(list(invoices), acting_user)
    _notify(rows)
    return rows


@transaction.atomic
def credit_refund(
    *,
    payment: Payment,
    amount: Decimal,
    method: str,
    acting_user: User | None,
    date: dt.date | None = None,
    reference: str = "",
    payee_account: str = "",
    payee_name: str = "",
) -> Refund:
    """Give back part of a client's credit: a cheque recorded by hand, or a
    transfer to the client's bank account, paid in the next CPA-005 file."""
    payment = _lock_payment(payment)
    problems = money_problems(_("The amount"), amount)
    if method not in RefundMethod.values:
        problems.append(_("%(m)s is not a refund method.") % {"m": method})
    account = ""
    if method == RefundMethod.TRANSFER:
        try:
            account = clean_bank_account(payee_account)
        except ValidationError as exc:
            problems.append(_("The client's bank account: %(e)s") % {"e": " ".join(exc.messages)})
    if payment.is_reversed:
        problems.append(_("This payment was reversed."))
    problems += reconciled_problems(payment.bank_account, date or timezone.localdate())
    left = client_credit(payment)
    if not problems and Decimal(amount) > left:
        problems.append(
            _("Only %(left)s of this payment is left to refund.")
            % {"left": format_money_active(left)}
        )
    if problems:
        raise PaymentRefused(problems)
    refund = Refund.objects.create(
        payment=payment,
        amount=Decimal(amount),
        date=date or timezone.localdate(),
        method=method,
        reference=reference[:100],
        payee_account=account,
        payee_name=(payee_name.strip() or (payment.client.legal_name if payment.client else ""))[
            :100
        ],
        created_by=acting_user,
    )
    postings.post_refund(refund, acting_user)
    return refund


def refunds_mark_in_file(*, refund_ids: Sequence[int], file_number: int) -> int:
    """The CPA-005 file ``file_number`` pays these transfers (run inside its maker's
    transaction); a refund already in a file is left as it is. Returns how many."""
    return Refund.objects.filter(
        pk__in=list(refund_ids), method=RefundMethod.TRANSFER, bank_file_number__isnull=True
    ).update(bank_file_number=file_number)


def payment_reverse_in(
    *, payment: Payment, date: dt.date, reason: str, acting_user: User | None
) -> Payment:
    payment = _lock_payment(payment)
    problems = []
    if payment.is_reversed:
        problems.append(_("This payment is already reversed."))
    if not reason.strip():
        problems.append(_("Give the reason for the reversal (e.g. NSF cheque)."))
    if date < payment.date:
        problems.append(_("A reversal cannot be dated before the payment."))
    problems += reconciled_problems(payment.bank_account, date)
    if payment.refunds.exists():
        problems.append(_("Part of this payment was refunded: reverse the refund first."))
    if credit_used([payment.pk])[payment.pk] > 0:
        problems.append(
            _("Part of this payment's credit was used (late interest): undo that use first.")
        )
    if problems:
        raise PaymentRefused(problems)
    invoice_ids = list(payment.allocations.values_list("invoice_id", flat=True))
    _lock_invoices(invoice_ids)
    payment.reversed_on, payment.reversal_reason = date, reason.strip()[:300]
    set_actor(payment, acting_user)
    payment.save(update_fields=["reversed_on", "reversal_reason"])
    postings.reverse_payment(payment, date=date, reason=reason.strip(), acting_user=acting_user)
    _refresh(invoice_ids, acting_user)
    return payment


@transaction.atomic
def payment_reverse(
    *, payment: Payment, date: dt.date, reason: str, acting_user: User | None
) -> Payment:
    """A bounced cheque or an NSF return: reversing entries, the invoices owed again.

    Nothing is deleted: the payment and its allocations stay, marked reversed.
    """
    return payment_reverse_in(payment=payment, date=date, reason=reason, acting_user=acting_user)


def allocation_proposal(
    *, client: Client, amount: Decimal, reference: str = "", exclude_ids: Sequence[int] = ()
) -> list[AllocationSpec]:
    """Where a payment of ``amount`` from ``client`` most likely goes.

    The invoice whose number appears in ``reference``, or whose open amount is
    exactly ``amount``; otherwise the oldest open invoices first, each settled
    in full until the money runs out (the rest stays as the client's credit).
    """
    invoices = list(
        Invoice.objects.filter(client=client, kind=InvoiceKind.INVOICE, status__in=OPEN_STATUSES)
        .exclude(pk__in=exclude_ids)
        .order_by("due_date", "issue_date", "pk")
    )
    owed = {i.pk: open_amount(i) for i in invoices}
    invoices = [i for i in invoices if owed[i.pk] > 0]
    ref = reference.upper()
    for invoice in invoices:
        if invoice.number and invoice.number.upper() in ref:
            return [AllocationSpec(invoice, min(amount, owed[invoice.pk]))]
    exact = [i for i in invoices if owed[i.pk] == amount]
    if len(exact) == 1:
        return [AllocationSpec(exact[0], amount)]
    specs = []
    left = Decimal(amount)
    for invoice in invoices:
        if left <= 0:
            break
        part = min(left, owed[invoice.pk])
        specs.append(AllocationSpec(invoice, part))
        left -= part
    return specs


# --- Many payments at once (bank statement matching) ---------------------------


@dataclass(frozen=True, slots=True)
class PaymentSpec:
    """A payment the matcher is sure of: allocations as (invoice id, amount)."""

    bank_account: BankAccount
    client_id: int | None
    date: dt.date
    amount: Decimal
    method: str
    allocations: Sequence[tuple[int, Decimal]]
    payer_name: str = ""
    bank_reference: str = ""
    memo: str = ""


def payments_record_many(
    *, specs: Sequence[PaymentSpec], acting_user: User | None
) -> list[tuple[Payment, int]]:
    """Record many payments in a few statements; returns (payment, receipt entry id) in order.

    Runs inside the caller's transaction. The invoices are locked in id order
    and their open amounts read again under the lock: an allocation larger
    than what is still owed (someone recorded a cheque meanwhile) is cut to
    it, the rest becomes the client's credit — never an over-payment.
    Postings go through the ledger's bulk service, one entry per payment.
    """
    if not specs:
        return []
    ids = sorted({pk for spec in specs for pk, _a in spec.allocations})
    owed: dict[int, Decimal] = {}
    activity_of: dict[int, int] = {}
    settled: dict[int, tuple[Decimal, Decimal, Decimal, Decimal]] = {}
    for start in range(0, len(ids), 10000):
        chunk = ids[start : start + 10000]
        rows = (
            Invoice.objects.select_for_update()
            .filter(pk__any=chunk)
            .order_by("pk")
            .values_list("pk", "activity_id", "total", "amount_paid", "amount_written_off")
        )
        credited = credited_totals(chunk)
        for pk, activity_id, total, paid, written_off in rows:
            c = credited.get(pk, ZERO)
            owed[pk] = total - c - paid - written_off
            activity_of[pk] = activity_id
            settled[pk] = (total, c, paid, written_off)
    paid_now: dict[int, Decimal] = defaultdict(Decimal)
    now = timezone.now()
    created_by = acting_user.pk if acting_user else None
    payment_rows = []
    allocation_rows: list[list[tuple[int, Decimal]]] = []
    for spec in specs:
        parts = []
        for pk, amount in spec.allocations:
            part = min(Decimal(amount), owed.get(pk, ZERO))
            if part > 0:
                owed[pk] -= part
                paid_now[pk] += part
                parts.append((pk, part))
        allocation_rows.append(parts)
        payment_rows.append(
            {
                "bank_account_id": spec.bank_account.pk,
                "client_id": spec.client_id,
                "date": spec.date,
                "amount": spec.amount,
                "method": spec.method,
                "payer_name": spec.payer_name[:200],
                "bank_reference": spec.bank_reference[:100],
                "memo": spec.memo[:300],
                "created_by_id": created_by,
                "created_at": now,
            }
        )
    payments = bulk_insert(Payment, payment_rows)
    allocations = bulk_insert(
        Allocation,
        [
            {
                "payment_id": payment.pk,
                "invoice_id": pk,
                "amount": amount,
                "date": payment.date,
                "with_receipt": True,
                "created_by_id": created_by,
                "created_at": now,
            }
            for payment, parts in zip(payments, allocation_rows, strict=True)
            for pk, amount in parts
        ],
    )
    activities: dict[int, Activity] = {}

    def activity(pk: int) -> Activity:
        if pk not in activities:
            activities[pk] = Activity(pk=pk)
        return activities[pk]

    coop = postings.coop()
    specs_out = []
    for payment, parts, spec in zip(payments, allocation_rows, specs, strict=True):
        payment.bank_account = spec.bank_account
        specs_out.append(
            postings.receipt_spec_from(
                payment,
                [(activity(activity_of[pk]), amount) for pk, amount in parts],
                coop,
                payer=spec.payer_name,
            )
        )
    entries = entries_post_many(entries=specs_out, acting_user=acting_user, savepoint=False)
    invoices_add_paid(paid_now, settled)
    _notify(allocations)
    return [(p, e.pk) for p, e in zip(payments, entries, strict=True)]
