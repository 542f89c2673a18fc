"""Write-offs and recoveries (quebec-operations.md §8; docs/decisions/0010-collection.md).

A write-off goes through the guarantee fund's loss absorption
(``guarantee.services.absorb_loss``, docs/decisions/0009-guarantee.md): in
the same transaction, it posts the receivable out, the GST/QST bad-debt
adjustment (tax × unpaid share, ETA s. 231, QST s. 444: the next return
deducts it) and the bad debt — the fund for an invoice it advanced, the
activity otherwise — and moves the invoice's written-off amount and status.
Collection records why, who, and the case's timeline.

A later payment on a written-off invoice is a recovery (ETA s. 231(3), QST
s. 446): the client's payment (its unallocated credit) is applied to the
invoice after the write-off is reversed for that amount, pro rata of what
each party bore: the receivable comes back, the tax adjustment is paid back
(the tax is owed again), and the fund or the activity that bore the loss is
credited; then the payment settles the receivable as any payment does.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.collection.exceptions import CollectionError
from maille.collection.models import CaseEvent, EventKind, Recovery, WriteOff
from maille.collection.services import case_for
from maille.core.exceptions import DomainError
from maille.core.models import User
from maille.core.money import CENT, ZERO, format_money, round_half_up
from maille.guarantee.models import Loss
from maille.guarantee.services import absorb_loss
from maille.invoicing.models import OPEN_STATUSES, Invoice, InvoiceKind, InvoiceStatus
from maille.invoicing.postings import tax_accounts
from maille.invoicing.settlement import invoice_settlement_refresh
from maille.ledger import accounts
from maille.ledger.services import LineSpec, entry_post
from maille.members.models import COOP_ACTIVITY_CODE, FUND_ACTIVITY_CODE
from maille.members.selectors import coop_activities
from maille.payments.models import Payment
from maille.payments.selectors import payment_credit
from maille.payments.services import AllocationSpec, credit_apply

logger = logging.getLogger(__name__)


def _invoice(invoice_id: int, client_id: int | None) -> Invoice:
    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("activity", "client")
        .filter(pk=invoice_id)
        .first()
    )
    if invoice is None or (client_id is not None and invoice.client_id != client_id):
        raise CollectionError(_("Invoice: this is not an invoice of this client."))
    return invoice


@transaction.atomic
def write_off(
    *,
    invoice_id: int,
    amount: Decimal,
    reason: str,
    acting_user: User,
    client_id: int | None = None,
    on: dt.date | None = None,
) -> WriteOff:
    """Staff write off ``amount`` (taxes included) of an invoice still owed, with a reason."""
    from maille.collection.services import case_for

    if not acting_user.is_staff:
        raise PermissionError
    invoice = _invoice(invoice_id, client_id)
    day = on or timezone.localdate()
    problems = []
    if invoice.kind != InvoiceKind.INVOICE or invoice.is_draft or invoice.client_id is None:
        problems.append(_("Invoice: only an issued invoice to a client can be written off."))
    elif invoice.status not in OPEN_STATUSES:
        problems.append(
            _("Invoice: %(n)s is %(s)s; nothing is owed to write off.")
            % {"n": invoice.number, "s": invoice.get_status_display().lower()}
        )
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        problems.append(_("Amount must be more than zero."))
    elif amount != amount.quantize(CENT):
        problems.append(_("Amount has more than two decimals."))
    if not reason.strip():
        problems.append(_("Reason: say why the invoice is written off."))
    if problems:
        raise CollectionError(problems)
    try:
        loss = absorb_loss(invoice=invoice, amount=amount, acting_user=acting_user, on=day)
    except DomainError as exc:
        raise CollectionError(getattr(exc, "problems_list", None) or [str(exc)]) from exc
    row = WriteOff.objects.create(
        invoice=invoice,
        date=day,
        amount=amount,
        reason=reason.strip()[:300],
        created_by=acting_user,
    )
    CaseEvent.objects.create(
        case=case_for(invoice),
        invoice=invoice,
        kind=EventKind.WRITE_OFF,
        on=day,
        created_by=acting_user,
        text=_(
            "%(n)s: %(amount)s written off (%(reason)s); borne by %(who)s; tax adjustment %(tax)s."
        )
        % {
            "n": invoice.number,
            "amount": format_money(amount),
            "reason": row.reason,
            "who": _("the guarantee fund") if loss.eligible else _("the activity"),
            "tax": format_money(loss.tax_adjustment),
        },
    )
    return row


@transaction.atomic
def recovery_record(
    *,
    invoice_id: int,
    payment_id: int,
    amount: Decimal,
    acting_user: User | None,
    on: dt.date | None = None,
    automatic: bool = False,
) -> Recovery:
    """A payment received on a written-off invoice: the write-off reversed for ``amount``
    (tax back in, the fund or the activity credited), then the payment applied.

    ``acting_user`` is staff, or ``None`` for the daily run (``automatic``)."""
    if acting_user is not None and not acting_user.is_staff:
        raise PermissionError
    # The payment first, then the invoice: the order payments' own services lock
    # them in (credit_apply), so the two never wait on each other.
    payment = Payment.objects.select_for_update(of=("self",)).filter(pk=payment_id).first()
    invoice = _invoice(invoice_id, None)
    day = on or timezone.localdate()
    if payment is not None and payment.client_id != invoice.client_id:
        payment = None
    problems = []
    if not isinstance(amount, Decimal) or amount <= 0 or amount != amount.quantize(CENT):
        problems.append(_("Amount must be more than zero, in cents."))
    recovered = Decimal(
        Recovery.objects.filter(write_off__invoice=invoice).aggregate(s=Sum("amount"))["s"] or 0
    )
    losses = list(Loss.objects.filter(invoice=invoice).order_by("sequence"))
    lost = sum((loss.amount for loss in losses), ZERO)
    if not problems and amount > invoice.amount_written_off:
        problems.append(
            _("Amount: only %(w)s of %(n)s is written off.")
            % {"w": format_money(invoice.amount_written_off), "n": invoice.number}
        )
    if payment is None:
        problems.append(_("Payment: choose a payment of this client."))
    elif not problems and payment_credit(payment=payment) < amount:
        problems.append(_("Payment: not enough of it is left to apply."))
    write_offs = list(WriteOff.objects.filter(invoice=invoice).order_by("id"))
    if not write_offs or not losses:
        problems.append(_("Invoice: %(n)s was not written off.") % {"n": invoice.number})
    if problems:
        raise CollectionError(problems)
    ratio = amount / lost
    special = coop_activities()
    parties = (
        (special[FUND_ACTIVITY_CODE], sum((x.fund_part for x in losses), ZERO)),
        (invoice.activity, sum((x.activity_part for x in losses), ZERO)),
        (special[COOP_ACTIVITY_CODE], sum((x.coop_part for x in losses), ZERO)),
    )
    tax_total = sum((x.tax_adjustment for x in losses), ZERO)
    taxes = list(invoice.taxes.all())
    invoice_tax = sum((t.amount for t in taxes), ZERO)
    codes = tax_accounts()
    lines = [LineSpec(accounts.AR, invoice.activity, amount)]
    given = ZERO
    for tax in taxes:
        if invoice_tax and tax.amount:
            part = round_half_up(tax_total * ratio * tax.amount / invoice_tax)
            if part:
                lines.append(LineSpec(codes[tax.code], invoice.activity, -part))
                given += part
    shares = [(who, round_half_up(part * ratio)) for who, part in parties if part]
    rest = amount - given - sum((s for _w, s in shares), ZERO)
    if shares:  # the cent of rounding goes to the largest share
        big = max(range(len(shares)), key=lambda i: shares[i][1])
        shares[big] = (shares[big][0], shares[big][1] + rest)
    lines += [LineSpec(accounts.BAD_DEBTS, who, -share) for who, share in shares if share]
    n = Recovery.objects.filter(write_off__invoice=invoice).count() + 1
    entry_post(
        date=day,
        description=(_("Recovery of bad debt, invoice %(n)s") % {"n": invoice.number})[:200],
        lines=lines,
        idempotency_key=f"collection:{invoice.number}:recovery:{n}",
        acting_user=acting_user,
        source=invoice,
    )
    invoice_settlement_refresh(
        invoice_id=invoice.pk,
        acting_user=acting_user,
        written_off=invoice.amount_written_off - amount,
    )
    invoice.refresh_from_db()
    assert payment is not None  # noqa: S101 — refused above when None
    credit_apply(
        payment=payment,
        allocations=[AllocationSpec(invoice=invoice, amount=amount)],
        acting_user=acting_user,
        date=max(day, payment.date),
    )
    row = Recovery.objects.create(
        write_off=write_offs[-1],
        date=day,
        amount=amount,
        payment=payment,
        automatic=automatic,
        created_by=acting_user,
    )
    CaseEvent.objects.create(
        case=case_for(invoice),
        invoice=invoice,
        kind=EventKind.RECOVERY,
        on=day,
        created_by=acting_user,
        text=_(
            "%(n)s: %(amount)s recovered after the write-off (%(before)s recovered before)%(how)s."
        )
        % {
            "n": invoice.number,
            "amount": format_money(amount),
            "before": format_money(recovered),
            "how": _(", found by the daily run in payment %(p)s") % {"p": payment.pk}
            if automatic
            else "",
        },
    )
    return row


@dataclass(frozen=True, slots=True)
class RecoveryCandidate:
    """A payment with credit from a client who has a written-off invoice."""

    invoice: Invoice
    payment: Payment
    credit: Decimal
    unrecovered: Decimal
    named: bool  #: the payment's reference names the invoice
    nothing_else_owed: bool  #: the client has no open invoice it could be for

    @property
    def automatic(self) -> bool:
        # Only a payment naming the written-off invoice is booked by the run: one
        # naming none may be a deposit for work to come, even when nothing else
        # is owed (``nothing_else_owed`` is shown to staff as a hint).
        return self.named

    @property
    def amount(self) -> Decimal:
        return min(self.credit, self.unrecovered)


def recovery_candidates(*, client_ids: list[int] | None = None) -> list[RecoveryCandidate]:
    """Payments that may be recoveries: credit received, on or after a write-off, from
    the client of an invoice still (partly) written off. A few rows: written-off
    invoices are rare, and only their clients' payments are read."""
    invoices = Invoice.objects.filter(
        kind=InvoiceKind.INVOICE, amount_written_off__gt=0, client__isnull=False
    ).select_related("client", "activity")
    if client_ids is not None:
        invoices = invoices.filter(client_id__in=client_ids)
    written = list(invoices.order_by("due_date", "pk"))
    if not written:
        return []
    first_write_off = dict(
        WriteOff.objects.filter(invoice__in=written)
        .values("invoice_id")
        .annotate(d=Min("date"))
        .values_list("invoice_id", "d")
    )
    clients = {i.client_id for i in written if i.client_id is not None}
    open_elsewhere = set(
        Invoice.objects.filter(
            client_id__in=clients, kind=InvoiceKind.INVOICE, status__in=OPEN_STATUSES
        ).values_list("client_id", flat=True)
    )
    payments = list(
        Payment.objects.filter(client_id__in=clients, reversed_on__isnull=True).order_by(
            "date", "pk"
        )
    )
    credits = {p.pk: payment_credit(payment=p) for p in payments}
    found = []
    for invoice in written:
        since = first_write_off.get(invoice.pk)
        if since is None:
            continue
        for payment in payments:
            credit = credits[payment.pk]
            if payment.client_id != invoice.client_id or credit <= 0 or payment.date < since:
                continue
            text = f"{payment.bank_reference} {payment.memo} {payment.payer_name}".upper()
            found.append(
                RecoveryCandidate(
                    invoice=invoice,
                    payment=payment,
                    credit=credit,
                    unrecovered=invoice.amount_written_off,
                    # Naming an invoice still partly owed may be paying that part:
                    # only a fully written-off one is told for sure.
                    named=bool(invoice.number)
                    and str(invoice.number).upper() in text
                    and invoice.status not in OPEN_STATUSES,
                    nothing_else_owed=invoice.client_id not in open_elsewhere,
                )
            )
    return found


def recoveries_detect(*, on: dt.date, acting_user: User | None = None) -> int:
    """The daily run's part: book the recoveries it can tell for sure (the payment
    names the written-off invoice); the others wait on the recoveries page for
    staff. Each is booked in its own savepoint: one that a rule refuses (a
    closed period, say) is left for staff and does not stop the day's run.
    Returns how many were booked."""
    booked = 0
    used: dict[int, Decimal] = {}
    left: dict[int, Decimal] = {}
    for candidate in sorted(recovery_candidates(), key=lambda c: (not c.named, c.payment.date)):
        if not candidate.automatic:
            continue
        credit = candidate.credit - used.get(candidate.payment.pk, ZERO)
        unrecovered = left.get(candidate.invoice.pk, candidate.unrecovered)
        amount = min(credit, unrecovered)
        if amount <= 0:
            continue
        try:
            with transaction.atomic():
                recovery_record(
                    invoice_id=candidate.invoice.pk,
                    payment_id=candidate.payment.pk,
                    amount=amount,
                    acting_user=acting_user,
                    on=max(on, candidate.payment.date),
                    automatic=True,
                )
        except DomainError:
            logger.warning(
                "Recovery of invoice %s from payment %s left for staff",
                candidate.invoice.pk,
                candidate.payment.pk,
                exc_info=True,
            )
            continue
        used[candidate.payment.pk] = used.get(candidate.payment.pk, ZERO) + amount
        left[candidate.invoice.pk] = unrecovered - amount
        booked += 1
    return booked


def recovery_list() -> list[Recovery]:
    return list(
        Recovery.objects.select_related("write_off__invoice__client", "payment").order_by(
            "-date", "-id"
        )[:500]
    )


def invoice_was_written_off(invoice: Invoice) -> bool:
    return invoice.status == InvoiceStatus.WRITTEN_OFF or invoice.amount_written_off > 0
