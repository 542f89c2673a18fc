"""Importing a bank statement: nothing twice, nothing lost, all or nothing.

1. The file's SHA-256: a file already imported on this account is
   recognised, and reports every line as a duplicate.
2. ``parsers.parse`` reads the whole file first (format and encoding
   detected) and refuses it with every problem named by line; a file whose
   identifiers (institution, transit, account, currency) name another
   account is refused.
3. In one transaction, the account's row locked so that two imports of the
   same account queue, each line gets the issue's fingerprint: account,
   date, amount, bank reference (FITID, AcctSvcrRef, cheque number) and
   normalised description (``parsers.normalise``: upper case, no accents,
   its words sorted). Lines are counted as a multiset:

   - **same fingerprint**: a file repeats a fingerprint only up to the number
     of lines already imported with it — two genuine identical deposits on
     one day are two lines (occurrences 1 and 2), a later file with three
     adds one;
   - **same transaction, another format**: what is left is compared with the
     lines of the same day and amount not yet paired, each pairing at most
     once. They are the same transaction when their references agree (or one
     side has none, or they come from different formats, whose references are
     different namespaces) and the words of one description are among the
     other's (an OFX ``NAME`` cut at 32 characters, a CSV's ``Type
     /Counterparty``, a word cut short counts as its start). The same month
     exported as OFX then as CSV adds nothing; a deposit of the same amount
     from another payer the same day is new.

   ``(account, fingerprint, occurrence)`` is unique in the database, the last
   guard against a line entering twice. Either every new line is written or
   none is.
4. Matching (``matching.match_lines``) runs after, in chunks that commit
   their progress; matching again is harmless (a line matched stays matched).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from maille.core.models import User
from maille.core.money import ZERO, format_money_active
from maille.payments.exceptions import StatementRefused
from maille.payments.matching import match_lines
from maille.payments.models import (
    BankAccount,
    BankLine,
    ImportStatus,
    LineStatus,
    StatementImport,
)
from maille.payments.parsers import Problems, Statement, Transaction, normalise, parse, refuse
from maille.payments.selectors import locked_until

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ImportResult:
    statement: StatementImport | None
    lines: int
    new: int
    duplicates: int
    matched: int
    suggested: int
    unmatched: int

    def as_dict(self) -> dict[str, int]:
        return {
            "lines": self.lines,
            "new": self.new,
            "duplicates": self.duplicates,
            "matched": self.matched,
            "suggested": self.suggested,
            "unmatched": self.unmatched,
        }


def fingerprint(account_id: int, t: Transaction) -> str:
    """Account, date, amount, bank reference (or FITID), normalised description."""
    key = "|".join(
        (
            str(account_id),
            t.date.isoformat(),
            f"{t.amount:.2f}",
            t.reference[:100].strip(),
            normalise(t.description[:500]),
        )
    )
    return hashlib.sha256(key.encode()).hexdigest()


FAMILIES = {"qfx": "ofx"}


def same_words(a: str, b: str) -> bool:
    """The words of one normalised description are among the other's (a cut word
    counts as its start); an empty description agrees with any."""
    small, big = sorted((set(a.split()), set(b.split())), key=len)
    return all(w in big or any(x.startswith(w) for x in big) for w in small)


@dataclass(slots=True)
class _Seen:
    """A line already imported, as the duplicate check compares it."""

    fingerprint: str
    reference: str
    words: str
    family: str
    paired: bool = False


def same_transaction(t: Transaction, family: str, seen: _Seen) -> bool:
    reference = t.reference[:100].strip()
    if reference and seen.reference and family == seen.family and reference != seen.reference:
        return False
    return same_words(normalise(t.description[:500]), seen.words)


def identifier_problems(account: BankAccount, statement: Statement) -> list[str]:
    """The file names another account (identifiers it does not give are not checked)."""
    wrong = _("This file is for account %(file)s, not for %(account)s.")
    given = "-".join(p for p in (statement.institution, statement.transit, statement.account) if p)
    ours = f"{account.institution}-{account.transit}-{account.number}"
    problems = []
    other_bank = statement.institution and statement.institution != account.institution
    other_transit = statement.transit and not statement.transit.endswith(
        account.transit.lstrip("0")
    )
    if other_bank or other_transit:
        problems.append(wrong % {"file": given, "account": ours})
    elif statement.account:
        number = account.number
        head = statement.account[: -len(number)] if statement.account.endswith(number) else None
        allowed = {"", account.transit, account.institution + account.transit}
        allowed |= {"0" + account.institution + account.transit}
        if head is None or head.lstrip("0") not in {a.lstrip("0") for a in allowed}:
            problems.append(wrong % {"file": given, "account": ours})
    if statement.currency and statement.currency != account.currency:
        problems.append(
            _("This file is in %(file)s, the account in %(account)s.")
            % {"file": statement.currency, "account": account.currency}
        )
    return problems


def _recognised(account: BankAccount, sha: str) -> ImportResult | None:
    done = StatementImport.objects.filter(
        bank_account=account, sha256=sha, status=ImportStatus.DONE
    ).first()
    if done is None:
        return None
    return ImportResult(done, done.lines, 0, done.lines, 0, 0, 0)


def statement_import(
    *,
    bank_account: BankAccount,
    data: bytes,
    filename: str,
    acting_user: User | None,
    fmt: str = "auto",
    progress: Progress | None = None,
    record: StatementImport | None = None,
) -> ImportResult:
    """Import a statement file and match its new lines. Raises ``StatementRefused``."""
    sha = hashlib.sha256(data).hexdigest()
    if (seen := _recognised(bank_account, sha)) is not None:
        if record is not None:
            # Not an error (nothing is lost), but this upload imports nothing.
            StatementImport.objects.filter(pk=record.pk).update(
                status=ImportStatus.FAILED,
                lines=seen.lines,
                duplicates=seen.lines,
                problems=[_("This file was already imported: nothing new in it.")],
            )
        return seen
    try:
        statement = parse(data, fmt=fmt, filename=filename, mapping=bank_account.csv_mapping)
        problems = identifier_problems(bank_account, statement)
        if problems:
            raise StatementRefused(problems)
        new, duplicates, record = _write(
            bank_account, statement, sha, filename, acting_user, record
        )
    except StatementRefused as exc:
        if record is not None:
            StatementImport.objects.filter(pk=record.pk).update(
                status=ImportStatus.FAILED, problems=exc.problems
            )
        raise
    counts = match_lines(statement=record, acting_user=acting_user, progress=progress)
    StatementImport.objects.filter(pk=record.pk).update(
        matched=counts[LineStatus.MATCHED],
        suggested=counts[LineStatus.SUGGESTED],
        unmatched=counts[LineStatus.UNMATCHED] + counts[LineStatus.OTHER],
    )
    record.refresh_from_db()
    return ImportResult(
        record,
        len(statement.transactions),
        new,
        duplicates,
        counts[LineStatus.MATCHED],
        counts[LineStatus.SUGGESTED],
        counts[LineStatus.UNMATCHED] + counts[LineStatus.OTHER],
    )


def _write(
    account: BankAccount,
    statement: Statement,
    sha: str,
    filename: str,
    acting_user: User | None,
    record: StatementImport | None,
) -> tuple[int, int, StatementImport]:
    try:
        with transaction.atomic():
            return _write_locked(account, statement, sha, filename, acting_user, record)
    except IntegrityError:
        # Another import of the same file or lines committed first (the
        # database's unique rules caught it): nothing of ours was written.
        raise refuse(
            _("Another import of this account finished first: import the file again.")
        ) from None


def _new_lines(
    account: BankAccount, statement: Statement, keys: list[str]
) -> list[tuple[int, int]]:
    """(transaction index, occurrence) of the file's lines not imported yet (module docstring)."""
    transactions = statement.transactions
    if not transactions:
        return []
    family = FAMILIES.get(statement.format, statement.format)
    groups: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        groups[key].append(i)
    # 1. The same fingerprint: the lines already there pair first (one
    # indexed query per 5 000 fingerprints: a file imported again is
    # settled here).
    count: Counter[str] = Counter()
    unique = list(groups)
    for start in range(0, len(unique), 5000):
        count.update(
            BankLine.objects.filter(
                bank_account=account, fingerprint__in=unique[start : start + 5000]
            ).values_list("fingerprint", flat=True)
        )
    left = [i for key, indexes in groups.items() for i in indexes[count.get(key, 0) :]]
    if not left:
        return []
    # What is already there on the days and amounts of the lines left, in
    # import order, less the lines paired by their fingerprint.
    pairs = {(transactions[i].date, transactions[i].amount) for i in left}
    taken = {key: min(count[key], len(groups[key])) for key in groups if count.get(key)}
    seen: dict[tuple[dt.date, Decimal], list[_Seen]] = defaultdict(list)
    rows = (
        BankLine.objects.filter(bank_account=account, date__in={day for day, _a in pairs})
        .order_by("pk")
        .values_list(
            "fingerprint", "date", "amount", "reference", "description", "statement__format"
        )
    )
    for key, day, amount, reference, description, fmt in rows.iterator(chunk_size=20000):
        if (day, amount) not in pairs:
            continue
        if taken.get(key):
            taken[key] -= 1
            continue
        seen[(day, amount)].append(
            _Seen(key, reference.strip(), normalise(description), FAMILIES.get(fmt, fmt))
        )
    # 2. The same transaction brought by another format (or cut otherwise).
    new: dict[str, list[int]] = defaultdict(list)
    for i in sorted(left):
        t = transactions[i]
        match = next(
            (
                r
                for r in seen[(t.date, t.amount)]
                if not r.paired and same_transaction(t, family, r)
            ),
            None,
        )
        if match is not None:
            match.paired = True
        else:
            new[keys[i]].append(i)
    out = [
        (i, count.get(key, 0) + n)
        for key, indexes in new.items()
        for n, i in enumerate(indexes, start=1)
    ]
    return sorted(out)


_LINE_COLUMNS = (
    "bank_account_id",
    "statement_id",
    "date",
    "amount",
    "description",
    "payer_name",
    "reference",
    "end_to_end_id",
    "remittance",
    "fingerprint",
    "occurrence",
)


def _insert_lines(rows: Sequence[tuple[object, ...]]) -> None:
    """The new lines, with COPY on PostgreSQL (``bulk_create`` prepares every
    value of every field in Python: most of an import's time)."""
    if connection.vendor != "postgresql":
        BankLine.objects.bulk_create(
            [BankLine(**dict(zip(_LINE_COLUMNS, row, strict=True))) for row in rows],
            batch_size=5000,
        )
        return
    defaults = {
        "status": LineStatus.UNMATCHED,
        "other_kind": "",
        "match_kind": "",
        "proposal": "{}",
        "reason": "",
        "version": 0,
    }
    columns = (*_LINE_COLUMNS, *defaults)
    tail = tuple(defaults.values())
    with connection.cursor() as cursor:
        copy_sql = f"COPY {BankLine._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row((*row, *tail))


def _write_locked(
    account: BankAccount,
    statement: Statement,
    sha: str,
    filename: str,
    acting_user: User | None,
    record: StatementImport | None,
) -> tuple[int, int, StatementImport]:
    account = BankAccount.objects.select_for_update().get(pk=account.pk)
    if _recognised(account, sha) is not None:
        raise refuse(_("This file was already imported."))
    transactions = statement.transactions
    keys = [fingerprint(account.pk, t) for t in transactions]
    new_rows = _new_lines(account, statement, keys)
    new_rows.sort()
    until = locked_until(account)
    if until is not None:
        # The bank's statement of a reconciled period agreed with the ledger:
        # a new movement in it means the file (or the bank) says otherwise.
        problems = Problems()
        for i, _occurrence in new_rows:
            if transactions[i].date <= until:
                problems.add(
                    transactions[i].line_no,
                    _(
                        "this %(amount)s movement of %(day)s is not in the statement "
                        "reconciled up to %(until)s: that period is locked."
                    )
                    % {
                        "amount": format_money_active(transactions[i].amount),
                        "day": transactions[i].date.isoformat(),
                        "until": until.isoformat(),
                    },
                )
        problems.raise_if_any()
    moved = sum((t.amount for t in transactions), ZERO)
    opening = statement.opening_balance
    if opening is None and statement.closing_balance is not None:
        opening = statement.closing_balance - moved
    if record is None:
        record = StatementImport(bank_account=account, imported_by=acting_user)
    record.filename = filename[:255]
    record.sha256 = sha
    record.format = statement.format
    record.encoding = statement.encoding
    record.status = ImportStatus.DONE
    record.total = len(transactions)
    record.lines = len(transactions)
    record.new = len(new_rows)
    record.duplicates = len(transactions) - len(new_rows)
    record.period_start = statement.start or min((t.date for t in transactions), default=None)
    record.period_end = statement.end or max((t.date for t in transactions), default=None)
    record.opening_balance = opening
    record.closing_balance = statement.closing_balance
    if opening is not None and statement.closing_balance is not None:
        record.difference = opening + moved - statement.closing_balance
    record.save()
    first_day = min((t.date for t in transactions), default=None)
    if (
        opening is not None
        and new_rows
        and until is None
        and not BankLine.objects.filter(bank_account=account, date__lt=first_day).exists()
    ):
        # The balance before the account's first line: the bank side of every
        # reconciliation starts from it. A statement older than every line
        # imported so far (last month's, imported after this month's) moves it.
        account.opening_balance = opening
        account.save(update_fields=["opening_balance"])
    rows = [
        (
            account.pk,
            record.pk,
            transactions[i].date,
            transactions[i].amount,
            transactions[i].description[:500],
            transactions[i].payer_name[:200],
            transactions[i].reference[:100],
            transactions[i].end_to_end_id[:100],
            transactions[i].remittance[:500],
            keys[i],
            occurrence,
        )
        for i, occurrence in new_rows
    ]
    _insert_lines(rows)
    return len(new_rows), len(transactions) - len(new_rows), record
