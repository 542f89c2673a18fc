"""After issue: the client's signed link, the email and the sent/viewed marks, all
through the shared document mechanism (``maille.documents``)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from maille.core.models import User
from maille.documents import links, marks
from maille.documents.drafting import lock
from maille.documents.sending import send_after_commit
from maille.invoicing.exceptions import (
    InvoicingError,
)
from maille.invoicing.models import (
    Invoice,
)


def invoice_mark_sent(*, invoice: Invoice) -> None:
    marks.mark_sent(invoice)


def invoice_mark_viewed(*, invoice: Invoice) -> None:
    """The client opened the invoice (first time only; a conditional update, no race)."""
    marks.mark_viewed(invoice)


@transaction.atomic
def invoice_link_revoke(*, invoice: Invoice, acting_user: User) -> Invoice:
    if not acting_user.is_staff:
        raise PermissionError
    invoice = lock(invoice)
    links.revoke(invoice, acting_user)
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


def invoice_from_token(token: str) -> Invoice:
    invoice: Invoice = links.document_from_token("invoice", token)
    return invoice
