"""The invoice as a kind of document: its email, recipients and link (``documents``).

The shared mechanism (``maille.documents``) signs the link, sends the email
after commit in each contact's language with the PDF (Factur-X inside), and
records sent and viewed; this module declares only what is an invoice's own.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from maille.core.money import format_money_active
from maille.documents.kinds import DocumentKind, Email, letter
from maille.invoicing.models import Invoice, InvoiceStatus

LINK_SALT = "maille.invoicing.invoice-link"


def invoice_message(invoice: Invoice, link: str) -> Email:
    values = {
        "number": invoice.number,
        "coop": settings.MAILLE_COOP_NAME,
        "total": format_money_active(invoice.total),
        "due": invoice.due_date.isoformat() if invoice.due_date else "",
    }
    if invoice.is_credit_note:
        subject = _("Credit note %(number)s from %(coop)s") % values
        intro = _("Please find attached credit note %(number)s of %(total)s.") % values
        payment = ""
    else:
        subject = _("Invoice %(number)s from %(coop)s") % values
        intro = _("Please find attached invoice %(number)s of %(total)s, due on %(due)s.") % values
        payment = _(
            "Pay by bank transfer to %(account)s (%(bank)s) or by Interac "
            "e-Transfer to %(interac)s, giving the reference %(number)s."
        ) % {
            "account": settings.MAILLE_BANK_ACCOUNT,
            "bank": settings.MAILLE_BANK_NAME,
            "interac": settings.MAILLE_INTERAC_EMAIL,
            "number": invoice.number,
        }
    return letter(
        subject, intro, payment, _("You can also view and download it online:") + "\n" + link
    )


def _pdf(invoice: Invoice) -> bytes:
    from maille.invoicing.documents import invoice_pdf  # WeasyPrint loads on first use

    return invoice_pdf(invoice)


INVOICE = DocumentKind(
    name="invoice",
    model=Invoice,
    salt=LINK_SALT,
    id_key="i",
    link_days=lambda: int(settings.MAILLE_INVOICE_LINK_DAYS),
    linkable=lambda: Invoice.objects.select_related("client", "activity", "corrects").exclude(
        status=InvoiceStatus.DRAFT
    ),
    path="/i/",
    recipients=lambda invoice: (
        [(c.email, c.language) for c in invoice.client.contacts.all()] if invoice.client else []
    ),
    message=invoice_message,
    pdf=_pdf,
    can_send=lambda invoice: not invoice.is_draft and invoice.client_id is not None,
)
