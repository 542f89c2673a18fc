"""The ledger in the shapes accountants take: CSV rows and a beancount file.

The CSV has one row per journal line (date, entry number, account code and
name, activity, debit, credit, description, source): the shape accounting
software imports. The beancount file is accepted by beancount 3's
``bean-check`` and ends with a ``balance`` assertion per account, so the
check itself proves its balances equal Maille's trial balance.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import TextIO

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from maille.core.money import ZERO, money_str
from maille.ledger import selectors
from maille.ledger.models import Account, AccountType, JournalEntry, JournalLine

JOURNAL_HEADER = [
    "date",
    "entry",
    "account",
    "account_name",
    "activity",
    "debit",
    "credit",
    "description",
    "memo",
    "source",
]


def source_ref(entry: JournalEntry) -> str:
    """``invoicing.invoice:12``: the document that caused the entry."""
    if entry.source_type_id is None:
        return ""
    ct = ContentType.objects.get_for_id(entry.source_type_id)  # cached: no query per row
    return f"{ct.app_label}.{ct.model}:{entry.source_id}"


def journal_row(line: JournalLine) -> list[str]:
    return [
        line.date.isoformat(),
        line.entry.display_number,
        line.account.code,
        line.account.name,
        line.activity.code,
        money_str(line.debit),
        money_str(line.credit),
        line.entry.description,
        line.memo,
        source_ref(line.entry),
    ]


def journal_rows(
    *, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> Iterator[list[str]]:
    yield JOURNAL_HEADER
    for entry in selectors.entries_for_export(date_from=date_from, date_to=date_to):
        for line in sorted(entry.lines.all(), key=lambda ln: ln.pk):
            line.entry = entry
            yield journal_row(line)


# --- beancount ----------------------------------------------------------------

ROOTS = {
    AccountType.ASSET: "Assets",
    AccountType.LIABILITY: "Liabilities",
    AccountType.EQUITY: "Equity",
    AccountType.REVENUE: "Income",
    AccountType.EXPENSE: "Expenses",
}


def beancount_account(account: Account) -> str:
    """``Liabilities:2110-QST-Payable``: the code keeps names unique, the
    English name (ASCII) keeps them readable and valid for beancount."""
    ascii_name = (
        unicodedata.normalize("NFKD", account.name_en).encode("ascii", "ignore").decode("ascii")
    )
    words = [w.capitalize() if w.islower() else w for w in re.findall(r"[A-Za-z0-9]+", ascii_name)]
    return f"{ROOTS[AccountType(account.type)]}:{account.code}-{'-'.join(words) or 'Account'}"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def write_beancount(
    out: TextIO, *, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> int:
    """Write the journal between two dates as a beancount ledger. Returns the
    number of entries written.

    With a start date, one opening transaction carries every account's
    balance of the day before, so that the file's balances at the end are the
    trial balance of Maille at ``date_to``.
    """
    accounts = list(Account.objects.order_by("code"))
    names = {a.pk: beancount_account(a) for a in accounts}
    first = (
        JournalEntry.objects.order_by("date").values_list("date", flat=True).first()
        or date_from
        or timezone.localdate()  # an empty ledger: any date will do
    )
    opened = min(first, date_from) if date_from else first
    out.write('option "title" "Maille"\noption "operating_currency" "CAD"\n\n')
    for account in accounts:
        out.write(
            f"{opened.isoformat()} open {names[account.pk]} CAD\n"
            f"  code: {_quote(account.code)}\n  name_fr: {_quote(account.name_fr)}\n"
        )
    out.write("\n")
    if date_from is not None and date_from > dt.date.min:
        day_before = date_from - dt.timedelta(days=1)
        opening = selectors.balances_by_account(as_of=day_before)
        postings = [(pk, amount) for pk, amount in sorted(opening.items()) if amount]
        if postings:
            out.write(f"{opened.isoformat()} * {_quote('Opening balances')}\n")
            for pk, amount in postings:
                out.write(f"  {names[pk]}  {money_str(amount)} CAD\n")
            out.write("\n")
    count = 0
    for entry in selectors.entries_for_export(date_from=date_from, date_to=date_to):
        count += 1
        out.write(f"{entry.date.isoformat()} * {_quote(entry.description)}\n")
        out.write(f"  entry: {_quote(entry.display_number)}\n")
        if entry.reverses_id:
            out.write(f"  reverses: {_quote(str(entry.reverses_id))}\n")
        if entry.source_type_id:
            out.write(f"  source: {_quote(source_ref(entry))}\n")
        for line in sorted(entry.lines.all(), key=lambda ln: ln.pk):
            out.write(f"  {names[line.account_id]}  {money_str(line.amount)} CAD\n")
            out.write(f"    activity: {_quote(line.activity.code)}\n")
            if line.memo:
                out.write(f"    memo: {_quote(line.memo)}\n")
        out.write("\n")
    # Balance assertions: beancount checks them at the start of their day.
    last = date_to or JournalEntry.objects.order_by("-date").values_list("date", flat=True).first()
    if last is not None and last < dt.date.max:
        closing = selectors.balances_by_account(as_of=last)
        check_day = (last + dt.timedelta(days=1)).isoformat()
        for account in accounts:
            amount = closing.get(account.pk, ZERO)
            out.write(f"{check_day} balance {names[account.pk]}  {money_str(amount)} CAD\n")
    return count


def trial_balance_rows(tb: selectors.TrialBalance) -> Iterable[list[str]]:
    yield ["account", "account_name", "type", "debit", "credit", "balance"]
    for row in tb.rows:
        yield [
            row.account.code,
            row.account.name,
            row.account.type,
            money_str(row.debit),
            money_str(row.credit),
            money_str(row.balance),
        ]
    yield ["", "", "", money_str(tb.total_debit), money_str(tb.total_credit), ""]
