"""Writes for invoices and credit notes. Views, API, CLI and tasks call these.

Members draft; staff issue. ``invoice_issue`` does the whole issue in one
transaction — lock the draft, check everything (every problem reported at
once), number it, compute and store its taxes, snapshot what is printed,
post it to the ledger — so a failure leaves nothing half-written, and two
people issuing the same draft at once get one invoice and one clear refusal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Exists, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maille.clients.models import Client
from maille.contracts.coop import coop, coop_registration_problems
from maille.contracts.lines import clean_lines
from maille.contracts.models import Quote, QuoteMilestone, QuoteStatus, Unit
from maille.contracts.services import client_tax_problems, quote_cancel
from maille.core.audit import set_actor
from maille.core.db import ConcurrentChange, run_retrying_once
from maille.core.exceptions import DomainError
from maille.core.models import User
from maille.core.money import ZERO, round_half_up
from maille.core.validators import clean_gst_number, clean_qst_number
from maille.documents import links, marks
from maille.documents.exceptions import LinkInvalid
from maille.documents.numbering import format_number, next_number
from maille.documents.sending import send_after_commit
from maille.invoicing import postings, selectors, settlement
from maille.invoicing.models import (
    SERIES,
    ContributionPolicy,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    InvoiceTax,
    InvoicingSettings,
    QuoteMode,
)
from maille.ledger.exceptions import PostingError
from maille.ledger.models import Period
from maille.ledger.selectors import period_is_closed
from maille.members.models import Activity, ActivityKind, Member
from maille.taxes import sales as taxes

INVOICE_FIELDS = (
    "title",
    "client_reference",
    "notes",
    "payment_term_days",
    "late_interest_rate",
    "abroad_decision",
    "language",
)
LINE_FIELDS = (
    "description",
    "quantity",
    "unit",
    "unit_price",
    "amount",
    "tax_treatment",
    "treatment_reason",
)


class InvoicingError(DomainError):
    """An invoicing operation that cannot be done, with a message for the person."""


class InvoiceNotEditable(InvoicingError):
    pass


class InvoiceAlreadyIssued(InvoicingError):
    pass


class InvoiceConflict(InvoicingError):
    """A simultaneous change won the race; trying again may work (HTTP 409)."""


class InvoiceNotIssuable(InvoicingError):
    http_status = 422

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


# ---------------------------------------------------------------- drafts


def _check_member(activity: Activity, acting_user: User) -> Member | None:
    """The member who does the work; members may only draft for their own activities."""
    owners = list(activity.owners.select_related("user"))
    if not acting_user.is_staff and acting_user.pk not in {m.user_id for m in owners}:
        raise PermissionError
    if not activity.is_open:
        raise InvoicingError(_("This activity is closed."))
    mine = next((m for m in owners if m.user_id == acting_user.pk), None)
    return mine or (owners[0] if owners else None)


def _write_lines(invoice: Invoice, lines: list[dict[str, Any]]) -> None:
    invoice.lines.all().delete()
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                invoice=invoice,
                position=i,
                credited_line=line.get("credited_line"),
                **{k: line[k] for k in LINE_FIELDS},
            )
            for i, line in enumerate(lines)
        ]
    )
    _refresh_preview(invoice)


def _refresh_preview(invoice: Invoice) -> None:
    """Keep a draft's totals current (for lists); issue recomputes them for good."""
    try:
        result = compute_taxes(invoice, on=invoice.issue_date or timezone.localdate())
    except taxes.TaxError:
        return
    invoice.subtotal, invoice.tax_total, invoice.total = (
        result.subtotal,
        result.tax_total,
        result.total,
    )
    invoice.place_of_supply, invoice.regime = result.place, result.regime
    invoice.save(update_fields=["subtotal", "tax_total", "total", "place_of_supply", "regime"])


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(INVOICE_FIELDS)
    if unknown:
        raise TypeError(f"unknown invoice fields: {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    term = fields.get("payment_term_days")
    if term is not None and not (0 <= int(term) <= 120):
        errors["payment_term_days"] = [_("The payment term must be between 0 and 120 days.")]
    rate = fields.get("late_interest_rate")
    if rate is not None and not (Decimal(0) <= Decimal(rate) <= Decimal(60)):
        errors["late_interest_rate"] = [_("The late interest must be between 0 and 60 % a year.")]
    if fields.get("abroad_decision") not in (None, *taxes.AbroadDecision):
        errors["abroad_decision"] = [_("Not one of the allowed values.")]
    if fields.get("language") not in (None, "fr", "en"):
        errors["language"] = [_("Not one of the allowed values.")]
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def invoice_create(
    *,
    activity: Activity,
    client: Client,
    acting_user: User,
    lines: list[dict[str, Any]],
    quote: Quote | None = None,
    quote_mode: str = QuoteMode.NONE,
    **fields: Any,
) -> Invoice:
    """A draft invoice to a client (directly: marked as having no accepted quote)."""
    member = _check_member(activity, acting_user)
    problems = client_tax_problems(client)
    if problems:
        raise ValidationError({"client": problems})
    fields = _clean_fields(fields)
    cleaned = clean_lines(lines)
    fields.setdefault("language", client.language)
    fields.setdefault("payment_term_days", settings.MAILLE_DEFAULT_PAYMENT_TERM_DAYS)
    fields.setdefault("late_interest_rate", Decimal(settings.MAILLE_DEFAULT_LATE_INTEREST_RATE))
    invoice = Invoice(
        kind=InvoiceKind.INVOICE,
        activity=activity,
        member=member,
        client=client,
        quote=quote,
        quote_mode=quote_mode,
        created_by=acting_user,
        **fields,
    )
    set_actor(invoice, acting_user)
    invoice.save()
    _write_lines(invoice, cleaned)
    return invoice


def quote_invoiced(quote: Quote, exclude: Invoice | None = None) -> Decimal:
    """Subtotal already invoiced from a quote (drafts included), net of credit notes."""
    invoices = Invoice.objects.filter(quote=quote, kind=InvoiceKind.INVOICE)
    if exclude is not None:
        invoices = invoices.exclude(pk=exclude.pk)
    invoiced = invoices.aggregate(s=Sum("subtotal"))["s"] or ZERO
    credited = (
        Invoice.objects.filter(corrects__quote=quote, kind=InvoiceKind.CREDIT_NOTE)
        .exclude(status=InvoiceStatus.DRAFT)
        .aggregate(s=Sum("subtotal"))["s"]
        or ZERO
    )
    return Decimal(invoiced) - Decimal(credited)


def _share_lines(quote: Quote, fraction: Decimal, label: str) -> list[dict[str, Any]]:
    """One line per tax treatment for a share of the quote (deposit, milestone, balance)."""
    groups: dict[tuple[str, str], Decimal] = {}
    for line in quote.lines.all():
        key = (line.tax_treatment, line.treatment_reason)
        groups[key] = groups.get(key, ZERO) + line.amount
    result = []
    for (treatment, reason), amount in groups.items():
        share = round_half_up(amount * fraction)
        if share > 0:
            result.append(
                {
                    "description": f"{label} — {quote.number} {quote.title}"[:300],
                    "quantity": "1",
                    "unit": Unit.FLAT,
                    "unit_price": str(share),
                    "tax_treatment": treatment,
                    "treatment_reason": reason,
                }
            )
    return result


def invoice_create_from_quote(
    *,
    quote: Quote,
    acting_user: User,
    mode: str = QuoteMode.WHOLE,
    percent: Decimal | None = None,
    milestone: QuoteMilestone | None = None,
    **fields: Any,
) -> Invoice:
    """A draft invoice from an accepted quote: whole, a deposit %, a milestone or the balance.

    The quote row is locked until commit, so what is already invoiced from it
    is read after any simultaneous request for the same quote has finished:
    a double submit of "the whole quote" makes one draft and one refusal.
    """
    with transaction.atomic():
        return _create_from_quote(
            quote=quote,
            acting_user=acting_user,
            mode=mode,
            percent=percent,
            milestone=milestone,
            fields=fields,
        )


def _create_from_quote(
    *,
    quote: Quote,
    acting_user: User,
    mode: str,
    percent: Decimal | None,
    milestone: QuoteMilestone | None,
    fields: dict[str, Any],
) -> Invoice:
    quote = (
        Quote.objects.select_for_update(of=("self",))
        .select_related("activity", "client")
        .get(pk=quote.pk)
    )
    if quote.status != QuoteStatus.ACCEPTED:
        raise InvoicingError(_("Only an accepted quote can be invoiced."))
    subtotal = quote.subtotal
    done = quote_invoiced(quote)
    with translation.override(quote.language):  # lines read in the document's language
        if mode == QuoteMode.WHOLE:
            if done:
                raise InvoicingError(
                    _("Part of this quote is already invoiced: invoice the balance instead.")
                )
            lines = [
                {
                    f: getattr(line, f)
                    for f in (
                        "description",
                        "quantity",
                        "unit",
                        "unit_price",
                        "tax_treatment",
                        "treatment_reason",
                    )
                }
                for line in quote.lines.all()
            ]
        elif mode == QuoteMode.DEPOSIT:
            if percent is None or not (Decimal(0) < Decimal(percent) <= Decimal(100)):
                raise ValidationError({"percent": [_("Give a deposit between 0 and 100 %.")]})
            lines = _share_lines(
                quote,
                Decimal(percent) / 100,
                _("Deposit of %(p)s %%") % {"p": format(Decimal(percent).normalize(), "f")},
            )
        elif mode == QuoteMode.MILESTONE:
            if milestone is None or milestone.quote_id != quote.pk:
                raise ValidationError({"milestone": [_("Choose a milestone of this quote.")]})
            lines = _share_lines(quote, milestone.percent / 100, milestone.label)
        elif mode == QuoteMode.BALANCE:
            remaining = subtotal - done
            if remaining <= 0:
                raise InvoicingError(_("This quote is already fully invoiced."))
            lines = _share_lines(quote, remaining / subtotal, _("Balance"))
        else:
            raise ValidationError({"mode": [_("Not one of the allowed values.")]})
    fields.setdefault("payment_term_days", quote.payment_term_days)
    fields.setdefault("late_interest_rate", quote.late_interest_rate)
    fields.setdefault("language", quote.language)
    fields.setdefault("title", quote.title)
    return invoice_create(
        activity=quote.activity,
        client=quote.client,
        acting_user=acting_user,
        lines=lines,
        quote=quote,
        quote_mode=mode,
        **fields,
    )


def invoice_create_final(
    *,
    quote: Quote,
    acting_user: User,
    work_done: list[dict[str, Any]],
    costs: list[dict[str, Any]] | None = None,
    cancelled_on: dt.date | None = None,
    reason: str = "",
) -> Invoice:
    """The client cancelled (CCQ art. 2125): the final invoice of the work done and costs incurred.

    Records the cancellation on the quote if staff have not done so yet; the
    amounts already invoiced from the quote stay as they are.
    """
    with transaction.atomic():
        quote = Quote.objects.select_related("activity", "client").get(pk=quote.pk)
        if quote.status == QuoteStatus.ACCEPTED:
            quote = quote_cancel(
                quote=quote,
                acting_user=acting_user,
                cancelled_on=cancelled_on or timezone.localdate(),
                reason=reason,
            )
        if quote.status != QuoteStatus.CANCELLED:
            raise InvoicingError(
                _("Only an accepted contract the client cancelled has a final invoice.")
            )
        with translation.override(quote.language):
            lines = list(work_done) + [
                {**c, "description": _("Costs incurred: %(d)s") % {"d": c.get("description", "")}}
                for c in (costs or [])
            ]
        return invoice_create(
            activity=quote.activity,
            client=quote.client,
            acting_user=acting_user,
            lines=lines,
            quote=quote,
            quote_mode=QuoteMode.FINAL,
            title=quote.title,
            payment_term_days=quote.payment_term_days,
            late_interest_rate=quote.late_interest_rate,
            language=quote.language,
        )


@transaction.atomic
def invoice_create_internal(
    *,
    activity: Activity,
    buyer_activity: Activity,
    acting_user: User,
    lines: list[dict[str, Any]],
    **fields: Any,
) -> Invoice:
    """Work between two activities of the co-op: no sales tax, no contribution."""
    member = _check_member(activity, acting_user)
    if buyer_activity.pk == activity.pk:
        raise ValidationError({"buyer_activity": [_("An activity cannot invoice itself.")]})
    if not selectors.internal_buyers().filter(pk=buyer_activity.pk).exists():
        raise ValidationError(
            {"buyer_activity": [_("Only an open activity of a member can be invoiced.")]}
        )
    cleaned = clean_lines(lines)
    for line in cleaned:
        line["tax_treatment"], line["treatment_reason"] = taxes.Treatment.STANDARD, ""
    invoice = Invoice(
        kind=InvoiceKind.INVOICE,
        activity=activity,
        member=member,
        buyer_activity=buyer_activity,
        created_by=acting_user,
        **_clean_fields(fields),
    )
    set_actor(invoice, acting_user)
    invoice.save()
    _write_lines(invoice, cleaned)
    return invoice


def _lock(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_for_update().get(pk=invoice.pk)


@transaction.atomic
def invoice_update(
    *,
    invoice: Invoice,
    acting_user: User,
    lines: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Invoice:
    invoice = _lock(invoice)
    if not invoice.is_draft:
        raise InvoiceNotEditable(
            _("Invoice %(n)s is issued: it never changes. Make a credit note to correct it.")
            % {"n": invoice.number}
        )
    _check_member(invoice.activity, acting_user)
    if invoice.is_credit_note and lines is not None:
        raise InvoiceNotEditable(_("Make a new credit note rather than change its lines."))
    if "abroad_decision" in fields and not acting_user.is_staff:
        raise PermissionError
    fields = _clean_fields(fields)
    cleaned = clean_lines(lines) if lines is not None else None
    for name, value in fields.items():
        setattr(invoice, name, value)
    set_actor(invoice, acting_user)
    invoice.save()
    if cleaned is not None:
        _write_lines(invoice, cleaned)
    else:
        _refresh_preview(invoice)
    return invoice


@transaction.atomic
def invoice_discard(*, invoice: Invoice, acting_user: User) -> None:
    """Delete a draft: its author or staff (an issued invoice is never deleted)."""
    invoice = _lock(invoice)
    if not invoice.is_draft:
        raise InvoiceNotEditable(_("An issued invoice is never deleted."))
    if not (acting_user.is_staff or invoice.created_by_id == acting_user.pk):
        raise PermissionError
    set_actor(invoice, acting_user)
    invoice.delete()


def credited_by_line(invoice: Invoice) -> dict[int, Decimal]:
    """Amount already credited per line of an invoice (issued or draft credit notes)."""
    rows = (
        InvoiceLine.objects.filter(credited_line__invoice=invoice)
        .values("credited_line")
        .annotate(s=Sum("amount"))
    )
    return {int(r["credited_line"] or 0): Decimal(r["s"]) for r in rows}


@transaction.atomic
def credit_note_create(
    *,
    invoice: Invoice,
    acting_user: User,
    reason: str,
    amounts: dict[int, Decimal] | None = None,
) -> Invoice:
    """A draft credit note: the whole invoice, or ``amounts`` per invoice line id."""
    if not acting_user.is_staff:
        raise PermissionError
    invoice = _lock(invoice)
    if invoice.is_draft or invoice.is_credit_note:
        raise InvoicingError(_("Only an issued invoice can be credited."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the invoice is credited.")]})
    already = credited_by_line(invoice)
    lines = []
    errors: dict[str, list[str]] = {}
    for line in invoice.lines.all():
        remaining = line.amount - already.get(line.pk, ZERO)
        wanted = remaining if amounts is None else Decimal(amounts.get(line.pk, ZERO))
        if wanted < 0 or wanted > remaining or wanted != round_half_up(wanted):
            errors[f"lines.{line.pk}"] = [
                _("At most %(n)s can still be credited on this line.") % {"n": remaining}
            ]
            continue
        if wanted:
            lines.append(
                {
                    "description": line.description,
                    "quantity": Decimal(1),
                    "unit": Unit.FLAT,
                    "unit_price": wanted,
                    "amount": wanted,
                    "tax_treatment": line.tax_treatment,
                    "treatment_reason": line.treatment_reason,
                    "credited_line": line,
                }
            )
    if amounts and set(amounts) - {line.pk for line in invoice.lines.all()}:
        errors["lines"] = [_("Only lines of this invoice can be credited.")]
    if errors:
        raise ValidationError(errors)
    if not lines:
        raise InvoicingError(_("Nothing is left to credit on this invoice."))
    note = Invoice(
        kind=InvoiceKind.CREDIT_NOTE,
        corrects=invoice,
        reason=reason.strip()[:300],
        activity=invoice.activity,
        member=invoice.member,
        client=invoice.client,
        buyer_activity=invoice.buyer_activity,
        quote=invoice.quote,
        language=invoice.language,
        title=invoice.title,
        abroad_decision=invoice.abroad_decision,
        payment_term_days=0,
        created_by=acting_user,
    )
    set_actor(note, acting_user)
    note.save()
    _write_lines(note, lines)
    return note


# ---------------------------------------------------------------- taxes


def compute_taxes(invoice: Invoice, *, on: dt.date) -> taxes.TaxResult:
    lines = [
        taxes.TaxLine(line.amount, taxes.Treatment(line.tax_treatment))
        for line in invoice.lines.all()
    ]
    if invoice.is_internal:
        return taxes.compute(lines=lines, on=on, internal=True)
    client = invoice.client
    if not (client is not None):
        raise RuntimeError("broken invariant: client is not None")
    return taxes.compute(
        lines=lines,
        on=on,
        country=client.country,
        province=client.province,
        abroad=invoice.abroad_decision,
        home_province=settings.MAILLE_COOP_PROVINCE,
    )


def tax_preview(
    *,
    client: Client | None,
    lines: list[dict[str, Any]],
    on: dt.date | None = None,
    abroad_decision: str = "",
    internal: bool = False,
) -> taxes.TaxResult:
    """The taxes a draft would carry, with no side effect."""
    cleaned = clean_lines(lines)
    tax_lines = [
        taxes.TaxLine(line["amount"], taxes.Treatment(line["tax_treatment"])) for line in cleaned
    ]
    on = on or timezone.localdate()
    if internal or client is None:
        return taxes.compute(lines=tax_lines, on=on, internal=True)
    problems = client_tax_problems(client)
    if problems:
        raise ValidationError({"client": problems})
    return taxes.compute(
        lines=tax_lines,
        on=on,
        country=client.country,
        province=client.province,
        abroad=abroad_decision,
        home_province=settings.MAILLE_COOP_PROVINCE,
    )


# ---------------------------------------------------------------- issue


def _credited_totals(
    original: Invoice,
) -> tuple[Decimal, Decimal, dict[str, Decimal], Decimal, Decimal]:
    """What the issued credit notes of ``original`` have reversed so far."""
    notes = list(
        original.credit_notes.exclude(status=InvoiceStatus.DRAFT).prefetch_related("lines", "taxes")
    )
    subtotal = sum((n.subtotal for n in notes), ZERO)
    standard = sum(
        (
            line.amount
            for n in notes
            for line in n.lines.all()
            if line.tax_treatment == taxes.Treatment.STANDARD
        ),
        ZERO,
    )
    tax_by_code: dict[str, Decimal] = {}
    for n in notes:
        for t in n.taxes.all():
            tax_by_code[t.code] = tax_by_code.get(t.code, ZERO) + t.amount
    contribution = sum((n.contribution for n in notes), ZERO)
    fund = sum((n.fund_share for n in notes), ZERO)
    return subtotal, standard, tax_by_code, contribution, fund


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


def latest_issue_date(*, series: str) -> dt.date | None:
    """The date of the last number issued in a series (any year)."""
    return (
        Invoice.objects.filter(series=series, year__isnull=False)
        .order_by("-year", "-sequence")
        .values_list("issue_date", flat=True)
        .first()
    )


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
            compute_taxes(invoice, on=on)
        except taxes.TaxError:
            problems.append(_("No sales tax rate is known for %(d)s.") % {"d": on.isoformat()})
    problems += coop_registration_problems()
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
        result = _invoice_amounts(invoice, on, policy)
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
    _snapshot(invoice)
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
    invoice: Invoice, on: dt.date, policy: ContributionPolicy | None
) -> tuple[list[InvoiceTax], Decimal, Decimal, Decimal, taxes.TaxResult]:
    result = compute_taxes(invoice, on=on)
    rows = [
        InvoiceTax(
            code=t.code, jurisdiction=t.jurisdiction, rate=t.rate, base=t.base, amount=t.amount
        )
        for t in result.taxes
    ]
    contribution = fund = ZERO
    if not invoice.is_internal and invoice.activity.kind == ActivityKind.MEMBER:
        if not (policy is not None):
            raise RuntimeError("broken invariant: policy is not None")
        contribution, fund = policy.contribution_on(result.subtotal)
    return rows, result.subtotal, contribution, fund, result


def _credit_note_amounts(
    note: Invoice, on: dt.date
) -> tuple[list[InvoiceTax], Decimal, Decimal, Decimal, None]:
    """Reverse the original's stored taxes and contribution pro rata, exactly in total."""
    original = note.corrects
    if not (original is not None):
        raise RuntimeError("broken invariant: original is not None")
    lines = list(note.lines.all())
    subtotal = sum((line.amount for line in lines), ZERO)
    standard = sum(
        (line.amount for line in lines if line.tax_treatment == taxes.Treatment.STANDARD), ZERO
    )
    before_sub, before_std, before_tax, before_contrib, before_fund = _credited_totals(original)
    rows = []
    for tax in original.taxes.all():
        amount = taxes.credited_share(
            original=tax.amount,
            original_base=tax.base,
            credited_before=before_std,
            credited_now=standard,
            reversed_before=before_tax.get(tax.code, ZERO),
        )
        rows.append(
            InvoiceTax(
                code=tax.code,
                jurisdiction=tax.jurisdiction,
                rate=tax.rate,
                base=standard,
                amount=amount,
            )
        )
    contribution = taxes.credited_share(
        original=original.contribution,
        original_base=original.subtotal,
        credited_before=before_sub,
        credited_now=subtotal,
        reversed_before=before_contrib,
    )
    fund = taxes.credited_share(
        original=original.fund_share,
        original_base=original.subtotal,
        credited_before=before_sub,
        credited_now=subtotal,
        reversed_before=before_fund,
    )
    note.place_of_supply, note.regime = original.place_of_supply, original.regime
    return rows, subtotal, contribution, fund, None


def _snapshot(invoice: Invoice) -> None:
    info = coop()
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
    return [invoice for invoice, _taxes in done], failed


# ---------------------------------------------------------------- after issue


@transaction.atomic
def invoice_set_abroad_decision(*, invoice: Invoice, acting_user: User, decision: str) -> Invoice:
    if not acting_user.is_staff:
        raise PermissionError
    return invoice_update(invoice=invoice, acting_user=acting_user, abroad_decision=decision)


def invoice_mark_sent(*, invoice: Invoice) -> None:
    marks.mark_sent(invoice)


def invoice_mark_viewed(*, invoice: Invoice) -> None:
    """The client opened the invoice (first time only; a conditional update, no race)."""
    marks.mark_viewed(invoice)


@transaction.atomic
def invoice_link_revoke(*, invoice: Invoice, acting_user: User) -> Invoice:
    if not acting_user.is_staff:
        raise PermissionError
    invoice = _lock(invoice)
    invoice.link_nonce = links.new_nonce()
    set_actor(invoice, acting_user)
    invoice.save(update_fields=["link_nonce"])
    return invoice


def invoice_send(*, invoice: Invoice, acting_user: User) -> None:
    """Email the invoice to the client's contacts, after commit (a task)."""
    if not acting_user.is_staff:
        raise PermissionError
    if invoice.is_draft or invoice.is_internal:
        raise InvoicingError(_("Only an issued invoice to a client can be sent."))
    if invoice.client is None or not invoice.client.contacts.exists():
        raise InvoicingError(_("The client has no contact to send the invoice to."))
    send_after_commit(invoice)


def invoice_link_token(invoice: Invoice) -> str:
    """A signed, expiring, revocable link for the client to view and download an invoice."""
    return links.link_token(invoice)


# A tampered, expired or revoked link: the documents' one exception.
InvoiceLinkInvalid = LinkInvalid


def invoice_from_token(token: str) -> Invoice:
    invoice: Invoice = links.document_from_token("invoice", token)
    return invoice
