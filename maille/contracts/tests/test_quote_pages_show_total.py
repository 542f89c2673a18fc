"""Issue 10: quote pages (member, staff, the client's link) show taxes and the
total, not only the subtotal: the client accepts the amount they will pay."""

from __future__ import annotations

import pytest

from maille.contracts.services import quote_link_token
from maille.contracts.tests.helpers import draft_quote, sent_quote

pytestmark = pytest.mark.django_db


def _has_totals(page: str) -> None:
    assert "TPS (5\u00a0%)" in page and "TVQ (9,975\u00a0%)" in page
    assert "1\u00a0149,75\u00a0$" in page


def test_member_and_staff_pages_show_the_total(
    as_camille, as_sylvie, camille, camille_activity, client_qc
):
    quote = draft_quote(camille, camille_activity, client_qc)
    _has_totals(as_camille.get(f"/quotes/{quote.pk}/").content.decode())
    _has_totals(as_sylvie.get(f"/quotes/{quote.pk}/").content.decode())


def test_the_clients_link_shows_the_total(client, camille, camille_activity, client_qc, sylvie):
    quote = sent_quote(camille, camille_activity, client_qc, sylvie)
    _has_totals(client.get(f"/q/{quote_link_token(quote)}/").content.decode())
