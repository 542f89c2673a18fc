"""Matching bank lines: the ledger's expected movements first, then invoices.

For each unmatched line of a statement, in this order:

1. **Expected movement**: an entry already posted on the account's ledger
   account for the same amount, dated from 10 days before the line to 3 days
   after, that no bank line claims yet and that is neither a reversal nor
   reversed — a cheque recorded by hand, a pay run's bank file, a
   remittance, a refund. The line is matched to it: nothing is received or
   paid twice.
2. **Certain invoice match** (credit lines): an invoice number in the
   description, reference or remittance information (``F-2026-000123``), of
   an invoice still owed; or the exact open amount of the one open invoice
   of the one client whose name is the payer's. A payment is recorded and
   allocated (``payments_record_many``), the line matched to its receipt.
3. **Proposal** with a reason: the payer is a client and the amount is the
   sum of several of its open invoices (one payment for several), or the
   payer (an Interac sender) is a client (oldest invoices first), or the
   amount is the open amount of exactly one invoice of any client; a debit
   described as a bank fee is proposed as one.
4. Otherwise the line waits in the queue.

Everything is read once into memory (open invoices by number, by amount,
by client; client names; the expected movements), so a statement of 100 000
lines is matched in a few queries per chunk.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.core.models import User
from maille.core.money import ZERO, round_half_up
from maille.invoicing.models import OPEN_STATUSES, Invoice, InvoiceKind, InvoiceStatus
from maille.ledger.models import JournalEntry, JournalLine
from maille.payments.models import (
    BankAccount,
    BankLine,
    LineStatus,
    MatchKind,
    OtherKind,
    PaymentMethod,
    StatementImport,
)
from maille.payments.services import PaymentSpec, payments_record_many

CHUNK = 5000
EXPECTED_BEFORE = dt.timedelta(days=10)
EXPECTED_AFTER = dt.timedelta(days=3)
INVOICE_NUMBER = re.compile(r"\b(F|INT)[\s-]?(\d{4})[\s-]?(\d{1,6})\b", re.IGNORECASE)
LEGAL_WORDS = {
    "INC", "INCORPOREE", "LTD", "LTEE", "LIMITED", "LIMITEE", "SENC", "SENCRL", "ENR",
    "CIE", "CO", "CORP", "CORPORATION", "LLC", "SA", "SARL", "THE", "LA", "LE", "LES",
}  # fmt: skip
FEES = re.compile(r"\b(FRAIS|FEES?|SERVICE CHARGE|CHARGES? BANCAIRES?)\b", re.IGNORECASE)
NAME_KEY = 20


def name_key(text: str) -> str:
    """A company or person's name, comparable: upper case, no accents, no legal words."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()
    words = [w for w in re.findall(r"[A-Z0-9]+", plain) if w not in LEGAL_WORDS]
    return " ".join(words)


def invoice_numbers(*texts: str) -> list[str]:
    found = []
    for text in texts:
        for series, year, seq in INVOICE_NUMBER.findall(text or ""):
            number = f"{series.upper()}-{year}-{int(seq):06d}"
            if number not in found:
                found.append(number)
    return found


@dataclass(slots=True)
class OpenInvoice:
    pk: int
    number: str
    client_id: int
    owed: Decimal
    due: dt.date | None


@dataclass(slots=True)
class Book:
    """What matching reads, loaded once per statement."""

    by_number: dict[str, OpenInvoice] = field(default_factory=dict)
    by_client: dict[int, list[OpenInvoice]] = field(default_factory=dict)
    by_amount: dict[Decimal, list[OpenInvoice]] = field(default_factory=dict)
    clients_by_name: dict[str, set[int]] = field(default_factory=dict)
    clients_by_prefix: dict[str, set[int]] = field(default_factory=dict)
    expected: dict[Decimal, list[tuple[dt.date, int]]] = field(default_factory=dict)


def _open_invoices(book: Book) -> None:
    """The open invoices, indexed by number, client and amount, and their
    clients' names (read with the invoices: one query)."""
    credited = dict(
        Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE, corrects__status__in=OPEN_STATUSES)
        .exclude(status=InvoiceStatus.DRAFT)
        .values("corrects_id")
        .annotate(s=Sum("total"))
        .values_list("corrects_id", "s")
    )
    rows = (
        Invoice.objects.filter(
            kind=InvoiceKind.INVOICE, status__in=OPEN_STATUSES, client__isnull=False
        )
        .annotate(unpaid=F("total") - F("amount_paid") - F("amount_written_off"))
        .values_list("pk", "number", "client_id", "unpaid", "due_date", "client__legal_name")
    )
    names: dict[int, str] = {}
    for pk, number, client_id, unpaid, due, name in rows.iterator(chunk_size=20000):
        # Back to the cent: SQLite computes the difference as a float.
        owed = round_half_up(unpaid - credited.get(pk, ZERO))
        if owed <= 0:
            continue
        inv = OpenInvoice(pk, number or "", client_id, owed, due)
        book.by_number[inv.number] = inv
        book.by_client.setdefault(client_id, []).append(inv)
        book.by_amount.setdefault(owed, []).append(inv)
        names[client_id] = name
    for invoices in book.by_client.values():
        invoices.sort(key=lambda i: (i.due or dt.date.min, i.pk))
    for pk, legal_name in names.items():
        key = name_key(legal_name)
        if key:
            book.clients_by_name.setdefault(key, set()).add(pk)
            book.clients_by_prefix.setdefault(key[:NAME_KEY], set()).add(pk)


def load_book(account: BankAccount, days: tuple[dt.date, dt.date] | None) -> Book:
    """The open invoices and, for lines dated within ``days`` on ``account``, the
    movements its ledger account expects."""
    book = Book()
    _open_invoices(book)
    if days is not None:
        first, last = days[0] - EXPECTED_BEFORE, days[1] + EXPECTED_AFTER
        claimed = BankLine.objects.filter(entry__isnull=False)
        movements = (
            JournalLine.objects.filter(
                account_id=account.ledger_account_id, date__range=(first, last)
            )
            .exclude(entry__in=claimed.filter(entry__date__range=(first, last)).values("entry_id"))
            # A reversal goes through the bank only when what it reverses did
            # (a cheque deposited, then returned NSF); a posting reversed before
            # the bank saw it, and that reversal, are not the bank's.
            .exclude(
                Q(entry__reverses__isnull=False)
                & ~Q(entry__reverses__in=claimed.values("entry_id"))
            )
            .exclude(entry__reversed_by__isnull=False)
            .values("entry_id", "date")
            .annotate(s=Sum("amount"))
            .order_by("date", "entry_id")
        )
        for row in movements:
            if row["s"]:
                book.expected.setdefault(Decimal(row["s"]), []).append(
                    (row["date"], row["entry_id"])
                )
    return book


def clients_named(book: Book, payer: str) -> set[int]:
    key = name_key(payer)
    if not key:
        return set()
    if key in book.clients_by_name:
        return book.clients_by_name[key]
    if len(key) >= NAME_KEY:  # OFX truncates NAME: compare the start
        return book.clients_by_prefix.get(key[:NAME_KEY], set())
    return set()


@dataclass(slots=True)
class Decision:
    status: str
    reason: str = ""
    entry_id: int | None = None
    client_id: int | None = None
    allocations: list[tuple[OpenInvoice, Decimal]] = field(default_factory=list)
    other: str = ""

    def proposal(self) -> dict[str, Any]:
        if self.other:
            return {"other": self.other}
        if not self.allocations:
            return {}
        return {
            "client": self.client_id,
            "invoices": [{"invoice": inv.pk, "amount": str(a)} for inv, a in self.allocations],
        }


def _oldest_first(
    invoices: Iterable[OpenInvoice], amount: Decimal
) -> list[tuple[OpenInvoice, Decimal]]:
    out = []
    left = amount
    for inv in invoices:
        if left <= 0:
            break
        if inv.owed <= 0:
            continue
        part = min(left, inv.owed)
        out.append((inv, part))
        left -= part
    return out


def decide(line: BankLine, book: Book) -> Decision:
    """What to do with one line (see the module docstring). Updates ``book`` for what it takes."""
    # 1. A movement the ledger already expects.
    candidates = book.expected.get(line.amount, [])
    best = None
    for n, (day, entry_id) in enumerate(candidates):
        if line.date - EXPECTED_BEFORE <= day <= line.date + EXPECTED_AFTER:
            distance = abs((day - line.date).days)
            if best is None or distance < best[0]:
                best = (distance, n, entry_id)
    if best is not None:
        candidates.pop(best[1])
        return Decision(LineStatus.MATCHED, _("The movement the ledger expected."), best[2])
    if line.amount < 0:
        if FEES.search(line.description):
            return Decision(
                LineStatus.SUGGESTED, _("Described as bank fees."), other=OtherKind.BANK_FEES
            )
        return Decision(LineStatus.UNMATCHED)
    # 2. Certain: an invoice number in the text.
    numbers = [
        n for n in invoice_numbers(line.remittance, line.description, line.reference)
        if n in book.by_number and book.by_number[n].owed > 0
    ]  # fmt: skip
    if numbers:
        invoices = [book.by_number[n] for n in numbers]
        clients = {i.client_id for i in invoices}
        if len(clients) == 1:
            allocations = _oldest_first(invoices, line.amount)
            return Decision(
                LineStatus.MATCHED,
                _("Invoice number %(n)s in the payment's text.") % {"n": ", ".join(numbers)},
                client_id=clients.pop(),
                allocations=allocations,
            )
    named = clients_named(book, line.payer_name or line.description)
    if len(named) == 1:
        client_id = next(iter(named))
        open_ = [i for i in book.by_client.get(client_id, []) if i.owed > 0]
        exact = [i for i in open_ if i.owed == line.amount]
        if len(exact) == 1:
            return Decision(
                LineStatus.MATCHED,
                _("The payer is the client and the amount is what the invoice still owes."),
                client_id=client_id,
                allocations=[(exact[0], line.amount)],
            )
        # 3. Proposals.
        if open_:
            running = ZERO
            for k, inv in enumerate(open_, start=1):
                running += inv.owed
                if running == line.amount and k > 1:
                    return Decision(
                        LineStatus.SUGGESTED,
                        _("One payment for %(k)s invoices of the client: their sum is the amount.")
                        % {"k": k},
                        client_id=client_id,
                        allocations=[(i, i.owed) for i in open_[:k]],
                    )
            return Decision(
                LineStatus.SUGGESTED,
                _("The payer (%(payer)s) is a client: oldest invoices first.")
                % {"payer": line.payer_name or line.description[:40]},
                client_id=client_id,
                allocations=_oldest_first(open_, line.amount),
            )
    same = [i for i in book.by_amount.get(line.amount, []) if i.owed == line.amount]
    if len(same) == 1:
        inv = same[0]
        return Decision(
            LineStatus.SUGGESTED,
            _("The amount is what invoice %(n)s still owes.") % {"n": inv.number},
            client_id=inv.client_id,
            allocations=[(inv, line.amount)],
        )
    return Decision(LineStatus.UNMATCHED)


def match_lines(
    *,
    statement: StatementImport,
    acting_user: User | None,
    progress: Callable[[int, int], None] | None = None,
) -> Counter[str]:
    """Match the statement's lines still unmatched; returns the count of its lines by status."""

    def report(done: int, total: int) -> None:
        StatementImport.objects.filter(pk=statement.pk).update(done=done, total=total)
        if progress is not None:
            progress(done, total)

    decide_lines(
        BankLine.objects.filter(statement=statement, status=LineStatus.UNMATCHED),
        account=statement.bank_account,
        statuses={LineStatus.UNMATCHED},
        acting_user=acting_user,
        progress=report,
    )
    return Counter(
        dict(
            BankLine.objects.filter(statement=statement)
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
    )


def decide_lines(
    lines: QuerySet[BankLine],
    *,
    account: BankAccount,
    statuses: Collection[str],
    acting_user: User | None,
    progress: Callable[[int, int], None] | None = None,
) -> Counter[str]:
    """Decide each line of ``lines`` (all on ``account``, each in one of
    ``statuses``, which ``lines`` filters on; ``decide``) and write
    what changed, chunk by chunk: the payments of certain matches, the lines'
    status, proposal and version, and a history row per line changed (the
    audit trail names ``acting_user``; none is the matcher run by the CLI or a
    task). Lines are read a chunk at a time, in date order, so that a statement
    of 100 000 lines is never in memory whole. Returns the lines by new status."""
    ordered = lines.order_by("date", "pk")
    todo = list(ordered.values_list("pk", flat=True))
    total = len(todo)
    counts: Counter[str] = Counter()
    if not total:
        return counts
    days = ordered.aggregate(first=Min("date"), last=Max("date"))
    book = load_book(account, (days["first"], days["last"]))
    for start in range(0, total, CHUNK):
        ids = todo[start : start + CHUNK]
        with transaction.atomic():
            # Locked and read again by key: a line whose status moved since it
            # was listed (staff matched it by hand, another matcher decided it)
            # drops out. By key alone: the lines were just written, and a plan
            # from the statement's stale statistics scanned them all per chunk.
            locked = BankLine.objects.filter(pk__any=ids).select_for_update(of=("self",))
            chunk = [line for line in locked.order_by("date", "pk") if line.status in statuses]
            decisions = []
            for line in chunk:
                line.bank_account = account
                d = decide(line, book)
                # What a certain match settles is off the book for the next line.
                for inv, amount in d.allocations if d.status == LineStatus.MATCHED else []:
                    inv.owed -= amount
                decisions.append((line, d))
            to_pay = [
                (line, d)
                for line, d in decisions
                if d.status == LineStatus.MATCHED and d.entry_id is None
            ]
            payments = payments_record_many(
                specs=[
                    PaymentSpec(
                        bank_account=account,
                        client_id=d.client_id,
                        date=line.date,
                        amount=line.amount,
                        method=line_method(line),
                        payer_name=line.payer_name,
                        bank_reference=(line.reference or line.end_to_end_id)[:100],
                        memo=(line.remittance or line.description)[:300],
                        allocations=[(inv.pk, amount) for inv, amount in d.allocations],
                    )
                    for line, d in to_pay
                ],
                acting_user=acting_user,
            )
            receipts = {line.pk: paid for (line, _d), paid in zip(to_pay, payments, strict=True)}
            now = timezone.now()
            changed = []
            expected_payments = _payments_of(
                [d.entry_id for _line, d in decisions if d.entry_id is not None]
            )
            for line, d in decisions:
                counts[d.status] += 1
                proposal = d.proposal() if d.status == LineStatus.SUGGESTED else {}
                if (line.status, line.proposal or {}) == (d.status, proposal):
                    continue  # the same as before (a queue matched again)
                line.status, line.reason, line.version = d.status, d.reason[:300], line.version + 1
                line.proposal = proposal
                if d.status == LineStatus.MATCHED:
                    line.matched_at = now
                    line.matched_by_id = acting_user.pk if acting_user else None
                    if d.entry_id is not None:
                        line.entry_id, line.match_kind = d.entry_id, MatchKind.EXPECTED
                        line.payment_id = expected_payments.get(d.entry_id)
                    else:
                        payment, entry_id = receipts[line.pk]
                        line.payment_id, line.entry_id = payment.pk, entry_id
                        line.match_kind = MatchKind.INVOICES
                changed.append(line)
            _save_decisions(changed)
            _history(changed, acting_user, now)
        if progress is not None:
            progress(min(start + CHUNK, total), total)
    return counts


def _history(lines: list[BankLine], acting_user: User | None, now: dt.datetime) -> None:
    """A history row per line the matcher changed, as simple-history writes for a save.

    On PostgreSQL one INSERT … SELECT copies the rows just updated (building
    the historical objects in Python cost more than the matching itself)."""
    if not lines:
        return
    reason = _("Matched automatically")
    if connection.vendor != "postgresql":
        BankLine.history.bulk_history_create(
            lines,
            update=True,
            default_user=acting_user,
            default_change_reason=reason,
            default_date=now,
        )
        return
    columns = ", ".join(str(f.column) for f in BankLine._meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BankLine.history.model._meta.db_table} "  # noqa: S608
            f"({columns}, history_date, history_change_reason, history_type, history_user_id) "
            f"SELECT {columns}, %s, %s, '~', %s FROM {BankLine._meta.db_table} "
            "WHERE id = ANY(%s::bigint[])",
            [now, reason, acting_user.pk if acting_user else None, [line.pk for line in lines]],
        )


def _save_decisions(lines: list[BankLine]) -> None:
    """Write the lines' new status, reason, match and proposal: on PostgreSQL one
    UPDATE from arrays (its rows found by their key), elsewhere one UPDATE per
    line sent as a batch (``bulk_update``'s CASE expressions grow with the
    square of the batch)."""
    if not lines:
        return
    table = BankLine._meta.db_table
    columns = [
        (line.status, line.reason, line.version, line.matched_at, line.matched_by_id,
         line.entry_id, line.payment_id, line.match_kind, json.dumps(line.proposal), line.pk)
        for line in lines
    ]  # fmt: skip
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ids = [row[-1] for row in columns]
            arrays = [list(values) for values in zip(*columns, strict=True)]
            cursor.execute(
                f"UPDATE {table} AS b SET status = u.status, reason = u.reason, "  # noqa: S608
                "version = u.version, matched_at = u.matched_at, "
                "matched_by_id = u.matched_by_id, entry_id = u.entry_id, "
                "payment_id = u.payment_id, match_kind = u.match_kind, "
                "proposal = u.proposal::jsonb "
                "FROM unnest(%s::text[], %s::text[], %s::int[], %s::timestamptz[], "
                "%s::bigint[], %s::bigint[], %s::bigint[], %s::text[], %s::text[], "
                "%s::bigint[]) AS u(status, reason, version, matched_at, matched_by_id, "
                "entry_id, payment_id, match_kind, proposal, id) "
                "WHERE b.id = u.id AND b.id = ANY(%s::bigint[])",
                [*arrays, ids],
            )
            return
        cursor.executemany(
            f"UPDATE {table} SET status = %s, reason = %s, version = %s, "  # noqa: S608
            "matched_at = %s, matched_by_id = %s, entry_id = %s, payment_id = %s, "
            "match_kind = %s, proposal = %s WHERE id = %s",
            columns,
        )


def _payments_of(entry_ids: list[int]) -> dict[int, int]:
    """The payment each of these entries was posted for (a cheque recorded by
    hand), by entry id; entries of anything else are absent. One query."""
    if not entry_ids:
        return {}
    rows = JournalEntry.objects.filter(
        pk__any=entry_ids,
        source_type__app_label="payments",
        source_type__model="payment",
        source_id__isnull=False,
    ).values_list("pk", "source_id")
    return {pk: source_id for pk, source_id in rows if source_id is not None}


def line_method(line: BankLine) -> str:
    text = f"{line.description} {line.remittance}".upper()
    if "INTERAC" in text or "E-TRANSFER" in text or "VIREMENT INTERAC" in text:
        return PaymentMethod.INTERAC
    if "CHEQUE" in text or "CHÈQUE" in text or "CHQ" in text:
        return PaymentMethod.CHEQUE
    return PaymentMethod.TRANSFER


def queue_filter(search: str) -> Q:
    return (
        Q(description__icontains=search)
        | Q(payer_name__icontains=search)
        | Q(reference__icontains=search)
        | Q(remittance__icontains=search)
    )
