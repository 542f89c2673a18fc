"""PDF quotes (and the shared machinery for invoices), rendered by WeasyPrint.

Documents are in the client's language, French first when bilingual
(Charter of the French language): a French client gets a French document;
an English client gets every label and clause in French followed by English.
Dates are ISO 8601, the same in both languages. Every label is a msgid
listed here (``gettext_noop``) so the catalog tools find it.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_noop

LABELS: dict[str, str] = {
    "quote": gettext_noop("Quote"),
    "invoice": gettext_noop("Invoice"),
    "credit_note": gettext_noop("Credit note"),
    "internal_invoice": gettext_noop("Internal invoice"),
    "final_invoice": gettext_noop("Final invoice — contract cancelled by the client"),
    "number": gettext_noop("Number"),
    "date": gettext_noop("Date"),
    "quote_date": gettext_noop("Quote date"),
    "valid_until": gettext_noop("Valid until"),
    "invoice_date": gettext_noop("Invoice date"),
    "due_date": gettext_noop("Due date"),
    "supplier": gettext_noop("Supplier"),
    "client": gettext_noop("Client"),
    "work_by": gettext_noop("Work done by"),
    "member": gettext_noop("Member"),
    "activity": gettext_noop("Activity"),
    "gst_no": gettext_noop("GST/HST registration no."),
    "qst_no": gettext_noop("QST registration no."),
    "neq": gettext_noop("Québec enterprise number (NEQ)"),
    "client_gst": gettext_noop("Client's GST/HST no."),
    "client_qst": gettext_noop("Client's QST no."),
    "description": gettext_noop("Description of the services"),
    "quantity": gettext_noop("Qty"),
    "unit": gettext_noop("Unit"),
    "unit_price": gettext_noop("Unit price"),
    "amount": gettext_noop("Amount"),
    "subtotal": gettext_noop("Subtotal before taxes"),
    "total": gettext_noop("Total"),
    "total_due": gettext_noop("Total due"),
    "gst": gettext_noop("GST"),
    "qst": gettext_noop("QST"),
    "hst": gettext_noop("HST"),
    "zero_rated": gettext_noop("zero-rated"),
    "exempt": gettext_noop("exempt"),
    "no_tax_export": gettext_noop("Zero-rated supply: service exported outside Canada."),
    "internal_no_tax": gettext_noop(
        "Internal invoice between two activities of the co-op: no sales tax."
    ),
    "estimated_taxes": gettext_noop(
        "Taxes as of the quote date; the invoice applies the rates in force on its own date."
    ),
    "payment_terms": gettext_noop("Terms of payment"),
    "payment_terms_text": gettext_noop(
        "Payable within %(days)s days of the invoice date. Overdue amounts "
        "bear interest at %(rate)s %% a year."
    ),
    "payment_terms_now": gettext_noop(
        "Payable on receipt. Overdue amounts bear interest at %(rate)s %% a year."
    ),
    "how_to_pay": gettext_noop("How to pay"),
    "bank_transfer": gettext_noop("Bank transfer"),
    "interac": gettext_noop("Interac e-Transfer"),
    "reference": gettext_noop("Reference to give"),
    "quote_ref": gettext_noop("Quote accepted"),
    "no_quote": gettext_noop("No accepted quote"),
    "client_po": gettext_noop("Your reference"),
    "place_of_supply": gettext_noop("Place of supply"),
    "corrects": gettext_noop("Corrects invoice"),
    "reason": gettext_noop("Reason"),
    "credit_note_text": gettext_noop(
        "This credit note cancels, in whole or in part, the invoice named "
        "above; the taxes are reversed in the same proportion."
    ),
    "deliverables": gettext_noop("Deliverables"),
    "schedule": gettext_noop("Schedule"),
    "from_to": gettext_noop("From %(start)s to %(end)s"),
    "conditions": gettext_noop("Conditions of the contract"),
    "clause_nature": gettext_noop(
        "This quote, once accepted, is a contract for services governed by "
        "articles 2098 to 2129 of the Civil Code of Québec. The co-op is the "
        "supplier; its member named above does the work and chooses the means "
        "of doing it, with no relationship of subordination to the client."
    ),
    "clause_cancel": gettext_noop(
        "The client may cancel the contract at any time, even after the work "
        "has begun (art. 2125 C.C.Q.). The client then owes the value of the "
        "work done before the cancellation and the costs actually incurred, in "
        "proportion to the agreed price (art. 2129 C.C.Q.); the co-op issues a "
        "final invoice for them."
    ),
    "clause_withdraw": gettext_noop(
        "The co-op may withdraw from the contract only for a serious reason, "
        "and not at an inopportune time; it then does everything immediately "
        "necessary to prevent a loss for the client (art. 2126 C.C.Q.)."
    ),
    "clause_payment": gettext_noop(
        "Invoices are payable within %(days)s days of their date; overdue "
        "amounts bear interest at %(rate)s %% a year from the due date."
    ),
    "clause_ip": gettext_noop("Intellectual property"),
    "ip_assignment": gettext_noop(
        "The economic rights in the deliverables are assigned to the client once "
        "the price has been paid in full. The author keeps the moral rights."
    ),
    "ip_exclusive": gettext_noop(
        "The client receives an exclusive licence to use the deliverables for the "
        "purpose described in this quote, once the price has been paid in full. "
        "The author keeps the copyright."
    ),
    "ip_licence": gettext_noop(
        "The client receives a non-exclusive licence to use the deliverables for "
        "the purpose described in this quote, once the price has been paid in full. "
        "The author keeps the copyright and may reuse the work."
    ),
    "clause_extra": gettext_noop("Additional clauses"),
    "acceptance": gettext_noop("Acceptance"),
    "acceptance_text": gettext_noop(
        "The client accepts this quote online through the link sent by the "
        "co-op. The acceptance records the name and role of the person who "
        "accepts, the time, and the SHA-256 fingerprint of this document."
    ),
    "page": gettext_noop("Page"),
    "thanks": gettext_noop("Thank you for your trust."),
}

IP_KEYS = {"assignment": "ip_assignment", "exclusive": "ip_exclusive", "licence": "ip_licence"}


def doc_languages(language: str) -> list[str]:
    return ["fr"] if language != "en" else ["fr", "en"]


@functools.cache
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.cache
def _fetcher() -> Any:
    """Documents load nothing from outside (no SSRF, and no SSL context built per render)."""
    from weasyprint.urls import URLFetcher

    class NoFetch(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"documents load no external resource: {url[:80]}")

    return NoFetch()


@functools.cache
def _html_class() -> Any:
    """WeasyPrint's HTML with the documents' own user-agent stylesheet (``pdf/ua.css``:
    WeasyPrint's, cut down to the elements the templates use, which it matches
    against every element of every document)."""
    from weasyprint import CSS, HTML

    ua = CSS(
        string=(Path(__file__).parent / "templates/contracts/pdf/ua.css").read_text("utf-8"),
        font_config=_font_config(),
        url_fetcher=_fetcher(),
    )

    class DocumentHTML(HTML):  # type: ignore[misc]
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [ua]

    return DocumentHTML


@functools.cache
def _stylesheet() -> Any:
    from weasyprint import CSS

    css = render_to_string("contracts/pdf/document.css")
    return CSS(string=css, font_config=_font_config(), url_fetcher=_fetcher())


def render_pdf(
    template: str,
    context: dict[str, Any],
    *,
    language: str,
    pdf_variant: str | None = None,
    attachments: list[Any] | None = None,
) -> bytes:
    """Render a document template to PDF bytes in the document's language."""
    context = {**context, "doc_language": language, "doc_languages": doc_languages(language)}
    with translation.override("fr" if language != "en" else "en"):
        html = render_to_string(template, context)
    document = _html_class()(string=html, base_url=None, url_fetcher=_fetcher())
    pdf: bytes = document.write_pdf(
        stylesheets=[_stylesheet()],
        font_config=_font_config(),
        pdf_variant=pdf_variant,
        attachments=attachments,
        uncompressed_pdf=False,
    )
    return pdf


def quote_context(quote: Any) -> dict[str, Any]:
    from maille.contracts.coop import coop
    from maille.contracts.taxes_preview import quote_taxes

    lines = list(quote.lines.all())
    result = quote_taxes(quote)
    return {
        "quote": quote,
        "lines": lines,
        "coop": coop(),
        "client": quote.client,
        "member": quote.author,
        "activity": quote.activity,
        "tax": result,
        "milestones": list(quote.milestones.all()),
        "ip_key": IP_KEYS.get(quote.ip_option, "ip_assignment"),
        "facts": [
            ("number", quote.number),
            ("quote_date", quote.quote_date.isoformat()),
            ("valid_until", quote.valid_until.isoformat()),
        ],
    }


def quote_pdf(quote: Any) -> bytes:
    return render_pdf("contracts/pdf/quote.html", quote_context(quote), language=quote.language)
