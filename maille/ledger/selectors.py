"""Reads of the ledger: balances, statements, the trial balance, the general ledger.

Balances read the running totals (``Balance``, one row per account, activity
and month) for the months before the date asked, plus the lines of that
month up to the date: a fixed, small number of queries whatever the size of
the journal. Amounts are debit positive, credit negative, as posted.

Scoping: these functions take the objects they report on; views and the API
fetch those objects through the scoped selectors of ``maille.members``
(a member reaches only their own activities).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import F, Q, QuerySet, Sum, Window
from django.utils.translation import gettext as _

from maille.core.money import ZERO
from maille.ledger.models import (
    Account,
    AccountType,
    Balance,
    JournalEntry,
    JournalLine,
    Period,
)
from maille.members.models import Activity


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _sum(qs: QuerySet[Balance] | QuerySet[JournalLine]) -> Decimal:
    total = qs.aggregate(total=Sum("amount"))["total"]
    return (total or ZERO).quantize(Decimal("0.01"))


def balance(
    *,
    account: str | None = None,
    activity: Activity | None = None,
    as_of: dt.date | None = None,
) -> Decimal:
    """Sum of the lines of an account (by code), an activity, or both, up to
    and including ``as_of`` (everything when ``None``). Debit positive."""
    totals = Balance.objects.all()
    lines = JournalLine.objects.all()
    if account is not None:
        totals = totals.filter(account__code=account)
        lines = lines.filter(account__code=account)
    if activity is not None:
        totals = totals.filter(activity=activity)
        lines = lines.filter(activity=activity)
    if as_of is None:
        return _sum(totals)
    month = _month(as_of)
    return _sum(totals.filter(month__lt=month)) + _sum(
        lines.filter(date__gte=month, date__lte=as_of)
    )


def balances_by_account(
    *, activity: Activity | None = None, as_of: dt.date | None = None
) -> dict[int, Decimal]:
    """{account id: balance}, for one activity or the whole co-op. Two queries."""
    totals = Balance.objects.all()
    lines = JournalLine.objects.all()
    if activity is not None:
        totals = totals.filter(activity=activity)
        lines = lines.filter(activity=activity)
    result: dict[int, Decimal] = defaultdict(lambda: ZERO)
    if as_of is not None:
        month = _month(as_of)
        totals = totals.filter(month__lt=month)
        for row in (
            lines.filter(date__gte=month, date__lte=as_of)
            .values("account_id")
            .annotate(total=Sum("amount"))
            .order_by()
        ):
            result[row["account_id"]] += row["total"]
    for row in totals.values("account_id").annotate(total=Sum("amount")).order_by():
        result[row["account_id"]] += row["total"]
    return {k: v.quantize(Decimal("0.01")) for k, v in result.items()}


@dataclass(frozen=True, slots=True)
class TrialBalanceRow:
    account: Account
    balance: Decimal

    @property
    def debit(self) -> Decimal | None:
        return self.balance if self.balance > 0 else None

    @property
    def credit(self) -> Decimal | None:
        return -self.balance if self.balance < 0 else None


@dataclass(frozen=True, slots=True)
class TrialBalance:
    as_of: dt.date | None
    rows: list[TrialBalanceRow]

    @property
    def total_debit(self) -> Decimal:
        return sum((r.debit or ZERO for r in self.rows), ZERO)

    @property
    def total_credit(self) -> Decimal:
        return sum((r.credit or ZERO for r in self.rows), ZERO)


def trial_balance(
    *, as_of: dt.date | None = None, activity: Activity | None = None
) -> TrialBalance:
    """Every account with lines, and its balance. Debits equal credits."""
    balances = balances_by_account(activity=activity, as_of=as_of)
    accounts = Account.objects.filter(pk__in=list(balances)).order_by("code")
    return TrialBalance(
        as_of=as_of, rows=[TrialBalanceRow(account=a, balance=balances[a.pk]) for a in accounts]
    )


@dataclass(frozen=True, slots=True)
class Statement:
    """Chronological lines with a running balance, from an opening balance."""

    date_from: dt.date | None
    date_to: dt.date | None
    opening: Decimal
    lines: QuerySet[JournalLine]
    closing: Decimal
    summary: list[TrialBalanceRow] = field(default_factory=list)

    @property
    def result(self) -> Decimal:
        """Revenue and expenses of the period summary (ARCHITECTURE §3: an
        activity's balance); negative is a surplus, as in the ledger."""
        return sum(
            (
                r.balance
                for r in self.summary
                if r.account.type in (AccountType.REVENUE, AccountType.EXPENSE)
            ),
            ZERO,
        )


def _lines_with_running_balance(
    lines: QuerySet[JournalLine], opening: Decimal
) -> QuerySet[JournalLine]:
    # The window sums every earlier line of the same selection, so a page
    # taken from the middle still shows the right running balance.
    order = [F("date").asc(), F("entry_id").asc(), F("id").asc()]
    return (
        lines.select_related("entry", "account", "activity")
        .prefetch_related("entry__source")
        .annotate(running=Window(Sum("amount"), order_by=order) + opening)
        .order_by("date", "entry_id", "id")
    )


def _period_filter(date_from: dt.date | None, date_to: dt.date | None) -> Q:
    q = Q()
    if date_from is not None:
        q &= Q(date__gte=date_from)
    if date_to is not None:
        q &= Q(date__lte=date_to)
    return q


def activity_statement(
    *,
    activity: Activity,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    account: Account | None = None,
) -> Statement:
    """The lines of one activity (optionally of one account) between two dates."""
    day_before = _day_before(date_from)
    code = account.code if account else None
    opening = balance(activity=activity, account=code, as_of=day_before) if day_before else ZERO
    lines = JournalLine.objects.filter(_period_filter(date_from, date_to), activity=activity)
    if account is not None:
        lines = lines.filter(account=account)
    summary = trial_balance(activity=activity, as_of=date_to).rows
    if account is not None:
        summary = [r for r in summary if r.account.pk == account.pk]
    closing = sum((r.balance for r in summary), ZERO)
    return Statement(
        date_from=date_from,
        date_to=date_to,
        opening=opening,
        lines=_lines_with_running_balance(lines, opening),
        closing=closing,
        summary=summary,
    )


@dataclass(frozen=True, slots=True)
class PlainRow:
    """One amount of an activity as a member reads it: positive is money in."""

    key: str
    label: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ActivityMoney:
    """An activity's money in plain words (the member's view of the ledger)."""

    rows: list[PlainRow]
    balance: Decimal  # revenue less every cost: what the activity has, positive
    owed_by_clients: Decimal  # receivables still open (taxes included)

    def amount(self, key: str) -> Decimal:
        return next((r.amount for r in self.rows if r.key == key), ZERO)


def _plain_labels() -> list[tuple[str, str, str]]:
    from maille.ledger import accounts

    # (key, account code, label): revenue first, then what the activity pays.
    return [
        ("invoiced", accounts.REVENUE, _("Invoiced revenue")),
        ("contribution", accounts.CONTRIBUTION_EXPENSE, _("Contribution to the co-op")),
        ("salaries", accounts.SALARIES, _("Salaries")),
        ("employer", accounts.EMPLOYER_CONTRIBUTIONS, _("Employer contributions")),
        ("expenses", accounts.ACTIVITY_EXPENSES, _("Expenses")),
        ("space", accounts.SPACE_EXPENSE, _("Shared space")),
        ("bad_debts", accounts.BAD_DEBTS, _("Unpaid invoices written off")),
    ]


def _plain_line_labels() -> dict[str, str]:
    """Words for the other accounts an activity's lines touch."""
    from maille.ledger import accounts

    taxes = _("Sales taxes (collected for the governments)")
    return {
        accounts.AR: _("Owed by clients"),
        accounts.BANK: _("Money in the bank"),
        accounts.GST_PAYABLE: taxes,
        accounts.QST_PAYABLE: taxes,
        accounts.HST_PAYABLE: taxes,
        **{code: str(label) for _k, code, label in _plain_labels()},
    }


def plain_label(account: Account) -> str:
    """The member's word for an account (its name when it has none)."""
    return _plain_line_labels().get(account.code, account.name)


def plain_amount(line: JournalLine) -> Decimal:
    """A line as the member reads it: revenue and what the activity holds for
    others count positive when they grow, costs negative; what it owns
    (receivables, bank) positive when it grows."""
    if line.account.type == AccountType.ASSET:
        return line.amount
    return -line.amount


def activity_money(*, activity: Activity, as_of: dt.date | None = None) -> ActivityMoney:
    """The activity's revenue, contribution, costs and balance, from its ledger
    lines (two queries plus the chart), signed as a member reads them: revenue
    positive, costs negative. Rows with nothing on them are left out, except
    the invoiced revenue and the contribution."""
    from maille.ledger import accounts

    by_id = balances_by_account(activity=activity, as_of=as_of)
    chart = {
        pk: (code, kind) for pk, code, kind in Account.objects.values_list("id", "code", "type")
    }
    types = dict(chart.values())
    by_code: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for account_id, amount in by_id.items():
        by_code[chart[account_id][0]] += amount
    rows = []
    for key, code, label in _plain_labels():
        amount = -by_code[code]
        if amount or key in ("invoiced", "contribution"):
            rows.append(PlainRow(key, label, amount))
    result = sum(
        (
            v
            for c, v in by_code.items()
            if types.get(c) in (AccountType.REVENUE, AccountType.EXPENSE)
        ),
        ZERO,
    )
    return ActivityMoney(rows=rows, balance=-result, owed_by_clients=by_code[accounts.AR])


def general_ledger(
    *, account: Account, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> Statement:
    """The lines of one account, all activities, between two dates."""
    day_before = _day_before(date_from)
    opening = balance(account=account.code, as_of=day_before) if day_before else ZERO
    lines = JournalLine.objects.filter(_period_filter(date_from, date_to), account=account)
    closing = balance(account=account.code, as_of=date_to)
    return Statement(
        date_from=date_from,
        date_to=date_to,
        opening=opening,
        lines=_lines_with_running_balance(lines, opening),
        closing=closing,
    )


def account_list() -> QuerySet[Account]:
    return Account.objects.order_by("code")


def account_get(code: str) -> Account | None:
    return Account.objects.filter(code=code).first()


def period_list() -> QuerySet[Period]:
    return Period.objects.prefetch_related("events__acting_user").order_by("-month")


def periods_to_close(*, today: dt.date) -> list[dt.date]:
    """Past months with lines in the books that are not closed yet, oldest first."""
    current = _month(today)
    months = set(
        Balance.objects.filter(month__lt=current).values_list("month", flat=True).distinct()
    )
    return sorted(months - closed_months())


def closed_months() -> set[dt.date]:
    return set(Period.objects.filter(is_closed=True).values_list("month", flat=True))


def period_is_closed(*, day: dt.date) -> bool:
    """Whether the month of ``day`` is closed: nothing may be dated in it."""
    return Period.objects.filter(month=day.replace(day=1), is_closed=True).exists()


def _day_before(date_from: dt.date | None) -> dt.date | None:
    """The day whose balance opens a statement from ``date_from`` (none before year 1)."""
    if date_from is None or date_from == dt.date.min:
        return None
    return date_from - dt.timedelta(days=1)


def entries_for_export(
    *, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> Iterator[JournalEntry]:
    """Entries in date order with their lines, read in chunks (exports)."""
    entries = JournalEntry.objects.filter(_period_filter(date_from, date_to)).order_by(
        "date", "number"
    )
    return entries.prefetch_related("lines__account", "lines__activity").iterator(chunk_size=2000)


# --- Verification -----------------------------------------------------------


def _month_sql() -> str:
    if connection.vendor == "postgresql":
        return "date_trunc('month', l.date)::date"
    return "date(l.date, 'start of month')"


def _differs(expression: str) -> str:
    # SQLite stores decimals as floating point numbers: compare to the cent.
    return f"ROUND({expression}, 2) <> 0" if connection.vendor == "sqlite" else f"{expression} <> 0"


def ledger_problems() -> list[str]:
    """Recompute what the ledger derives and report every difference.

    - every entry balances, has the lines it was posted with, on its date;
    - the trial balance sums to zero;
    - each running balance equals the sum of its lines.
    """
    problems: list[str] = []
    lines, entries, balances = "ledger_journalline", "ledger_journalentry", "ledger_balance"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.number, COALESCE(SUM(l.amount), 0), COUNT(l.id), e.line_count, "  # noqa: S608
            f"SUM(CASE WHEN l.date <> e.date THEN 1 ELSE 0 END) "
            f"FROM {entries} e LEFT JOIN {lines} l ON l.entry_id = e.id "
            f"GROUP BY e.id, e.number, e.line_count "
            f"HAVING {_differs('COALESCE(SUM(l.amount), 0)')} OR COUNT(l.id) <> e.line_count "
            f"OR SUM(CASE WHEN l.date <> e.date THEN 1 ELSE 0 END) > 0 "
            f"ORDER BY e.number LIMIT 1000"
        )
        for number, total, count, declared, wrong_dates in cursor.fetchall():
            if count != declared:
                problems.append(
                    _("Entry JE-%(number)07d has %(count)s lines, posted with %(declared)s.")
                    % {"number": number, "count": count, "declared": declared}
                )
            if round(Decimal(str(total)), 2) != 0:
                problems.append(
                    _("Entry JE-%(number)07d does not balance: its lines sum to %(total)s.")
                    % {"number": number, "total": round(Decimal(str(total)), 2)}
                )
            if wrong_dates:
                problems.append(
                    _("Entry JE-%(number)07d has lines dated otherwise than the entry.")
                    % {"number": number}
                )
        cursor.execute(f"SELECT COALESCE(SUM(amount), 0) FROM {lines}")  # noqa: S608
        (total,) = cursor.fetchone()
        if round(Decimal(str(total)), 2) != 0:
            problems.append(
                _("The trial balance does not sum to zero: %(total)s.")
                % {"total": round(Decimal(str(total)), 2)}
            )
        cursor.execute(
            f"SELECT a.code, v.code, x.month, SUM(x.from_lines), SUM(x.from_balance) "  # noqa: S608
            f"FROM ("
            f"  SELECT l.account_id, l.activity_id, {_month_sql()} AS month, "
            f"         l.amount AS from_lines, 0 AS from_balance FROM {lines} l"
            f"  UNION ALL"
            f"  SELECT b.account_id, b.activity_id, b.month, 0, b.amount FROM {balances} b"
            f") x "
            f"JOIN ledger_account a ON a.id = x.account_id "
            f"JOIN members_activity v ON v.id = x.activity_id "
            f"GROUP BY a.code, v.code, x.month "
            f"HAVING {_differs('SUM(x.from_lines) - SUM(x.from_balance)')} "
            f"ORDER BY a.code, v.code, x.month LIMIT 1000"
        )
        for code, activity, month, from_lines, from_balance in cursor.fetchall():
            problems.append(
                _(
                    "Balance of account %(code)s, activity %(activity)s, %(month)s: "
                    "%(stored)s stored, %(computed)s from the lines."
                )
                % {
                    "code": code,
                    "activity": activity,
                    "month": str(month)[:7],
                    "stored": round(Decimal(str(from_balance)), 2),
                    "computed": round(Decimal(str(from_lines)), 2),
                }
            )
    return problems
