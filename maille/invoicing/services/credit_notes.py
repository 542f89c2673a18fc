"""Credit notes: a draft that reverses an issued invoice, whole or per line, and the
amounts its issue reverses (stored taxes and contribution, pro rata, exact in total)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maille.contracts.models import Unit
from maille.core.audit import set_actor
from maille.core.models import User
from maille.core.money import ZERO, round_half_up
from maille.documents.drafting import lock
from maille.invoicing.exceptions import (
    InvoicingError,
)
from maille.invoicing.models import (
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    InvoiceTax,
)
from maille.invoicing.selectors import credited_by_line
from maille.invoicing.services.drafts import _write_lines
from maille.taxes import sales as taxes


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
    invoice = lock(invoice)
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
        revenue_account=invoice.revenue_account,
        supply_province=invoice.supply_province,
        payment_term_days=0,
        created_by=acting_user,
    )
    set_actor(note, acting_user)
    note.save()
    _write_lines(note, lines)
    return note


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
