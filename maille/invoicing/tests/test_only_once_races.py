"""Every "only once" rule of quotes and invoices holds under 32 simultaneous requests.

PostgreSQL only (row locks between threads). Each request goes through the
API with its own client and connection; the answers are counted by status:
exactly the right number of successes, the others a 409 with a message,
never a 500 (a server error would surface here as the exception's name).
"""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.test import Client

from maille.api.services import api_token_create
from maille.contracts import services as quote_services
from maille.contracts.models import QuoteDecision, QuoteStatus
from maille.contracts.tests.helpers import FAKE_PDF, accepted_quote, lines, sent_quote
from maille.invoicing import services
from maille.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from maille.ledger.models import JournalEntry
from maille.tests_support.races import RACERS, race, statuses

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between threads need PostgreSQL")


def _poster(user, url, payload=None):
    _row, token = api_token_create(user=user, name="race")

    def send(_i):
        return Client().post(
            f"/api/v1{url}",
            payload or {},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    return send


def _issued_invoice(camille, activity, client, staff, *specs):
    draft = services.invoice_create(
        activity=activity, client=client, acting_user=camille.user, lines=lines(*specs)
    )
    return services.invoice_issue(invoice=draft, acting_user=staff)


def test_a_quote_is_invoiced_whole_once(camille, camille_activity, client_qc, sylvie):
    quote = accepted_quote(camille, camille_activity, client_qc, sylvie)
    send = _poster(camille.user, "/invoices/from-quote", {"quote_id": quote.pk, "mode": "whole"})
    answers = race(send)
    assert statuses(answers) == {201: 1, 409: RACERS - 1}
    assert all(a.json()["detail"][0]["message"] for a in answers if a.status_code == 409)
    assert Invoice.objects.filter(quote=quote).count() == 1
    # …and that one draft can be issued (the duplicates had made it impossible).
    services.invoice_issue(invoice=Invoice.objects.get(quote=quote), acting_user=sylvie)


def test_a_draft_is_issued_once(camille, camille_activity, client_qc, sylvie):
    draft = services.invoice_create(
        activity=camille_activity,
        client=client_qc,
        acting_user=camille.user,
        lines=lines(("10", "100.00")),
    )
    answers = race(_poster(sylvie, f"/invoices/{draft.pk}/issue"))
    assert statuses(answers) == {200: 1, 409: RACERS - 1}
    issued = Invoice.objects.get()
    assert (issued.status, issued.sequence) == (InvoiceStatus.ISSUED, 1)
    assert JournalEntry.objects.filter(idempotency_key__startswith="invoicing:").count() == 2


def test_an_invoice_is_credited_in_whole_once_and_the_note_issued_once(
    camille, camille_activity, client_qc, sylvie
):
    invoice = _issued_invoice(camille, camille_activity, client_qc, sylvie, ("10", "100.00"))
    answers = race(_poster(sylvie, f"/invoices/{invoice.pk}/credit-notes", {"reason": "Erreur"}))
    assert statuses(answers) == {201: 1, 409: RACERS - 1}
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    answers = race(_poster(sylvie, f"/invoices/{note.pk}/issue"))
    assert statuses(answers) == {200: 1, 409: RACERS - 1}
    note.refresh_from_db()
    assert note.status == InvoiceStatus.ISSUED and note.total == invoice.total


def test_partial_credit_notes_never_credit_more_than_the_line(
    camille, camille_activity, client_qc, sylvie
):
    invoice = _issued_invoice(camille, camille_activity, client_qc, sylvie, ("10", "100.00"))
    line = invoice.lines.get()
    payload = {"reason": "Une heure en trop", "lines": [{"line_id": line.pk, "amount": "100.00"}]}
    answers = race(_poster(sylvie, f"/invoices/{invoice.pk}/credit-notes", payload))
    # 1 000 $ in ten notes of 100 $; the others asked for more than is left (a field error).
    assert statuses(answers) == {201: 10, 422: RACERS - 10}
    assert {a.json()["detail"][0]["field"] for a in answers if a.status_code == 422} == {
        f"lines.{line.pk}"
    }
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).count() == 10


def test_a_quote_is_accepted_once(camille, camille_activity, client_qc, sylvie):
    quote = sent_quote(camille, camille_activity, client_qc, sylvie)
    token = quote_services.quote_link_token(quote)
    payload = {
        "decision": "accepted",
        "signer_name": "Nathalie Roy",
        "signer_role": "Directrice",
        "document_sha256": hashlib.sha256(FAKE_PDF).hexdigest(),
    }

    def send(_i):
        return Client().post(
            f"/api/v1/quotes/acceptance/{token}", payload, content_type="application/json"
        )

    answers = race(send)
    assert statuses(answers) == {200: 1, 409: RACERS - 1}
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ACCEPTED
    assert QuoteDecision.objects.filter(quote=quote).count() == 1
