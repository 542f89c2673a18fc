"""The invoice email: to each contact of the client, in the contact's language,
with the PDF (Factur-X inside) and a signed link to view and download it."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from maille.core.money import format_money
from maille.invoicing.models import Invoice


def invoice_email_send(*, invoice_id: int) -> int:
    from maille.invoicing.documents import invoice_pdf
    from maille.invoicing.services import invoice_link_token, invoice_mark_sent

    invoice = Invoice.objects.select_related("client", "corrects").get(pk=invoice_id)
    if invoice.is_draft or invoice.client is None:
        return 0
    pdf = invoice_pdf(invoice)
    link = f"{settings.MAILLE_SITE_URL}/i/{invoice_link_token(invoice)}/"
    sent = 0
    for contact in invoice.client.contacts.all():
        with translation.override(contact.language):
            values = {
                "number": invoice.number,
                "coop": settings.MAILLE_COOP_NAME,
                "total": format_money(invoice.total, contact.language),
                "due": invoice.due_date.isoformat() if invoice.due_date else "",
            }
            if invoice.is_credit_note:
                subject = _("Credit note %(number)s from %(coop)s") % values
                intro = _("Please find attached credit note %(number)s of %(total)s.") % values
                payment = ""
            else:
                subject = _("Invoice %(number)s from %(coop)s") % values
                intro = (
                    _("Please find attached invoice %(number)s of %(total)s, due on %(due)s.")
                    % values
                )
                payment = _(
                    "Pay by bank transfer to %(account)s (%(bank)s) or by Interac "
                    "e-Transfer to %(interac)s, giving the reference %(number)s."
                ) % {
                    "account": settings.MAILLE_BANK_ACCOUNT,
                    "bank": settings.MAILLE_BANK_NAME,
                    "interac": settings.MAILLE_INTERAC_EMAIL,
                    "number": invoice.number,
                }
            parts = [
                _("Hello,"),
                intro,
                payment,
                _("You can also view and download it online:") + "\n" + link,
                _("Kind regards,") + "\n" + settings.MAILLE_COOP_NAME,
            ]
            body = "\n\n".join(p for p in parts if p)
        message = EmailMessage(
            subject, body, to=[contact.email], reply_to=[settings.MAILLE_COOP_EMAIL]
        )
        message.attach(f"{invoice.number}.pdf", pdf, "application/pdf")
        message.send()
        sent += 1
    if sent:
        invoice_mark_sent(invoice=invoice)
    return sent
