"""A draft can be thrown away by its author or by staff — page and API (ISSUE 8, finding 4)."""

from __future__ import annotations

import pytest

from maille.contracts.tests.helpers import accepted_quote, lines
from maille.invoicing import services
from maille.invoicing.models import Invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(camille, camille_activity, client_qc):
    return services.invoice_create(
        activity=camille_activity,
        client=client_qc,
        acting_user=camille.user,
        lines=lines(("10", "100.00")),
    )


def test_the_author_discards_a_draft_from_its_page(as_camille, draft):
    page = as_camille.get(f"/invoices/{draft.pk}/")
    assert f"/invoices/{draft.pk}/discard/" in page.text
    response = as_camille.post(f"/invoices/{draft.pk}/discard/")
    assert response.status_code == 302
    assert not Invoice.objects.exists()


def test_staff_discard_a_draft_through_the_api(as_sylvie, draft):
    response = as_sylvie.delete(f"/api/v1/invoices/{draft.pk}")
    assert response.status_code == 204
    assert not Invoice.objects.exists()


def test_a_co_owner_who_did_not_write_it_cannot_discard_it(camille_activity, draft, jerome):
    from maille.conftest import login

    camille_activity.owners.add(jerome)
    as_jerome = login(jerome.user)
    assert f"/invoices/{draft.pk}/discard/" not in as_jerome.get(f"/invoices/{draft.pk}/").text
    as_jerome.post(f"/invoices/{draft.pk}/discard/")
    assert as_jerome.delete(f"/api/v1/invoices/{draft.pk}").status_code == 403
    assert Invoice.objects.filter(pk=draft.pk).exists()


def test_another_member_gets_404(as_jerome, draft):
    assert as_jerome.post(f"/invoices/{draft.pk}/discard/").status_code == 404
    assert as_jerome.delete(f"/api/v1/invoices/{draft.pk}").status_code == 404
    assert Invoice.objects.filter(pk=draft.pk).exists()


def test_an_issued_invoice_is_never_discarded(as_sylvie, draft, sylvie):
    services.invoice_issue(invoice=draft, acting_user=sylvie)
    response = as_sylvie.delete(f"/api/v1/invoices/{draft.pk}")
    assert response.status_code == 409
    assert response.json()["detail"][0]["message"]
    as_sylvie.post(f"/invoices/{draft.pk}/discard/")
    assert Invoice.objects.filter(pk=draft.pk).exists()


def test_a_double_submit_leaves_one_draft_and_it_can_be_issued(
    as_camille, camille, camille_activity, client_qc, sylvie
):
    """The second "whole quote" is refused, so the first can still be issued."""
    quote = accepted_quote(camille, camille_activity, client_qc, sylvie)
    url, body = "/api/v1/invoices/from-quote", {"quote_id": quote.pk, "mode": "whole"}
    first = as_camille.post(url, body, content_type="application/json")
    second = as_camille.post(url, body, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 409)
    issued = services.invoice_issue(invoice=Invoice.objects.get(), acting_user=sylvie)
    assert issued.number
