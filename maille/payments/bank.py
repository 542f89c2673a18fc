"""Writes on bank lines: confirm a proposal, match by hand (split), mark as
something else, unmatch; reconcile a period and lock it.

Concurrency: each service locks the line's row and checks the version the
person saw (``expected_version``); two staff confirming the same proposal at
once queue on the lock, the second finds the line changed and is told
(``MatchConflict``, HTTP 409). ``BankLine.entry`` is unique too: one ledger
entry is never claimed by two lines.

A line dated on or before a reconciled period's end is locked: it can be
neither matched nor unmatched any more.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.clients.models import Client
from maille.core.audit import set_actor
from maille.core.models import User
from maille.core.money import ZERO
from maille.invoicing.models import Invoice
from maille.ledger.models import JournalEntry, JournalLine
from maille.ledger.selectors import balance
from maille.ledger.services import entry_reverse
from maille.payments import matching, postings, services
from maille.payments.exceptions import MatchConflict, PaymentRefused, PeriodReconciled
from maille.payments.matching import line_method
from maille.payments.member_shares import share_payment_handler
from maille.payments.models import (
    BankAccount,
    BankLine,
    ImportStatus,
    LineStatus,
    MatchKind,
    OtherKind,
    Payment,
    Reconciliation,
    StatementImport,
)
from maille.payments.selectors import locked_until
from maille.payments.services import AllocationSpec


def _lock(line: BankLine, expected_version: int | None) -> BankLine:
    locked = (
        BankLine.objects.select_for_update(of=("self",))
        .select_related("bank_account__ledger_account")
        .get(pk=line.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise MatchConflict(
            _("Someone else changed this bank line meanwhile: reload it and try again.")
        )
    until = locked_until(locked.bank_account)
    if until is not None and locked.date <= until:
        raise PeriodReconciled(
            _("This line is in a reconciled period (up to %(d)s): it is locked.")
            % {"d": until.isoformat()}
        )
    return locked


def _lock_unmatched(line: BankLine, expected_version: int | None) -> BankLine:
    """``_lock``, refused when the line is already matched or marked as something else."""
    locked = _lock(line, expected_version)
    if locked.status in (LineStatus.MATCHED, LineStatus.OTHER):
        raise MatchConflict(_("This bank line is already matched."))
    return locked


def _done(line: BankLine, acting_user: User, **fields: object) -> BankLine:
    for name, value in fields.items():
        setattr(line, name, value)
    line.matched_by, line.matched_at = acting_user, timezone.now()
    line.version += 1
    set_actor(line, acting_user)
    try:
        with transaction.atomic():
            line.save()
    except IntegrityError:
        raise MatchConflict(
            _("This ledger movement is already matched to another bank line.")
        ) from None
    return line


@transaction.atomic
def line_match_invoices(
    *,
    line: BankLine,
    client: Client,
    allocations: Sequence[AllocationSpec],
    acting_user: User,
    expected_version: int | None = None,
) -> BankLine:
    """Record the line as the client's payment, allocated (split) as given; the rest is credit."""
    line = _lock_unmatched(line, expected_version)
    if line.amount <= 0:
        raise PaymentRefused([_("Only a deposit can be a client's payment.")])
    payment = services.payment_record(
        bank_account=line.bank_account,
        client=client,
        date=line.date,
        amount=line.amount,
        method=line_method(line),
        acting_user=acting_user,
        allocations=allocations,
        payer_name=line.payer_name or client.legal_name,
        bank_reference=(line.reference or line.end_to_end_id)[:100],
        memo=(line.remittance or line.description)[:300],
    )
    entry = JournalEntry.objects.get(idempotency_key=postings.receipt_key(payment))
    return _done(
        line,
        acting_user,
        status=LineStatus.MATCHED,
        match_kind=MatchKind.INVOICES,
        payment=payment,
        entry=entry,
    )


@transaction.atomic
def line_confirm(*, line: BankLine, acting_user: User, expected_version: int | None) -> BankLine:
    """Accept the line's proposal as it stands."""
    line = _lock(line, expected_version)
    if line.status != LineStatus.SUGGESTED:
        raise MatchConflict(_("This bank line has no proposal any more: someone acted on it."))
    proposal = line.proposal or {}
    if proposal.get("other"):
        return _other(line, kind=proposal["other"], transfer_account=None, acting_user=acting_user)
    client = Client.objects.filter(pk=int(proposal.get("client") or 0)).first()
    if client is None:
        raise PaymentRefused([_("The proposal names no client.")])
    invoices = {
        i.pk: i
        for i in Invoice.objects.filter(pk__in=[r["invoice"] for r in proposal.get("invoices", [])])
    }
    specs = [
        AllocationSpec(invoices[r["invoice"]], Decimal(r["amount"]))
        for r in proposal.get("invoices", [])
        if r["invoice"] in invoices
    ]
    return line_match_invoices(line=line, client=client, allocations=specs, acting_user=acting_user)


@transaction.atomic
def line_match_payment(
    *, line: BankLine, payment: Payment, acting_user: User, expected_version: int | None = None
) -> BankLine:
    """The line is a payment already recorded by hand (a cheque deposit)."""
    line = _lock_unmatched(line, expected_version)
    if payment.is_reversed or payment.amount != line.amount:
        raise PaymentRefused([_("The payment's amount is not the line's, or it was reversed.")])
    entry = JournalEntry.objects.filter(idempotency_key=postings.receipt_key(payment)).first()
    if entry is None:
        raise PaymentRefused([_("The payment has no receipt in the ledger.")])
    return _done(
        line,
        acting_user,
        status=LineStatus.MATCHED,
        match_kind=MatchKind.EXPECTED,
        payment=payment,
        entry=entry,
    )


def _other(
    line: BankLine, *, kind: str, transfer_account: BankAccount | None, acting_user: User
) -> BankLine:
    if kind not in OtherKind.values:
        raise PaymentRefused([_("%(k)s is not a kind of bank line.") % {"k": kind}])
    if kind == OtherKind.TRANSFER and (
        transfer_account is None or transfer_account.pk == line.bank_account_id
    ):
        raise PaymentRefused([_("Name the co-op's other account of the transfer.")])
    # The key carries the line's version: marked again after an unmatch, a fresh entry.
    entry = postings.post_other(
        line,
        kind=kind,
        transfer_account=transfer_account.ledger_account.code if transfer_account else None,
        acting_user=acting_user,
    )
    return _done(
        line,
        acting_user,
        status=LineStatus.OTHER,
        match_kind=MatchKind.OTHER,
        other_kind=kind,
        entry=entry,
        reason=OtherKind(kind).label,
    )


@transaction.atomic
def line_mark_other(
    *,
    line: BankLine,
    kind: str,
    acting_user: User,
    transfer_account: BankAccount | None = None,
    expected_version: int | None = None,
) -> BankLine:
    """Bank fees, interest, a transfer between the co-op's accounts, a member's shares."""
    line = _lock_unmatched(line, expected_version)
    if kind == OtherKind.SHARES and share_payment_handler() is not None:
        raise PaymentRefused([_("member: name the member whose shares this deposit pays.")])
    return _other(line, kind=kind, transfer_account=transfer_account, acting_user=acting_user)


@transaction.atomic
def line_match_shares(
    *, line: BankLine, member_id: int, acting_user: User, expected_version: int | None = None
) -> BankLine:
    """The deposit pays a member's shares: the handler (governance) records the
    payment on their subscription, and the line is matched to its entry."""
    handler = share_payment_handler()
    if handler is None:
        raise PaymentRefused([_("Share payments are not handled here.")])
    line = _lock_unmatched(line, expected_version)
    if line.amount <= 0:
        raise PaymentRefused([_("Only a deposit can pay shares.")])
    entry = handler.payment_record(
        member_id=member_id,
        amount=line.amount,
        date=line.date,
        bank_account_code=line.bank_account.ledger_account.code,
        note=(line.payer_name or line.description)[:300],
        acting_user=acting_user,
    )
    return _done(
        line,
        acting_user,
        status=LineStatus.OTHER,
        match_kind=MatchKind.OTHER,
        other_kind=OtherKind.SHARES,
        entry=entry,
        reason=OtherKind.SHARES.label,
    )


@transaction.atomic
def line_unmatch(
    *, line: BankLine, acting_user: User, expected_version: int | None = None, reason: str = ""
) -> BankLine:
    """Undo a match: a payment made from the line is reversed, an entry posted for it
    reversed, an expected movement set free again. Nothing is deleted."""
    line = _lock(line, expected_version)
    if line.status not in (LineStatus.MATCHED, LineStatus.OTHER):
        raise MatchConflict(_("This bank line is not matched."))
    why = reason.strip() or _("Bank line unmatched")
    if line.match_kind == MatchKind.INVOICES and line.payment is not None:
        services.payment_reverse_in(
            payment=line.payment,
            date=max(line.date, timezone.localdate()),
            reason=why,
            acting_user=acting_user,
        )
    elif (
        line.match_kind == MatchKind.OTHER
        and line.other_kind == OtherKind.SHARES
        and line.entry is not None
        and line.entry.source_type is not None
        and line.entry.source_type.model_class() is not BankLine
        and (handler := share_payment_handler()) is not None
    ):
        handler.payment_undo(
            entry=line.entry,
            date=max(line.date, timezone.localdate()),
            reason=why,
            acting_user=acting_user,
        )
    elif line.match_kind == MatchKind.OTHER and line.entry is not None:
        entry_reverse(
            entry=line.entry,
            date=max(line.date, timezone.localdate()),
            acting_user=acting_user,
            reason=why,
        )
    line.status, line.match_kind, line.other_kind = LineStatus.UNMATCHED, "", ""
    line.entry, line.payment, line.proposal, line.reason = None, None, {}, ""
    line.version += 1
    set_actor(line, acting_user)
    line.save()
    return line


@transaction.atomic
def lines_confirm_many(
    *, lines: Sequence[tuple[BankLine, int]], acting_user: User
) -> tuple[int, list[str]]:
    """Confirm several proposals; returns how many, and why the others were not."""
    done = 0
    problems = []
    for line, version in lines:
        try:
            with transaction.atomic():
                line_confirm(line=line, acting_user=acting_user, expected_version=version)
            done += 1
        except (MatchConflict, PaymentRefused, PeriodReconciled) as exc:
            problems.append(f"{line}: {' '.join(getattr(exc, 'problems', [str(exc)]))}")
    return done, problems


def queue_rematch(
    *,
    account: BankAccount | None,
    acting_user: User | None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Match the queue again (unmatched and suggested lines, outside reconciled
    periods): an invoice issued, a cheque recorded or a pay run's file sent
    since the import may now explain a line. A line matched stays matched; a
    proposal no longer true is withdrawn. Running it twice changes nothing more.
    Returns the queue's lines by their new status."""
    accounts = [account] if account is not None else list(BankAccount.objects.order_by("pk"))
    counts: Counter[str] = Counter()
    for one in accounts:
        with transaction.atomic():
            # One matcher per account at a time (imports take the same lock).
            BankAccount.objects.select_for_update().get(pk=one.pk)
            queue = {LineStatus.UNMATCHED, LineStatus.SUGGESTED}
            lines = BankLine.objects.filter(bank_account=one, status__in=queue)
            if (until := locked_until(one)) is not None:
                lines = lines.filter(date__gt=until)
            counts += matching.decide_lines(
                lines, account=one, statuses=queue, acting_user=acting_user, progress=progress
            )
    return {
        status: counts.get(status, 0)
        for status in (LineStatus.MATCHED, LineStatus.SUGGESTED, LineStatus.UNMATCHED)
    } | {"lines": sum(counts.values())}


# --- Reconciliation -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatementBreak:
    """A statement whose opening balance is not what the lines before it add
    up to: lines are missing between it and the statement before (a statement
    not imported), or a line was imported twice."""

    statement: StatementImport
    lines_before: Decimal  # the account's opening balance and every line before
    difference: Decimal  # the statement's opening balance − lines_before


def statement_breaks(account: BankAccount, start: dt.date, to: dt.date) -> list[StatementBreak]:
    """The statements starting in ``start``–``to`` whose opening balance the
    account's opening balance and the lines dated before them do not give."""
    statements = list(
        StatementImport.objects.filter(
            bank_account=account,
            status=ImportStatus.DONE,
            opening_balance__isnull=False,
            period_start__range=(start, to),
        ).order_by("period_start", "pk")[:100]
    )
    if not statements:
        return []
    days = iter(
        BankLine.objects.filter(bank_account=account, date__lt=statements[-1].period_start)
        .values("date")
        .annotate(s=Sum("amount"))
        .order_by("date")
    )
    found, before, day = [], account.opening_balance, next(days, None)
    for statement in statements:
        first = statement.period_start or dt.date.min  # never None here (filtered)
        while day is not None and day["date"] < first:
            before += day["s"]
            day = next(days, None)
        opening = statement.opening_balance or ZERO  # never None here (filtered)
        if before != opening:
            found.append(StatementBreak(statement, before, opening - before))
    return found


@dataclass(frozen=True, slots=True)
class ReconciliationView:
    account: BankAccount
    start: dt.date
    to: dt.date
    bank_opening: Decimal
    bank_closing: Decimal
    ledger: Decimal
    unmatched: list[BankLine]
    not_in_bank: list[tuple[int, dt.date, Decimal, str]]  # entry id, date, amount, description
    statements_off: list[StatementImport]
    breaks: list[StatementBreak]

    @property
    def difference(self) -> Decimal:
        return self.bank_closing - self.ledger


def reconciliation_view(
    *, account: BankAccount, to: dt.date, closing_balance: Decimal | None = None
) -> ReconciliationView:
    """The bank's balance against the ledger's on ``to``, and what explains a difference."""
    since = locked_until(account)
    start = since + dt.timedelta(days=1) if since else dt.date.min
    lines = BankLine.objects.filter(bank_account=account)
    before = lines.filter(date__lt=start).aggregate(s=Sum("amount"))["s"] or ZERO
    upto = lines.filter(date__lte=to).aggregate(s=Sum("amount"))["s"] or ZERO
    bank_opening = account.opening_balance + before
    bank_closing = (
        closing_balance if closing_balance is not None else account.opening_balance + upto
    )
    code = account.ledger_account.code
    ledger = balance(account=code, as_of=to)
    unmatched = list(
        lines.filter(
            date__range=(start, to), status__in=[LineStatus.UNMATCHED, LineStatus.SUGGESTED]
        ).order_by("date", "pk")[:500]
    )
    claimed = BankLine.objects.filter(entry__isnull=False).values("entry_id")
    not_in_bank = [
        (r["entry_id"], r["date"], r["s"], r["entry__description"])
        for r in JournalLine.objects.filter(
            account_id=account.ledger_account_id, date__range=(start, to)
        )
        .exclude(entry_id__in=claimed)
        .values("entry_id", "date", "entry__description")
        .annotate(s=Sum("amount"))
        .order_by("date", "entry_id")[:500]
        if r["s"]
    ]
    statements_off = list(
        StatementImport.objects.filter(
            bank_account=account, period_end__gte=start, period_start__lte=to
        )
        .exclude(difference__isnull=True)
        .exclude(difference=0)
    )
    return ReconciliationView(
        account,
        start,
        to,
        bank_opening,
        bank_closing,
        ledger,
        unmatched,
        not_in_bank,
        statements_off,
        statement_breaks(account, start, to),
    )


@transaction.atomic
def reconcile(
    *,
    account: BankAccount,
    to: dt.date,
    acting_user: User | None,
    closing_balance: Decimal | None = None,
) -> Reconciliation:
    """Lock the period up to ``to`` once the bank and the ledger agree on it."""
    BankAccount.objects.select_for_update().get(pk=account.pk)
    view = reconciliation_view(account=account, to=to, closing_balance=closing_balance)
    problems = []
    if view.start != dt.date.min and to < view.start:
        problems.append(_("This period is already reconciled."))
    if view.difference:
        problems.append(
            _("The bank and the ledger differ by %(d)s on %(to)s: nothing is locked.")
            % {"d": view.difference, "to": to.isoformat()}
        )
    if problems:
        raise PaymentRefused(problems)
    return Reconciliation.objects.create(
        bank_account=account,
        period_start=view.start
        if view.start != dt.date.min
        else (
            BankLine.objects.filter(bank_account=account, date__lte=to)
            .order_by("date")
            .values_list("date", flat=True)
            .first()
            or to
        ),
        period_end=to,
        bank_opening=view.bank_opening,
        bank_closing=view.bank_closing,
        ledger_balance=view.ledger,
        reconciled_by=acting_user,
    )
