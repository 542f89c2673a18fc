"""The quote email: to each contact of the client, in the contact's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from maille.contracts.models import Quote, QuoteStatus


def quote_email_send(*, quote_id: int) -> int:
    from maille.contracts.services import quote_link_token

    quote = Quote.objects.select_related("client", "author__user").get(pk=quote_id)
    if quote.status != QuoteStatus.SENT or not quote.document_pdf:
        return 0
    link = f"{settings.MAILLE_SITE_URL}/q/{quote_link_token(quote)}/"
    sent = 0
    for contact in quote.client.contacts.all():
        with translation.override(contact.language):
            subject = _("Quote %(number)s from %(coop)s") % {
                "number": quote.number,
                "coop": settings.MAILLE_COOP_NAME,
            }
            body = "\n\n".join(
                [
                    _("Hello,"),
                    _(
                        "Please find attached our quote %(number)s (%(title)s), prepared by "
                        "%(member)s."
                    )
                    % {
                        "number": quote.number,
                        "title": quote.title,
                        "member": quote.author.full_name,
                    },
                    _(
                        "You can read it and accept or refuse it online, without an account, until "
                        "%(date)s:"
                    )
                    % {"date": quote.valid_until.isoformat()}
                    + "\n"
                    + link,
                    _("Kind regards,") + "\n" + settings.MAILLE_COOP_NAME,
                ]
            )
        message = EmailMessage(
            subject, body, to=[contact.email], reply_to=[settings.MAILLE_COOP_EMAIL]
        )
        message.attach(f"{quote.number}.pdf", bytes(quote.document_pdf), "application/pdf")
        message.send()
        sent += 1
    return sent
