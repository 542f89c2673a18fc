"""The quote as a kind of document: its email, recipients and link (``documents``).

The shared mechanism (``maille.documents``) signs the acceptance link, sends
the email after commit in each contact's language with the frozen PDF, and
records sent and viewed; this module declares only what is a quote's own.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from maille.contracts.models import Quote, QuoteStatus
from maille.documents.kinds import DocumentKind, Email, letter

LINK_SALT = "maille.contracts.quote-link"


def quote_message(quote: Quote, link: str) -> Email:
    subject = _("Quote %(number)s from %(coop)s") % {
        "number": quote.number,
        "coop": settings.MAILLE_COOP_NAME,
    }
    return letter(
        subject,
        _("Please find attached our quote %(number)s (%(title)s), prepared by %(member)s.")
        % {"number": quote.number, "title": quote.title, "member": quote.author.full_name},
        _("You can read it and accept or refuse it online, without an account, until %(date)s:")
        % {"date": quote.valid_until.isoformat()}
        + "\n"
        + link,
    )


QUOTE = DocumentKind(
    name="quote",
    model=Quote,
    salt=LINK_SALT,
    id_key="q",
    link_days=lambda: int(settings.MAILLE_QUOTE_LINK_DAYS),
    linkable=lambda: Quote.objects.select_related("client", "activity", "author__user"),
    path="/q/",
    recipients=lambda quote: [(c.email, c.language) for c in quote.client.contacts.all()],
    message=quote_message,
    pdf=lambda quote: bytes(quote.document_pdf),
    can_send=lambda quote: quote.status == QuoteStatus.SENT and bool(quote.document_pdf),
    mark_sent_by_email=False,  # quote_send marks it, when it freezes the PDF
)
