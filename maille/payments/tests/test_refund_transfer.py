"""A client's credit refunded by transfer rides in the co-op's next CPA-005 file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine

from maille.ledger import accounts
from maille.ledger.selectors import balance
from maille.payments import selectors, services
from maille.payments.exceptions import PaymentRefused
from maille.payments.models import Refund
from maille.payments.services import AllocationSpec
from maille.payroll import services as payroll
from maille.payroll.bankfile import bank_file_create
from maille.payroll.models import RequestBasis
from maille.payroll.tests.helpers import calendar, fund

pytestmark = pytest.mark.django_db


def _overpaid(operating, issue, camille_activity, client_qc, sylvie):
    invoice = issue(camille_activity, client_qc)  # 1 149,75
    return services.payment_record(
        bank_account=operating,
        client=client_qc,
        date=dt.date(2026, 6, 10),
        amount=D("1500.00"),
        method="transfer",
        acting_user=sylvie,
        allocations=[AllocationSpec(invoice, D("1149.75"))],
    )


def test_a_transfer_refund_needs_the_clients_bank_account(
    operating, issue, camille_activity, client_qc, sylvie
):
    payment = _overpaid(operating, issue, camille_activity, client_qc, sylvie)
    with pytest.raises(PaymentRefused, match=r"815-30001-1234567"):
        services.credit_refund(
            payment=payment, amount=D("350.25"), method="transfer", acting_user=sylvie
        )
    assert not Refund.objects.exists()


def test_a_transfer_refund_is_paid_by_the_next_pay_runs_bank_file(
    operating, issue, camille, camille_activity, client_qc, sylvie
):
    payment = _overpaid(operating, issue, camille_activity, client_qc, sylvie)
    refund = services.credit_refund(
        payment=payment,
        amount=D("350.25"),
        method="transfer",
        payee_account="815-30001-7777777",
        acting_user=sylvie,
    )
    assert refund.payee_name == client_qc.legal_name and refund.bank_file_number is None
    assert selectors.refunds_pending_transfer() == [refund]
    assert balance(account=accounts.CLIENT_CREDITS) == D("0")

    calendar(first_pay_date=dt.date(2026, 6, 25))
    fund(camille_activity, "10000.00")
    camille.bank_account = "815-30001-1111111"
    camille.save()
    with time_machine.travel(dt.datetime(2026, 6, 20, 12, tzinfo=dt.UTC), tick=False):
        payroll.salary_request_create(
            member=camille,
            activity=camille_activity,
            basis=RequestBasis.GROSS,
            amount=D("2000.00"),
            hours=D("70"),
            acting_user=camille.user,
        )
        run = payroll.payrun_prepare(pay_date=dt.date(2026, 6, 25), acting_user=sylvie)
        payroll.payrun_approve(run=run, acting_user=sylvie)
        run = payroll.payrun_post(run=run, acting_user=sylvie)
        bank_file = bank_file_create(run=run, acting_user=sylvie)
    refund.refresh_from_db()
    assert refund.bank_file_number == bank_file.creation_number
    assert bank_file.count == 2
    assert "MAILLEREF" in bank_file.content and "7777777" in bank_file.content
    assert selectors.refunds_pending_transfer() == []
    # Made again, the file is the same and the refund is not paid twice.
    assert bank_file_create(run=run, acting_user=sylvie).content == bank_file.content
