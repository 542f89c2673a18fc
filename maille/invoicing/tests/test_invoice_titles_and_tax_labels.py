"""Issue 10, bugs 5, 6 and 12: a draft's title said "Facture Facture #11"; French
pages said "GST (5 %)" and ``ABROAD``; a credit note showed ``+169,50 $`` in
the lists while their total subtracted it."""

from __future__ import annotations

import pytest

from maille.contracts.tests.helpers import lines
from maille.invoicing import services
from maille.invoicing.tests.test_pages_and_scoping import issued
from maille.tests_support import factories

pytestmark = pytest.mark.django_db


def test_a_draft_title_names_its_kind_once(as_camille, camille, camille_activity, client_qc):
    draft = services.invoice_create(
        activity=camille_activity,
        client=client_qc,
        acting_user=camille.user,
        lines=lines(("1", "10")),
    )
    page = as_camille.get(f"/invoices/{draft.pk}/").content.decode()
    assert "Facture Facture" not in page
    assert f"<h1>Facture #{draft.pk}</h1>" in page


def test_french_pages_name_the_taxes_and_the_place_in_french(
    as_sylvie, camille, camille_activity, client_qc, sylvie
):
    invoice = issued(camille, camille_activity, client_qc, sylvie)
    page = as_sylvie.get(f"/invoices/{invoice.pk}/").content.decode()
    assert "TPS (5\u00a0%)" in page
    assert "TVQ (9,975\u00a0%)" in page
    assert "GST" not in page and "QST" not in page
    assert "<dd>Québec</dd>" in page


def test_a_client_abroad_is_outside_canada_in_words(as_sylvie, camille, camille_activity, sylvie):
    abroad = factories.ClientFactory(
        legal_name="Atelier SARL", province="", country="FR", postal_code="75011"
    )
    draft = services.invoice_create(
        activity=camille_activity, client=abroad, acting_user=camille.user, lines=lines(("1", "10"))
    )
    draft.place_of_supply = "ABROAD"
    draft.save(update_fields=["place_of_supply"])
    page = as_sylvie.get(f"/invoices/{draft.pk}/").content.decode()
    assert "ABROAD" not in page
    assert "hors du Canada" in page


def test_english_pages_keep_the_english_names(
    as_sylvie, camille, camille_activity, client_qc, sylvie
):
    invoice = issued(camille, camille_activity, client_qc, sylvie)
    as_sylvie.cookies["django_language"] = "en"
    sylvie.language = "en"
    sylvie.save(update_fields=["language"])
    page = as_sylvie.get(f"/invoices/{invoice.pk}/").content.decode()
    assert "GST (5%)" in page and "QST (9.975%)" in page


def test_a_credit_note_counts_negative_in_the_list(
    as_sylvie, camille, camille_activity, client_qc, sylvie
):
    invoice = issued(camille, camille_activity, client_qc, sylvie, ("1", "150.00"))
    note = services.credit_note_create(invoice=invoice, acting_user=sylvie, reason="Erreur")
    services.invoice_issue(invoice=note, acting_user=sylvie)
    page = as_sylvie.get("/invoices/").content.decode()
    assert "-172,46\u00a0$" in page  # 150 $ + TPS + TVQ, subtracted
    assert "+172,46" not in page
