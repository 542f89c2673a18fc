"""Finding 13 (first half) of issue 8: the pages and PDFs reached by a signed
link hold a client's contract and amounts; no cache may keep them."""

import pytest

from maille.contracts import services as contracts
from maille.contracts.tests.helpers import sent_quote
from maille.invoicing import services as invoicing
from maille.invoicing.tests.test_pages_and_scoping import issued

pytestmark = pytest.mark.django_db


def not_stored(response):
    assert response.status_code == 200, response.status_code
    assert "no-store" in response["Cache-Control"]


def test_the_quote_link_and_its_pdf_are_not_cached(
    client, camille, camille_activity, client_qc, sylvie
):
    quote = sent_quote(camille, camille_activity, client_qc, sylvie)
    token = contracts.quote_link_token(quote)
    not_stored(client.get(f"/q/{token}/"))
    not_stored(client.get(f"/q/{token}/pdf/"))


def test_the_invoice_link_and_its_pdf_are_not_cached(
    client, camille, camille_activity, client_qc, sylvie, as_nathalie
):
    invoice = issued(camille, camille_activity, client_qc, sylvie)
    token = invoicing.invoice_link_token(invoice)
    not_stored(client.get(f"/i/{token}/"))
    not_stored(client.get(f"/i/{token}/?download=1"))
    not_stored(as_nathalie.get(f"/portal/invoices/{invoice.pk}/pdf/"))
