"""Importing a bank statement: nothing twice, nothing lost, all or nothing.

1. The file's SHA-256: a file already imported on this account is
   recognised, and reports every line as a duplicate.
2. ``parsers.parse`` reads the whole file first (format and encoding
   detected) and refuses it with every problem named by line; a file whose
   identifiers (institution, transit, account, currency) name another
   account is refused.
3. In one transaction, the account's row locked so that two imports of the
   same account queue: each line's key is (account, date, amount). The lines
   of one key are a multiset: a file repeats a day's identical amounts only
   up to the number already imported, the rest are new (two genuine
   identical deposits on one day are two lines; the same month exported as
   OFX then as CSV adds nothing). The description does not enter the key —
   OFX truncates ``NAME`` to 32 characters, a CSV joins the type and the
   counterparty — it only decides which of a day's identical amounts are the
   ones already there. ``(account, fingerprint, occurrence)`` is unique in
   the database, the last guard against a line entering twice. Either every
   new line is written or none is.
4. Matching (``matching.match_lines``) runs after, in chunks that commit
   their progress; matching again is harmless (a line matched stays matched).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from maille.core.models import User
from maille.core.money import ZERO
from maille.payments.exceptions import StatementRefused
from maille.payments.models import (
    BankAccount,
    BankLine,
    ImportStatus,
    LineStatus,
    StatementImport,
)
from maille.payments.parsers import Statement, Transaction, normalise, parse, refuse

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


def fingerprint(account: BankAccount, t: Transaction) -> str:
    key = f"{account.pk}|{t.date.isoformat()}|{t.amount:.2f}"
    return hashlib.sha256(key.encode()).hexdigest()


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
    from maille.payments.matching import match_lines

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
    keys = [fingerprint(account, t) for t in transactions]
    groups: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        groups[key].append(i)
    # What is already there, per key: its count and its descriptions.
    existing: dict[str, list[str]] = defaultdict(list)
    unique_keys = list(groups)
    for start in range(0, len(unique_keys), 5000):
        for key, description in BankLine.objects.filter(
            bank_account=account, fingerprint__in=unique_keys[start : start + 5000]
        ).values_list("fingerprint", "description"):
            existing[key].append(normalise(description))
    new_rows: list[tuple[int, int]] = []  # (transaction index, occurrence)
    for key, indexes in groups.items():
        have = existing.get(key, [])
        if len(indexes) <= len(have):
            continue
        # The lines whose description is already there are the duplicates first.
        left = list(have)
        fresh = []
        for i in indexes:
            words = normalise(transactions[i].description)
            if words in left:
                left.remove(words)
            else:
                fresh.append(i)
        others = [i for i in indexes if i not in fresh]
        todo = (fresh + others)[: len(indexes) - len(have)]
        new_rows += [(i, len(have) + n + 1) for n, i in enumerate(sorted(todo))]
    new_rows.sort()
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
    if not BankLine.objects.filter(bank_account=account).exists() and opening is not None:
        # The balance before the first line the co-op imports: the bank side
        # of every reconciliation starts from it.
        account.opening_balance = opening
        account.save(update_fields=["opening_balance"])
    rows = []
    for i, occurrence in new_rows:
        t = transactions[i]
        rows.append(
            BankLine(
                bank_account=account,
                statement=record,
                date=t.date,
                amount=t.amount,
                description=t.description[:500],
                payer_name=t.payer_name[:200],
                reference=t.reference[:100],
                end_to_end_id=t.end_to_end_id[:100],
                remittance=t.remittance[:500],
                fingerprint=keys[i],
                occurrence=occurrence,
            )
        )
    BankLine.objects.bulk_create(rows, batch_size=5000)
    return len(new_rows), len(transactions) - len(new_rows), record
