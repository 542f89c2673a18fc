"""Accounting stories of the guarantee: advance, settlement, loss absorbed, non-eligible loss."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from maille.budgets.selectors import activity_budget
from maille.guarantee import job, selectors, services
from maille.guarantee.exceptions import GuaranteeInputError
from maille.guarantee.models import Advance
from maille.guarantee.tests.conftest import D
from maille.invoicing.models import InvoiceStatus
from maille.ledger import accounts
from maille.ledger.models import JournalLine
from maille.ledger.selectors import trial_balance
from maille.payments.services import AllocationSpec, payment_record

pytestmark = pytest.mark.django_db


def fund_sum(code):
    total = sum(
        JournalLine.objects.filter(account__code=code, activity__code="FONDS").values_list(
            "amount", flat=True
        ),
        Decimal(0),
    )
    return total


def test_an_accepted_invoice_is_advanced_at_issue_and_in_the_budget_at_once(
    issue_accepted, camille, camille_activity, client_qc
):
    invoice = issue_accepted(camille, camille_activity, client_qc)
    advance = Advance.objects.get(invoice=invoice)
    # 1 000 $ − 6.5 % contribution = 935 $, 100 % advanced.
    assert advance.amount == D("935.00")
    assert fund_sum(accounts.GUARANTEE_ADVANCES) == D("935.00")
    assert activity_budget(camille_activity).available == D("935.00")
    assert selectors.fund_figures().exposure == D("935.00")
    # Issued Monday June 1 2026: the 7th working day is June 10; a regular
    # pay date falls within or it is an off-cycle pay on a bank day.
    assert advance.pay_by <= dt.date(2026, 6, 10)


def test_the_client_pays_half_then_all_the_advance_is_settled(
    issue_accepted, camille, camille_activity, client_qc, operating, sylvie
):
    invoice = issue_accepted(camille, camille_activity, client_qc)
    payment_record(
        bank_account=operating,
        client=client_qc,
        date=dt.date(2026, 6, 10),
        amount=D("574.88"),
        method="transfer",
        acting_user=sylvie,
        allocations=[AllocationSpec(invoice=invoice, amount=D("574.88"))],
    )
    first = job.guarantee_run(on=dt.date(2026, 6, 11))
    assert first.settled == 1
    assert activity_budget(camille_activity).available == D("935.00")
    assert fund_sum(accounts.GUARANTEE_ADVANCES) == D("467.50")
    again = job.guarantee_run(on=dt.date(2026, 6, 11))
    assert (again.advanced, again.settled) == (0, 0)
    payment_record(
        bank_account=operating,
        client=client_qc,
        date=dt.date(2026, 6, 15),
        amount=D("574.87"),
        method="transfer",
        acting_user=sylvie,
        allocations=[AllocationSpec(invoice=invoice, amount=D("574.87"))],
    )
    job.guarantee_run(on=dt.date(2026, 6, 16))
    assert fund_sum(accounts.GUARANTEE_ADVANCES) == D("0.00")
    assert activity_budget(camille_activity).available == D("935.00")
    assert Advance.objects.get(invoice=invoice).closed


def test_a_loss_on_an_advanced_invoice_is_borne_by_the_fund(
    issue_accepted, camille, camille_activity, client_qc, sylvie
):
    invoice = issue_accepted(camille, camille_activity, client_qc)
    loss = services.absorb_loss(
        invoice=invoice, amount=D("1149.75"), acting_user=sylvie, on=dt.date(2026, 6, 30)
    )
    assert loss.eligible
    assert loss.fund_part == D("1000.00")
    assert loss.activity_part == loss.coop_part == 0
    assert loss.tax_adjustment == D("149.75")
    figures = selectors.fund_figures(dt.date(2026, 6, 30))
    assert figures.losses_this_year == D("1000.00")
    assert figures.exposure == D("0.00")
    # The activity keeps what it was paid: its budget stays 935 $.
    assert activity_budget(camille_activity).available == D("935.00")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.WRITTEN_OFF
    assert invoice.amount_written_off == D("1149.75")
    # GST and QST payable back to zero on that invoice; the books balance.
    for code in (accounts.GST_PAYABLE, accounts.QST_PAYABLE, accounts.AR):
        assert (
            sum(
                JournalLine.objects.filter(account__code=code).values_list("amount", flat=True),
                Decimal(0),
            )
            == 0
        )
    tb = trial_balance()
    assert tb.total_debit == tb.total_credit


def test_a_loss_on_a_non_eligible_invoice_falls_on_the_activity(
    issue_plain, camille_activity, client_qc, sylvie, operating
):
    invoice = issue_plain(camille_activity, client_qc)
    assert not Advance.objects.filter(invoice=invoice).exists()
    payment_record(
        bank_account=operating,
        client=client_qc,
        date=dt.date(2026, 6, 10),
        amount=D("500.00"),
        method="transfer",
        acting_user=sylvie,
        allocations=[AllocationSpec(invoice=invoice, amount=D("500.00"))],
    )
    before = activity_budget(camille_activity).available
    assert before == D("406.61")  # 935 × 500 / 1 149.75
    loss = services.absorb_loss(
        invoice=invoice, amount=D("649.75"), acting_user=sylvie, on=dt.date(2026, 6, 30)
    )
    assert not loss.eligible
    assert loss.fund_part == 0
    assert loss.activity_part == D("528.39")
    assert loss.tax_adjustment == D("84.63")
    assert loss.activity_part + loss.coop_part + loss.tax_adjustment == D("649.75")
    assert activity_budget(camille_activity).available == before
    assert selectors.fund_figures(dt.date(2026, 6, 30)).losses_this_year == 0


def test_absorbing_more_than_is_owed_is_refused_and_nothing_is_written(
    issue_accepted, camille, camille_activity, client_qc, sylvie
):
    invoice = issue_accepted(camille, camille_activity, client_qc)
    lines_before = JournalLine.objects.count()
    with pytest.raises(GuaranteeInputError) as exc:
        services.absorb_loss(
            invoice=invoice, amount=D("2000.00"), acting_user=sylvie, on=dt.date(2026, 6, 30)
        )
    assert "amount" in exc.value.problems
    with pytest.raises(GuaranteeInputError):
        services.absorb_loss(
            invoice=invoice, amount=D("-1.00"), acting_user=sylvie, on=dt.date(2026, 6, 30)
        )
    assert JournalLine.objects.count() == lines_before
