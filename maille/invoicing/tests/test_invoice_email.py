"""Sending an invoice: a real SMTP conversation with a local server (aiosmtpd)."""

from __future__ import annotations

import email
import socket
from email.message import Message

import pytest
from aiosmtpd.controller import Controller

from maille.contracts.tests.helpers import lines
from maille.invoicing import services
from maille.invoicing.models import Invoice
from maille.tests_support import factories

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    try:
        yield inbox
    finally:
        controller.stop()


def _parts(message: Message) -> tuple[str, list[tuple[str, bytes]]]:
    body, files = "", []
    for part in message.walk():
        if part.get_content_maintype() == "multipart":
            continue
        if part.get_filename():
            files.append((part.get_filename(), part.get_payload(decode=True)))
        elif part.get_content_type() == "text/plain":
            body = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return body, files


def test_an_issued_invoice_is_emailed_to_each_contact_in_their_language(
    smtp, camille, camille_activity, client_qc, sylvie, django_capture_on_commit_callbacks
):
    factories.ClientContactFactory(
        client=client_qc, name="Nathalie Roy", language="fr", email="nathalie@fleuve.test"
    )
    factories.ClientContactFactory(
        client=client_qc, name="Pat Smith", language="en", email="pat@fleuve.test"
    )
    invoice = services.invoice_issue(
        invoice=services.invoice_create(
            activity=camille_activity,
            client=client_qc,
            acting_user=camille.user,
            lines=lines(("2", "250.00")),
        ),
        acting_user=sylvie,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.invoice_send(invoice=invoice, acting_user=sylvie)
    assert len(smtp.messages) == 2
    by_rcpt = {rcpt[0]: message for rcpt, message in smtp.messages}
    fr, en = by_rcpt["nathalie@fleuve.test"], by_rcpt["pat@fleuve.test"]
    assert str(email.header.make_header(email.header.decode_header(fr["Subject"]))).startswith(
        f"Facture {invoice.number}"
    )
    assert en["Subject"].startswith(f"Invoice {invoice.number}")
    body, files = _parts(fr)
    assert "Bonjour" in body and "/i/" in body and "paiement@maille.coop" in body
    assert files[0][0] == f"{invoice.number}.pdf"
    assert files[0][1].startswith(b"%PDF")
    link = next(word for word in body.split() if "/i/" in word)
    assert services.invoice_from_token(link.rstrip("/").rsplit("/", 1)[1]) == invoice
    invoice.refresh_from_db()
    assert invoice.sent_at is not None


def test_nothing_is_sent_before_commit_and_drafts_are_refused(
    smtp, camille, camille_activity, client_qc, sylvie, nathalie
):
    draft = services.invoice_create(
        activity=camille_activity,
        client=client_qc,
        acting_user=camille.user,
        lines=lines(("1", "10.00")),
    )
    with pytest.raises(services.InvoicingError):
        services.invoice_send(invoice=draft, acting_user=sylvie)
    with pytest.raises(PermissionError):
        services.invoice_send(invoice=draft, acting_user=camille.user)
    issued = services.invoice_issue(invoice=draft, acting_user=sylvie)
    services.invoice_send(invoice=issued, acting_user=sylvie)  # the test transaction never commits
    assert smtp.messages == []
    assert Invoice.objects.get().sent_at is None
