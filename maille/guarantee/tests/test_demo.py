"""The demo co-op's fund: covered and uncovered invoices, advances paid by the pay run,
one loss absorbed, a risky client."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from maille.guarantee import risk, selectors
from maille.guarantee.models import Advance, ClientExclusion, Loss
from maille.invoicing.models import Invoice, InvoiceKind
from maille.ledger.selectors import ledger_problems
from maille.payroll.models import Payslip, RunStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reserve():  # the demo posts its own reserve
    return None


def test_the_demo_fund(capsys):
    call_command("demo")
    assert Advance.objects.exists()
    issued = Invoice.objects.filter(kind=InvoiceKind.INVOICE, client__isnull=False).exclude(
        status="draft"
    )
    assert issued.filter(guarantee_advance__isnull=True).exists()  # not covered ones too
    # The fund's loss (collection's demo also writes off an invoice it never covered).
    loss = Loss.objects.get(eligible=True)
    assert loss.fund_part > 0
    client_id = loss.invoice.client_id
    assert client_id is not None
    assert ClientExclusion.objects.filter(client_id=client_id, lifted_on__isnull=True).exists()
    assert risk.client_risks([client_id])[client_id].level == "risky"
    advanced_activities = set(Advance.objects.values_list("activity_id", flat=True))
    paid = Payslip.objects.filter(run__status=RunStatus.POSTED, activity_id__in=advanced_activities)
    assert paid.exists()
    figures = selectors.fund_figures()
    assert figures.losses_this_year == loss.fund_part
    assert ledger_problems() == []
