"""Issue 10, bug 8: the change history showed English field names, UTC times with
microseconds, unformatted numbers and raw codes (``gst_qst``)."""

from __future__ import annotations

import pytest

from maille.invoicing.tests.test_pages_and_scoping import issued

pytestmark = pytest.mark.django_db


def test_the_history_of_an_invoice_reads_in_french(
    as_sylvie, camille, camille_activity, client_qc, sylvie
):
    invoice = issued(camille, camille_activity, client_qc, sylvie)
    page = as_sylvie.get(f"/invoices/{invoice.pk}/").content.decode()
    history = page[page.index("Historique des modifications") :]
    assert "Régime fiscal : — → TPS et TVQ" in history
    assert "gst_qst" not in history
    assert "1\u00a0149,75" in history or "1 149,75" in history
    assert "Tax regime" not in history and "Year" not in history
    assert "+00:00" not in history and "UTC" not in history
    # no microseconds, no seconds: "29 nov. 2026 11:10"
    import re

    assert not re.search(r"\d\d:\d\d:\d\d", history)
