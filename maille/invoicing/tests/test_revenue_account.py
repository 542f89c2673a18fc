"""An invoice credits ordinary revenue, or the co-op's space income; never an
account only another service posts to (interest, contribution income)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from maille.contracts.tests.helpers import lines
from maille.invoicing import services
from maille.invoicing.models import Invoice
from maille.ledger import accounts

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", [accounts.INTEREST_INCOME, accounts.CONTRIBUTION_INCOME, "9999"])
def test_an_invoice_may_not_credit_another_account(camille, camille_activity, client_qc, code):
    with pytest.raises(ValidationError) as refused:
        services.invoice_create(
            activity=camille_activity,
            client=client_qc,
            acting_user=camille.user,
            lines=lines(("1", "100.00")),
            revenue_account=code,
        )
    assert "revenue_account" in refused.value.message_dict
    assert not Invoice.objects.exists()


@pytest.mark.parametrize("code", ["", accounts.REVENUE, accounts.SPACE_INCOME])
def test_revenue_or_space_income_is_accepted(camille, camille_activity, client_qc, code):
    invoice = services.invoice_create(
        activity=camille_activity,
        client=client_qc,
        acting_user=camille.user,
        lines=lines(("1", "100.00")),
        revenue_account=code,
    )
    assert invoice.revenue_account == code
