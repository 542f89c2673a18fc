"""Documents render with a cut-down user-agent stylesheet (``pdf/ua.css``, for
speed: a pay run renders thousands of payslips); they must look exactly as
with WeasyPrint's own sheet."""

from __future__ import annotations

import pytest

from maille.contracts.documents import quote_pdf
from maille.contracts.tests.helpers import (
    assert_same_layout_with_weasyprint_sheet,
    draft_quote,
    lines,
)
from maille.invoicing import services
from maille.invoicing.documents import invoice_pdf

pytestmark = pytest.mark.django_db


def test_a_quote_looks_the_same(monkeypatch, camille, camille_activity, client_qc):
    quote = draft_quote(camille, camille_activity, client_qc, ("10", "100.00"), ("2", "45.50"))
    assert_same_layout_with_weasyprint_sheet(monkeypatch, lambda: quote_pdf(quote))


def test_an_invoice_looks_the_same(monkeypatch, camille, camille_activity, client_qc, sylvie):
    draft = services.invoice_create(
        activity=camille_activity,
        client=client_qc,
        acting_user=camille.user,
        lines=lines(("10", "100.00"), ("1", "12.34")),
    )
    invoice = services.invoice_issue(invoice=draft, acting_user=sylvie)
    assert_same_layout_with_weasyprint_sheet(
        monkeypatch, lambda: invoice_pdf(invoice, facturx=False)
    )
