"""Issue 10: staff home is a to-do list with counts and links."""

from __future__ import annotations

import pytest

from maille.contracts import services as quote_services
from maille.contracts.tests.helpers import draft_quote, lines
from maille.invoicing import services
from maille.tests_support import factories

pytestmark = pytest.mark.django_db


def test_staff_see_what_waits_for_them(as_sylvie, camille, camille_activity, client_qc):
    quote = draft_quote(camille, camille_activity, client_qc)
    quote_services.quote_submit(quote=quote, acting_user=camille.user)
    abroad = factories.ClientFactory(
        legal_name="Atelier SARL", province="", country="FR", postal_code="75011"
    )
    waiting = services.invoice_create(
        activity=camille_activity, client=abroad, acting_user=camille.user, lines=lines(("1", "10"))
    )
    services.invoice_create(
        activity=camille_activity,
        client=client_qc,
        acting_user=camille.user,
        lines=lines(("1", "10")),
    )
    response = as_sylvie.get("/")
    todo = response.context["todo"]
    assert todo.quotes_to_validate == 1
    assert todo.drafts_to_issue == 2
    assert todo.abroad_to_decide == [waiting]
    page = response.content.decode()
    assert "Soumissions à valider" in page
    assert "/quotes/?status=submitted" in page and "/invoices/?status=draft" in page
    assert f"/invoices/{waiting.pk}/" in page


def test_nothing_waiting_says_so(as_sylvie):
    page = as_sylvie.get("/").content.decode()
    assert "Rien ne vous attend." in page
