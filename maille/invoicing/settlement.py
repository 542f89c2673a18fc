"""What an issued invoice still owes, and the status that follows from it.

An invoice's status past ``issued`` is never set by hand: it is derived from

- what was paid (the payments app's allocations, net of reversals),
- the credit notes issued against it,
- what was written off (collection),

by ``derive_status``. ``Invoice.amount_paid`` and ``Invoice.amount_written_off``
are caches of those sums, written by ``invoice_settlement_refresh`` in the
same transaction as the allocation, reversal, credit note or write-off that
changes them; the payments app's verify check recomputes them from the rows.

    balance due = total − credit notes − paid − written off   (never below 0)

    issued          nothing received yet, something owed
    partially_paid  something received, something still owed
    paid            nothing owed any more (payments and credit notes settled it)
    written_off     nothing owed any more, and part of it was written off

The payments app sits above invoicing (ARCHITECTURE §4): it passes the paid
amount in; invoicing never reads allocations.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import connection
from django.db.models import Sum

from maille.core.audit import set_actor
from maille.core.models import User
from maille.core.money import ZERO, round_half_up
from maille.invoicing.models import Invoice, InvoiceStatus


def derive_status(*, total: Decimal, credited: Decimal, paid: Decimal, written_off: Decimal) -> str:
    """The status of an issued invoice from its sums (see the module docstring)."""
    owed = total - credited - paid - written_off
    if owed <= 0:
        return InvoiceStatus.WRITTEN_OFF if written_off > 0 else InvoiceStatus.PAID
    if paid > 0:
        return InvoiceStatus.PARTIALLY_PAID
    return InvoiceStatus.ISSUED


def credited_total(invoice: Invoice) -> Decimal:
    """The total of the issued credit notes against ``invoice``."""
    total = (
        Invoice.objects.filter(corrects=invoice)
        .exclude(status=InvoiceStatus.DRAFT)
        .aggregate(s=Sum("total"))["s"]
    )
    return Decimal(total or ZERO)


def credited_totals(invoice_ids: Iterable[int]) -> dict[int, Decimal]:
    """``credited_total`` of many invoices in one query (those without a credit note
    are absent)."""
    rows = (
        Invoice.objects.filter(corrects_id__any=list(invoice_ids))
        .exclude(status=InvoiceStatus.DRAFT)
        .values("corrects_id")
        .annotate(s=Sum("total"))
        .values_list("corrects_id", "s")
    )
    # Back to the cent: SQLite sums decimals as floats.
    return {pk: round_half_up(Decimal(total)) for pk, total in rows if total is not None}


def open_amount(invoice: Invoice, *, credited: Decimal | None = None) -> Decimal:
    """What the client still owes on an issued invoice (zero for a draft or a credit note)."""
    if invoice.is_draft or invoice.is_credit_note:
        return ZERO
    if credited is None:
        credited = credited_total(invoice)
    owed = invoice.total - credited - invoice.amount_paid - invoice.amount_written_off
    return max(owed, ZERO)


def invoice_settlement_refresh(
    *,
    invoice_id: int,
    acting_user: User | None,
    paid: Decimal | None = None,
    written_off: Decimal | None = None,
) -> Invoice:
    """Store the paid / written-off sums given (``None``: unchanged) and the derived status.

    Runs inside the caller's transaction (the allocation, reversal, credit
    note or write-off); locks the invoice row so two payments settling the
    same invoice at once queue rather than overwrite each other.
    """
    invoice = Invoice.objects.select_for_update(of=("self",)).get(pk=invoice_id)
    if invoice.is_draft or invoice.is_credit_note:
        raise RuntimeError("only an issued invoice is settled")
    if paid is not None:
        invoice.amount_paid = paid
    if written_off is not None:
        invoice.amount_written_off = written_off
    status = derive_status(
        total=invoice.total,
        credited=credited_total(invoice),
        paid=invoice.amount_paid,
        written_off=invoice.amount_written_off,
    )
    changed = ["amount_paid", "amount_written_off"]
    if status != invoice.status:
        invoice.status = status
        changed.append("status")
    set_actor(invoice, acting_user)
    invoice.save(update_fields=changed)
    return invoice


def invoices_add_paid(
    paid_now: dict[int, Decimal], settled: dict[int, tuple[Decimal, Decimal, Decimal, Decimal]]
) -> None:
    """Add what was just paid to each invoice's ``amount_paid`` and move its derived status.

    For a bulk of payments (the statement matcher): ``settled`` holds each
    invoice's total, credited, paid and written-off amounts as the caller read
    them under the invoices' row locks; one UPDATE on PostgreSQL."""
    if not paid_now:
        return
    rows = []
    for pk, extra in paid_now.items():
        total, credited, paid, written_off = settled[pk]
        paid += extra
        status = derive_status(total=total, credited=credited, paid=paid, written_off=written_off)
        rows.append((pk, paid, status))
    table = Invoice._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ``i.id = ANY(…)`` too: the planner then looks the rows up by
            # their key, whatever its statistics say of the table.
            ids = [r[0] for r in rows]
            cursor.execute(
                f"UPDATE {table} AS i SET amount_paid = u.paid, status = u.status "  # noqa: S608
                "FROM unnest(%s::bigint[], %s::numeric[], %s::text[]) AS u(id, paid, status) "
                "WHERE i.id = u.id AND i.id = ANY(%s::bigint[])",
                [ids, [r[1] for r in rows], [r[2] for r in rows], ids],
            )
            return
        cursor.executemany(
            f"UPDATE {table} SET amount_paid = %s, status = %s WHERE id = %s",  # noqa: S608
            [(paid, status, pk) for pk, paid, status in rows],
        )
