"""Invoice and credit note PDFs: PDF/A-3 with the Factur-X (EN 16931) XML embedded.

WeasyPrint renders the HTML template as PDF/A-3b; the ``factur-x`` package
then embeds ``factur-x.xml`` with the XMP metadata the standard requires.
Every mention Revenu Québec and the CRA list for invoices of 500 $ and more
is printed on every invoice (quebec-2026.md §1), whatever the amount.
"""

from __future__ import annotations

import logging
from typing import Any

from maille.contracts.coop import coop
from maille.contracts.documents import render_pdf
from maille.invoicing.models import Invoice

logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)
logging.getLogger("factur-x").setLevel(logging.WARNING)


def invoice_context(invoice: Invoice) -> dict[str, Any]:
    if invoice.is_credit_note:
        title_key = "credit_note"
    elif invoice.is_internal:
        title_key = "internal_invoice"
    elif invoice.quote_mode == "final":
        title_key = "final_invoice"
    else:
        title_key = "invoice"
    facts: list[tuple[str, str]] = [("number", invoice.number or "—")]
    if invoice.issue_date:
        facts.append(("invoice_date", invoice.issue_date.isoformat()))
    if invoice.due_date and not invoice.is_credit_note:
        facts.append(("due_date", invoice.due_date.isoformat()))
    if invoice.quote_id and invoice.quote is not None:
        facts.append(("quote_ref", invoice.quote.number))
    elif not invoice.is_credit_note and not invoice.is_internal:
        facts.append(("quote_ref", "—"))
    if invoice.supply_province:  # taxed where the supply is, not at the client's address
        facts.append(("place_of_supply", invoice.supply_province))
    if invoice.client_reference:
        facts.append(("client_po", invoice.client_reference))
    if invoice.is_credit_note and invoice.corrects is not None:
        corrected = invoice.corrects
        facts.append(("corrects", f"{corrected.number} ({corrected.issue_date})"))
    return {
        "invoice": invoice,
        "lines": list(invoice.lines.all()),
        "taxes": list(invoice.taxes.all()),
        "coop": coop(),
        "client": invoice.client,
        "member": invoice.member,
        "activity": invoice.activity,
        "title_key": title_key,
        "facts": facts,
        "rate": format(invoice.late_interest_rate.normalize(), "f").replace(".", ","),
        "tax": {
            "subtotal": invoice.subtotal,
            "taxes": list(invoice.taxes.all()),
            "total": invoice.total,
        },
    }


def invoice_pdf(invoice: Invoice, *, facturx: bool = True) -> bytes:
    """The printed invoice. An issued invoice (not internal) carries its Factur-X XML."""
    context = invoice_context(invoice)
    embed = facturx and not invoice.is_draft and not invoice.is_internal
    pdf = render_pdf(
        "invoicing/pdf/invoice.html",
        context,
        language=invoice.language,
        pdf_variant="pdf/a-3b" if embed else None,
    )
    if not embed:
        return pdf
    from facturx import generate_from_binary

    from maille.invoicing.einvoice import cii_xml

    result: bytes = generate_from_binary(
        pdf,
        cii_xml(invoice),
        flavor="factur-x",
        level="en16931",
        check_xsd=False,
        pdf_metadata={
            "author": context["coop"].name,
            "keywords": "Factur-X, invoice",
            "title": f"{context['coop'].name}: {invoice.number}",
            "subject": f"{invoice.number} — {invoice.buyer_name}",
        },
        lang="fr-CA" if invoice.language != "en" else "en-CA",
    )
    return result
