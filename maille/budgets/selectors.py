"""An activity's available budget, from ledger lines only (ARCHITECTURE §3).

    available = collected share of each invoice's subtotal, after its contribution
              + guarantee advances posted on the activity
              − costs already drawn (salaries with employer contributions and
                vacation pay, expenses, bookings)
              − amounts reserved by pending requests

*Collected share*: an invoice of subtotal S, contribution C and total T (taxes
included), of which P has been collected, gives ``(S − C) × P / T`` (payments
pro rata: the taxes in a payment are not the member's). An internal invoice
has no receivable: it is settled in the ledger the moment it is issued, so
its whole subtotal moves (to the selling activity, from the buying one).
S, C and T are read from the invoice's own ledger lines on the activity (a
credit note's lines count with the invoice it corrects, lowering S, C and T);
P is what the payments module says was collected on it
(``payments.selectors.collected``).

*Advances*: the guarantee fund credits ``GUARANTEED_BUDGET`` on the activity
when it advances an eligible invoice and debits it back when the client pays;
the selector adds the account's credit balance and knows nothing of the rules.

Payroll, expenses, coworking and guarantee all read this; none extends it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum

from maille.budgets.models import BudgetReservation
from maille.core.money import ZERO, round_half_up
from maille.invoicing.models import Invoice
from maille.ledger import accounts
from maille.ledger.models import Balance, JournalLine
from maille.members.models import Activity
from maille.payments.selectors import collected

#: Expense accounts a member's activity draws on (not the contribution, which
#: is inside the invoice's share). A write-off closes the invoice's receivable,
#: so its share counts as collected; the part of the loss the activity bears
#: (``BAD_DEBTS`` on the activity: a loss the guarantee fund does not cover,
#: docs/decisions/0009-guarantee.md) is then one of its costs.
COST_ACCOUNTS = (
    accounts.BAD_DEBTS,
    accounts.SALARIES,
    accounts.EMPLOYER_CONTRIBUTIONS,
    accounts.VACATION_PAY,
    accounts.SPACE_EXPENSE,
    accounts.ACTIVITY_EXPENSES,
)
# An invoice credits Revenue, or the revenue account it names (the co-op's
# space rentals to guests: Space income).
_INVOICE_ACCOUNTS = (*accounts.INVOICE_REVENUE, accounts.CONTRIBUTION_EXPENSE, accounts.AR)


def _cents(total: Decimal | None) -> Decimal:
    """A database sum back to the cent (SQLite sums decimals as floats)."""
    return round_half_up(Decimal(total or 0))


@dataclass(frozen=True, slots=True)
class Budget:
    activity_id: int
    collected: Decimal
    advances: Decimal
    costs: Decimal
    reserved: Decimal

    @property
    def available(self) -> Decimal:
        return self.collected + self.advances - self.costs - self.reserved


def collected_by_invoice(invoice_ids: Iterable[int]) -> dict[int, Decimal]:
    """What the client paid on each invoice (allocations net of reversals), by invoice id."""
    ids = list(invoice_ids)
    if not ids:
        return {}
    return collected(invoice_ids=ids)


def _invoice_shares(activity_ids: list[int]) -> dict[int, Decimal]:
    invoice_type = ContentType.objects.get_for_model(Invoice)
    rows: list[tuple[int, int, str, Decimal]] = list(
        JournalLine.objects.filter(
            activity_id__in=activity_ids,
            account__code__in=_INVOICE_ACCOUNTS,
            entry__source_type=invoice_type,
        )
        .values_list("activity_id", "entry__source_id", "account__code")
        .annotate(total=Sum("amount"))
    )
    figures: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(
        lambda: dict.fromkeys(_INVOICE_ACCOUNTS, ZERO)
    )
    # A credit note counts with the invoice it corrects: it lowers what is owed.
    corrects = dict(
        Invoice.objects.filter(
            pk__in={invoice_id for _a, invoice_id, _c, _t in rows}, corrects__isnull=False
        ).values_list("pk", "corrects_id")
    )
    for activity_id, invoice_id, code, total in rows:
        key = corrects.get(invoice_id, invoice_id)
        figures[(activity_id, key)][code] += _cents(total)
    paid_on = collected_by_invoice({invoice_id for _a, invoice_id in figures})
    shares: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for (activity_id, invoice_id), amounts in figures.items():
        revenue = sum((amounts[code] for code in accounts.INVOICE_REVENUE), ZERO)
        after_contribution = -revenue - amounts[accounts.CONTRIBUTION_EXPENSE]
        receivable = amounts[accounts.AR]
        if receivable == 0:  # internal invoice: settled in the ledger at issue
            shares[activity_id] += after_contribution
            continue
        paid = paid_on.get(invoice_id, ZERO)
        # Fully credited (nothing owed): the share is the net after the credit note.
        ratio = min(paid / receivable, Decimal(1)) if receivable > 0 else Decimal(1)
        shares[activity_id] += round_half_up(after_contribution * ratio)
    return shares


def _sums_by_activity(
    activity_ids: list[int], codes: tuple[str, ...]
) -> dict[tuple[int, str], Decimal]:
    """All-time sums per (activity, account code), read from the ledger's monthly
    running balances (kept with every posting, checked against the lines by the
    ledger's tests): a few rows per activity, however long its history."""
    rows = (
        Balance.objects.filter(activity_id__in=activity_ids, account__code__in=codes)
        .values_list("activity_id", "account__code")
        .annotate(total=Sum("amount"))
    )
    return {(activity_id, code): _cents(total) for activity_id, code, total in rows}


def budgets_of(activity_ids: Iterable[int]) -> dict[int, Budget]:
    """The budget of each activity, in a fixed number of queries whatever their number."""
    ids = list(set(activity_ids))
    shares = _invoice_shares(ids)
    sums = _sums_by_activity(ids, (accounts.GUARANTEED_BUDGET, *COST_ACCOUNTS))
    advances: dict[int, Decimal] = defaultdict(lambda: ZERO)
    costs: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for (activity_id, code), total in sums.items():
        if code == accounts.GUARANTEED_BUDGET:
            advances[activity_id] += total
        else:
            costs[activity_id] += total
    reserved = {
        activity_id: _cents(total)
        for activity_id, total in BudgetReservation.objects.filter(
            activity_id__in=ids, released_at__isnull=True
        )
        .values_list("activity_id")
        .annotate(total=Sum("amount"))
    }
    return {
        i: Budget(
            activity_id=i,
            collected=shares.get(i, ZERO),
            advances=-advances.get(i, ZERO),
            costs=costs.get(i, ZERO),
            reserved=reserved.get(i, ZERO),
        )
        for i in ids
    }


def activity_budget(activity: Activity) -> Budget:
    return budgets_of([activity.pk])[activity.pk]


def activity_available_budget(activity: Activity) -> Decimal:
    """What salary, expenses and bookings may still draw on this activity."""
    return activity_budget(activity).available
