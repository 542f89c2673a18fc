"""Drafts: an invoice to a client, from a quote (whole, deposit, milestone, balance,
final after cancellation), internal between two activities; changing and discarding
them; the taxes a draft would carry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maille.clients.models import Client
from maille.contracts.lines import LineIn, clean_lines, line_of
from maille.contracts.models import Quote, QuoteMilestone, QuoteStatus, Unit
from maille.contracts.services import client_tax_problems, quote_cancel
from maille.core.audit import set_actor
from maille.core.models import User
from maille.core.money import ZERO, round_half_up
from maille.documents.drafting import lock, term_problems, write_lines
from maille.invoicing import selectors
from maille.invoicing.exceptions import (
    InvoiceNotEditable,
    InvoicingError,
)
from maille.invoicing.models import (
    Invoice,
    InvoiceKind,
    QuoteMode,
)
from maille.invoicing.selectors import quote_invoiced
from maille.members.models import Activity, Member
from maille.taxes import sales as taxes

INVOICE_FIELDS = (
    "title",
    "client_reference",
    "notes",
    "payment_term_days",
    "late_interest_rate",
    "abroad_decision",
    "language",
    "revenue_account",
    "supply_province",
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
    write_lines(invoice, lines, fields=LINE_FIELDS, optional=("credited_line",))
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


def revenue_accounts() -> set[str]:
    """The revenue accounts an invoice may credit: ordinary revenue, or the co-op's
    space income (coworking's guest invoices). Not interest or contribution income,
    which only their own services post."""
    from maille.ledger import accounts

    return set(accounts.INVOICE_REVENUE)


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(INVOICE_FIELDS)
    if unknown:
        raise TypeError(f"unknown invoice fields: {sorted(unknown)}")
    errors = {name: [message] for name, message in term_problems(fields).items()}
    if fields.get("abroad_decision") not in (None, *taxes.AbroadDecision):
        errors["abroad_decision"] = [_("Not one of the allowed values.")]
    if fields.get("revenue_account") not in (None, "", *revenue_accounts()):
        errors["revenue_account"] = [_("Not a revenue account an invoice may credit.")]
    if fields.get("supply_province") not in (None, "", *taxes.PROVINCES):
        errors["supply_province"] = [_("Not a Canadian province or territory.")]
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def invoice_create(
    *,
    activity: Activity,
    client: Client,
    acting_user: User,
    lines: Sequence[LineIn],
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
    return _draft_save(
        acting_user=acting_user,
        lines=cleaned,
        activity=activity,
        member=member,
        client=client,
        quote=quote,
        quote_mode=quote_mode,
        **fields,
    )


def _draft_save(*, acting_user: User, lines: list[dict[str, Any]], **attrs: Any) -> Invoice:
    """Save a new draft invoice (to a client or another activity) and its lines."""
    invoice = Invoice(kind=InvoiceKind.INVOICE, created_by=acting_user, **attrs)
    set_actor(invoice, acting_user)
    invoice.save()
    _write_lines(invoice, lines)
    return invoice


def _share_lines(quote: Quote, fraction: Decimal, label: str) -> list[LineIn]:
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
                LineIn(
                    description=f"{label} — {quote.number} {quote.title}"[:300],
                    quantity=Decimal(1),
                    unit=Unit.FLAT,
                    unit_price=share,
                    tax_treatment=treatment,
                    treatment_reason=reason,
                )
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
            lines = [line_of(line) for line in quote.lines.all()]
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
    return _quote_draft(quote, acting_user, lines, mode, **fields)


def _quote_draft(
    quote: Quote, acting_user: User, lines: Sequence[LineIn], mode: str, **fields: Any
) -> Invoice:
    """A draft invoice of a quote's client and activity, on the quote's terms unless given."""
    terms = ("payment_term_days", "late_interest_rate", "language", "title")
    return invoice_create(
        activity=quote.activity,
        client=quote.client,
        acting_user=acting_user,
        lines=lines,
        quote=quote,
        quote_mode=mode,
        **({name: getattr(quote, name) for name in terms} | fields),
    )


def invoice_create_final(
    *,
    quote: Quote,
    acting_user: User,
    work_done: Sequence[LineIn],
    costs: Sequence[LineIn] | None = None,
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
            incurred: list[LineIn] = [
                {**c, "description": _("Costs incurred: %(d)s") % {"d": c.get("description", "")}}
                for c in (costs or [])
            ]
            lines = [*work_done, *incurred]
        return _quote_draft(quote, acting_user, lines, QuoteMode.FINAL)


@transaction.atomic
def invoice_create_internal(
    *,
    activity: Activity,
    buyer_activity: Activity,
    acting_user: User,
    lines: Sequence[LineIn],
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
    return _draft_save(
        acting_user=acting_user,
        lines=cleaned,
        activity=activity,
        member=member,
        buyer_activity=buyer_activity,
        **_clean_fields(fields),
    )


@transaction.atomic
def invoice_update(
    *,
    invoice: Invoice,
    acting_user: User,
    lines: Sequence[LineIn] | None = None,
    **fields: Any,
) -> Invoice:
    invoice = lock(invoice)
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
    invoice = lock(invoice)
    if not invoice.is_draft:
        raise InvoiceNotEditable(_("An issued invoice is never deleted."))
    if not (acting_user.is_staff or invoice.created_by_id == acting_user.pk):
        raise PermissionError
    set_actor(invoice, acting_user)
    invoice.delete()


@transaction.atomic
def invoice_set_abroad_decision(*, invoice: Invoice, acting_user: User, decision: str) -> Invoice:
    if not acting_user.is_staff:
        raise PermissionError
    return invoice_update(invoice=invoice, acting_user=acting_user, abroad_decision=decision)


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
    if invoice.supply_province:
        # Supplied where the invoice says (a rented space: where it is), not
        # where the client lives.
        return taxes.compute(
            lines=lines,
            on=on,
            country="CA",
            province=invoice.supply_province,
            home_province=settings.MAILLE_COOP_PROVINCE,
        )
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
    lines: Sequence[LineIn],
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
