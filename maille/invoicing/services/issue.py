"""Issuing: one draft or many, in one transaction each (a batch: a hundred at a time).

``invoice_issue`` does the whole issue in one transaction — lock the draft,
check everything (every problem reported at once), number it, compute and
store its taxes, snapshot what is printed, post it to the ledger — so a
failure leaves nothing half-written, and two people issuing the same draft at
once get one invoice and one clear refusal. Locks are taken in one order
everywhere (drafts by id, then the series' counter, then the ledger's)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.contracts.coop import Coop, coop, coop_registration_problems
from maille.contracts.models import QuoteStatus
from maille.contracts.services import client_tax_problems
from maille.core.audit import set_actor
from maille.core.db import ConcurrentChange, run_retrying_once
from maille.core.models import User
from maille.core.money import ZERO
from maille.core.validators import clean_gst_number, clean_qst_number
from maille.documents import links
from maille.documents.numbering import format_number, next_number
from maille.invoicing import hooks, postings, settlement
from maille.invoicing.exceptions import (
    InvoiceAlreadyIssued,
    InvoiceConflict,
    InvoiceNotIssuable,
    InvoicingError,
)
from maille.invoicing.models import (
    SERIES,
    ContributionPolicy,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    InvoiceTax,
    InvoicingSettings,
    QuoteMode,
)
from maille.invoicing.selectors import credited_by_line, latest_issue_date, quote_invoiced
from maille.invoicing.services.credit_notes import _credit_note_amounts
from maille.invoicing.services.drafts import compute_taxes
from maille.ledger.exceptions import PostingError
from maille.ledger.models import Period
from maille.ledger.selectors import period_is_closed
from maille.members.models import ActivityKind
from maille.taxes import sales as taxes


def series_of(invoice: Invoice) -> str:
    return SERIES["internal"] if invoice.is_internal else SERIES[invoice.kind]


@dataclass
class IssueContext:
    """What the issues of one transaction look up once and share (a batch).

    The latest issued date of each series moves as the batch issues, so the
    date order of the series holds inside the batch too.
    """

    policies: dict[dt.date, ContributionPolicy | None] = field(default_factory=dict)
    backdating: dict[dt.date, int] = field(default_factory=dict)
    closed: dict[dt.date, bool] = field(default_factory=dict)
    latest: dict[str, dt.date | None] = field(default_factory=dict)
    tax_results: dict[int, taxes.TaxResult] = field(default_factory=dict)
    identity: Coop | None = None

    def coop(self) -> Coop:
        """The co-op's identity, built once for the checks and the snapshot."""
        if self.identity is None:
            self.identity = coop()
        return self.identity

    def policy(self, on: dt.date) -> ContributionPolicy | None:
        if on not in self.policies:
            self.policies[on] = ContributionPolicy.on(on)
        return self.policies[on]

    def max_backdating_days(self, today: dt.date) -> int:
        if today not in self.backdating:
            self.backdating[today] = InvoicingSettings.on(today).max_backdating_days
        return self.backdating[today]

    def is_closed(self, on: dt.date) -> bool:
        month = on.replace(day=1)
        if month not in self.closed:
            self.closed[month] = period_is_closed(day=month)
        return self.closed[month]

    def latest_issued(self, series: str) -> dt.date | None:
        if series not in self.latest:
            self.latest[series] = latest_issue_date(series=series)
        return self.latest[series]

    @staticmethod
    def window(on: dt.date) -> dict[str, Any]:
        """Annotations that read the date window's facts with the draft's own
        lock query (one round trip instead of three per issue)."""

        def latest(series: str) -> Subquery:
            return Subquery(
                Invoice.objects.filter(series=series, year__isnull=False)
                .order_by("-year", "-sequence")
                .values("issue_date")[:1]
            )

        return {
            "window_latest": Case(
                When(buyer_activity__isnull=False, then=latest(SERIES["internal"])),
                When(kind=InvoiceKind.CREDIT_NOTE, then=latest(SERIES["credit_note"])),
                default=latest(SERIES["invoice"]),
            ),
            "window_closed": Exists(Period.objects.filter(month=on.replace(day=1), is_closed=True)),
            "window_days": Coalesce(
                Subquery(
                    InvoicingSettings.objects.filter(valid_from__lte=timezone.localdate())
                    .order_by("-valid_from")
                    .values("max_backdating_days")[:1]
                ),
                Value(InvoicingSettings.DEFAULT_MAX_BACKDATING_DAYS),
            ),
        }

    def learn(self, invoice: Invoice, on: dt.date) -> None:
        """Keep what ``window`` read (this transaction's own issues included)."""
        self.backdating.setdefault(timezone.localdate(), invoice.window_days)  # type: ignore[attr-defined]
        self.closed.setdefault(on.replace(day=1), bool(invoice.window_closed))  # type: ignore[attr-defined]
        self.latest.setdefault(series_of(invoice), invoice.window_latest)  # type: ignore[attr-defined]

    def issued(self, series: str, on: dt.date) -> None:
        latest = self.latest.get(series)
        self.latest[series] = on if latest is None else max(latest, on)


def issue_date_problems(
    invoice: Invoice, *, on: dt.date, context: IssueContext | None = None
) -> list[str]:
    """The issue date's window (ISSUE 8 finding 10), the same for every entrance.

    Never after today; at most the co-op's ``max_backdating_days`` before it;
    never in a closed month (the ledger would refuse the entry); never before
    the latest issued date of the series, so numbers follow dates.
    """
    context = context or IssueContext()
    today = timezone.localdate()
    if on > today:
        return [_("An invoice cannot be dated in the future.")]
    problems = []
    days = context.max_backdating_days(today)
    if (today - on).days > days:
        problems.append(
            _("An invoice cannot be dated more than %(n)s days before today.") % {"n": days}
        )
    if context.is_closed(on):
        problems.append(
            _("The period %(month)s is closed: date the invoice in an open month.")
            % {"month": on.strftime("%Y-%m")}
        )
    latest = context.latest_issued(series_of(invoice))
    if latest is not None and on < latest:
        problems.append(
            _(
                "The latest invoice of this series is dated %(d)s: "
                "date this one on that day or after."
            )
            % {"d": latest.isoformat()}
        )
    return problems


def invoice_issue_problems(
    invoice: Invoice,
    *,
    on: dt.date | None = None,
    policy: Any = "look up",
    context: IssueContext | None = None,
) -> list[str]:
    """Everything that stops this draft from being issued, all at once."""
    on = on or timezone.localdate()
    problems: list[str] = []
    lines = list(invoice.lines.all())
    if not lines:
        problems.append(_("The invoice has no line."))
    subtotal = sum((line.amount for line in lines), ZERO)
    if lines and subtotal <= 0:
        problems.append(_("The invoice totals zero: there is nothing to invoice."))
    problems += issue_date_problems(invoice, on=on, context=context)
    if on <= timezone.localdate() and not invoice.is_credit_note and lines:
        try:
            result = compute_taxes(invoice, on=on)
            if context is not None:  # the issue uses it: taxes are computed once
                context.tax_results[invoice.pk] = result
        except taxes.TaxError:
            problems.append(_("No sales tax rate is known for %(d)s.") % {"d": on.isoformat()})
    problems += coop_registration_problems(context.coop() if context else None)
    if not invoice.activity.is_open:
        problems.append(_("The activity %(a)s is closed.") % {"a": invoice.activity.code})
    if invoice.is_internal:
        if not (invoice.buyer_activity is not None):
            raise RuntimeError("broken invariant: invoice.buyer_activity is not None")
        if not invoice.buyer_activity.is_open:
            problems.append(
                _("The buying activity %(a)s is closed.") % {"a": invoice.buyer_activity.code}
            )
        elif invoice.buyer_activity.kind != ActivityKind.MEMBER:
            problems.append(_("Only an open activity of a member can be invoiced."))
    else:
        client = invoice.client
        if not (client is not None):
            raise RuntimeError("broken invariant: client is not None")
        problems += client_tax_problems(client)
        if client.is_abroad and not invoice.abroad_decision and not invoice.is_credit_note:
            problems.append(
                _(
                    "The client is outside Canada: staff must decide whether the "
                    "invoice is zero-rated before it is issued."
                )
            )
        for label, value, cleaner in (
            (_("The client's GST/HST number"), client.gst_number, clean_gst_number),
            (_("The client's QST number"), client.qst_number, clean_qst_number),
        ):
            if value:
                try:
                    cleaner(value)
                except ValidationError as exc:
                    problems.append(f"{label}: {' '.join(exc.messages)}")
        if policy == "look up":
            policy = (context or IssueContext()).policy(on)
        if policy is None and invoice.activity.kind == ActivityKind.MEMBER:
            problems.append(
                _("No mutualized contribution policy is in force on %(d)s.") % {"d": on.isoformat()}
            )
    quote = invoice.quote
    if quote is not None and not invoice.is_credit_note:
        if invoice.quote_mode == QuoteMode.FINAL:
            if quote.status != QuoteStatus.CANCELLED:
                problems.append(_("A final invoice needs a contract the client cancelled."))
        else:
            if quote.status != QuoteStatus.ACCEPTED:
                problems.append(_("The quote %(q)s is not accepted.") % {"q": quote.number})
            if quote_invoiced(quote, exclude=invoice) + subtotal > quote.subtotal:
                problems.append(
                    _("This would invoice more than the quote %(q)s.") % {"q": quote.number}
                )
    if invoice.is_credit_note:
        original = invoice.corrects
        if not (original is not None):
            raise RuntimeError("broken invariant: original is not None")
        already = credited_by_line(original)
        if any(already.get(line.pk, ZERO) > line.amount for line in original.lines.all()):
            problems.append(
                _("This would credit more than the invoice %(n)s.") % {"n": original.number}
            )
    return problems


def invoice_issue(
    *, invoice: Invoice, acting_user: User, issue_date: dt.date | None = None
) -> Invoice:
    """Number, tax, snapshot and post a draft, in one transaction. Staff only.

    Locks are taken in one order everywhere (the invoice, then the series'
    counter, then the ledger's); a transaction the database still aborts as
    a deadlock is retried once, and a second loss is an ``InvoiceConflict``.
    """
    if not acting_user.is_staff:
        raise PermissionError
    try:
        return run_retrying_once(lambda: _issue_and_post(invoice.pk, acting_user, issue_date))
    except ConcurrentChange as exc:
        raise InvoiceConflict(str(exc)) from exc


def _issue_and_post(pk: int, acting_user: User, issue_date: dt.date | None) -> Invoice:
    issued, tax_rows = _issue(pk, acting_user, issue_date, IssueContext())
    try:
        postings.post_invoice(issued, acting_user, taxes=tax_rows)
    except PostingError as exc:  # e.g. its month was closed since the checks: in words
        raise InvoiceNotIssuable(exc.problems) from exc
    hooks.issued([issued], acting_user)
    return issued


def _issue(
    pk: int, acting_user: User, issue_date: dt.date | None, context: IssueContext
) -> tuple[Invoice, list[InvoiceTax]]:
    """Everything of an issue but the postings; the caller's transaction holds it."""
    if not acting_user.is_staff:
        raise PermissionError
    # The row lock makes a second, simultaneous issue of the same draft wait,
    # then see it issued and refuse.
    # The quote and the corrected invoice are not joined here: most invoices
    # have neither (a null key costs no query when read), and joining them
    # (the quote row carries its frozen PDF) made this query 2.5 times slower.
    # The date window's facts come with the same query (see IssueContext.window).
    on = issue_date or timezone.localdate()
    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("activity", "client", "buyer_activity")
        .annotate(**IssueContext.window(on))
        .prefetch_related("lines")
        .get(pk=pk)
    )
    if not invoice.is_draft:
        raise InvoiceAlreadyIssued(_("Invoice %(n)s is already issued.") % {"n": invoice.number})
    context.learn(invoice, on)
    policy = context.policy(on)
    problems = invoice_issue_problems(invoice, on=on, policy=policy, context=context)
    if problems:
        raise InvoiceNotIssuable(problems)

    result: tuple[list[InvoiceTax], Decimal, Decimal, Decimal, taxes.TaxResult | None]
    if invoice.is_credit_note:
        result = _credit_note_amounts(invoice, on)
    else:
        result = _invoice_amounts(invoice, on, policy, context)
    tax_rows, invoice.subtotal, invoice.contribution, invoice.fund_share, tax_result = result
    invoice.tax_total = sum((t.amount for t in tax_rows), ZERO)
    invoice.total = invoice.subtotal + invoice.tax_total
    if tax_result is not None:
        invoice.place_of_supply, invoice.regime = tax_result.place, tax_result.regime

    series = series_of(invoice)
    n = next_number(series, on.year)
    if n > 1 and on < timezone.localdate():
        # A back-dated issue checked the series' latest date before it queued
        # on the counter; the number before ours may have been taken since.
        before = (
            Invoice.objects.filter(series=series, year=on.year, sequence=n - 1)
            .values_list("issue_date", flat=True)
            .first()
        )
        if before is not None and before > on:
            raise InvoiceNotIssuable(issue_date_problems(invoice, on=on))
    context.issued(series, on)
    invoice.series, invoice.year, invoice.sequence = series, on.year, n
    invoice.number = format_number(series, on.year, n)
    invoice.issue_date = on
    invoice.due_date = on + dt.timedelta(days=invoice.payment_term_days)
    invoice.status = InvoiceStatus.ISSUED
    invoice.issued_by, invoice.issued_at = acting_user, timezone.now()
    invoice.link_nonce = links.new_nonce()
    invoice.has_accepted_quote = bool(
        invoice.quote_id
        and invoice.quote is not None
        and invoice.quote.status in (QuoteStatus.ACCEPTED, QuoteStatus.CANCELLED)
        and hasattr(invoice.quote, "decision")
    )
    _snapshot(invoice, context.coop())
    set_actor(invoice, acting_user)
    invoice.save()
    for row in tax_rows:
        row.invoice = invoice
    InvoiceTax.objects.bulk_create(tax_rows)
    if invoice.is_credit_note and invoice.corrects_id is not None:
        # A credit note lowers what the client owes: the invoice's status follows.
        settlement.invoice_settlement_refresh(
            invoice_id=invoice.corrects_id, acting_user=acting_user
        )
    return invoice, tax_rows


def _invoice_amounts(
    invoice: Invoice, on: dt.date, policy: ContributionPolicy | None, context: IssueContext
) -> tuple[list[InvoiceTax], Decimal, Decimal, Decimal, taxes.TaxResult]:
    result = context.tax_results.pop(invoice.pk, None) or compute_taxes(invoice, on=on)
    rows = [InvoiceTax.of(t) for t in result.taxes]
    contribution = fund = ZERO
    if not invoice.is_internal and invoice.activity.kind == ActivityKind.MEMBER:
        if not (policy is not None):
            raise RuntimeError("broken invariant: policy is not None")
        contribution, fund = policy.contribution_on(result.subtotal)
    return rows, result.subtotal, contribution, fund, result


def _snapshot(invoice: Invoice, info: Coop) -> None:
    invoice.seller_gst, invoice.seller_qst = info.gst_number, info.qst_number
    if invoice.is_internal:
        if not (invoice.buyer_activity is not None):
            raise RuntimeError("broken invariant: invoice.buyer_activity is not None")
        invoice.buyer_name = str(invoice.buyer_activity)[:200]
        invoice.buyer_address = info.address[:400]
        invoice.buyer_country = "CA"
        return
    client = invoice.client
    if not (client is not None):
        raise RuntimeError("broken invariant: client is not None")
    invoice.buyer_name = client.legal_name
    parts = [client.street, client.city, client.province, client.postal_code]
    address = ", ".join(p for p in parts if p)
    invoice.buyer_address = (address + (f", {client.country}" if client.is_abroad else ""))[:400]
    invoice.buyer_country = client.country
    invoice.buyer_gst, invoice.buyer_qst = client.gst_number, client.qst_number


def invoice_issue_many(
    *, invoices: Iterable[Invoice], acting_user: User, chunk: int = 100
) -> tuple[list[Invoice], dict[int, list[str]]]:
    """Issue many drafts: ``chunk`` to a transaction, their postings in one ledger call.

    A draft that cannot be issued is reported (with every problem) and skipped
    before anything of it is written; the others of its chunk go on. Numbers
    stay gapless: they are taken in the chunk's transaction, in the order given.
    A chunk that fails as a whole (a lost race, a ledger refusal) is issued
    again one draft at a time, so each draft gets its own answer.
    """
    if not acting_user.is_staff:
        raise PermissionError
    todo = list(invoices)
    issued: list[Invoice] = []
    failed: dict[int, list[str]] = {}
    for start in range(0, len(todo), chunk):
        batch = todo[start : start + chunk]
        try:
            done, refused = run_retrying_once(partial(_issue_chunk, batch, acting_user))
        except Exception:
            for invoice in batch:
                try:
                    issued.append(invoice_issue(invoice=invoice, acting_user=acting_user))
                except InvoiceNotIssuable as exc:
                    failed[invoice.pk] = exc.problems
                except InvoicingError as exc:
                    failed[invoice.pk] = [str(exc)]
        else:
            issued += done
            failed.update(refused)
    return issued, failed


def _issue_chunk(
    batch: list[Invoice], acting_user: User
) -> tuple[list[Invoice], dict[int, list[str]]]:
    # Lock the whole chunk first, by id — the order single issues lock in —
    # before the first number is taken: a batch and single issues of the same
    # drafts then queue on the drafts, never on the counter (ISSUE 8, finding 5).
    list(
        Invoice.objects.select_for_update(of=("self",))
        .filter(pk__in=[invoice.pk for invoice in batch])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    context = IssueContext()
    done: list[tuple[Invoice, list[InvoiceTax]]] = []
    failed: dict[int, list[str]] = {}
    for invoice in batch:
        try:
            done.append(_issue(invoice.pk, acting_user, None, context))
        except InvoiceNotIssuable as exc:
            failed[invoice.pk] = exc.problems
        except InvoicingError as exc:
            failed[invoice.pk] = [str(exc)]
    postings.post_many(done, acting_user)
    hooks.issued([invoice for invoice, _taxes in done], acting_user)
    return [invoice for invoice, _taxes in done], failed
