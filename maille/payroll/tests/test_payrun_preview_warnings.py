"""The run preview warns of every bank account the file will leave out, and a
run with no payslip is not approved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from maille.payroll import bankfile, services
from maille.payroll.bankfile import ExtraCredit, bank_file_provider_register
from maille.payroll.exceptions import PayrollError
from maille.payroll.models import EmploymentRecord, PayRun, RequestBasis, RunStatus
from maille.payroll.tests.helpers import calendar, fund

pytestmark = pytest.mark.django_db


def test_the_preview_warns_of_an_invalid_and_a_returned_bank_account(
    camille, camille_activity, jerome, jerome_activity, sylvie
):
    calendar()
    camille.bank_account = "12-34"  # not institution-transit-account
    camille.save()
    EmploymentRecord.objects.create(member=jerome, bank_account_returned=True)
    with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)):
        for member, activity in ((camille, camille_activity), (jerome, jerome_activity)):
            fund(activity, "4000.00")
            services.salary_request_create(
                member=member,
                activity=activity,
                basis=RequestBasis.GROSS,
                amount=Decimal("2000.00"),
                hours=Decimal("70"),
                acting_user=member.user,
            )
    run = services.payrun_prepare(pay_date=dt.date(2026, 1, 8), acting_user=sylvie)
    warnings = services.payrun_preview(run=run).warnings
    # A preview cut to its first payslips still counts and totals them all.
    whole, first = services.payrun_preview(run=run), services.payrun_preview(run=run, limit=1)
    assert (first.count, len(first.computed), first.totals) == (2, 1, whole.totals)
    (about_camille,) = [w for w in warnings if camille.full_name in w]
    assert "n'est pas valide" in about_camille
    (about_jerome,) = [w for w in warnings if jerome.full_name in w]
    assert "retourné" in about_jerome


def test_a_run_with_no_payslip_is_not_approved(sylvie, as_sylvie, monkeypatch):
    monkeypatch.setattr(bankfile, "_providers", {})  # no expense credit waits either
    calendar()
    run = services.payrun_prepare(pay_date=dt.date(2026, 1, 8), acting_user=sylvie)
    with pytest.raises(PayrollError, match="aucun bulletin"):
        services.payrun_approve(run=run, acting_user=sylvie)
    assert PayRun.objects.get(pk=run.pk).status == RunStatus.DRAFT
    response = as_sylvie.post(f"/api/v1/payroll/runs/{run.pk}/approve")
    assert response.status_code == 422
    assert "2026-01-08" in str(response.json())


def test_a_run_with_no_payslip_but_credits_for_its_bank_file_is_approved(
    camille, sylvie, monkeypatch
):
    """Expense reimbursements, supplier payments and refunds ride in a run's file."""
    monkeypatch.setattr(bankfile, "_providers", {})
    credit = ExtraCredit("expenses:claim:1", camille, Decimal("42.50"), "452", "MAILLEEXP1")

    class _Expenses:
        def credits_due(self, *, run):
            return [credit]

    bank_file_provider_register("expenses", _Expenses())  # type: ignore[arg-type]
    calendar()
    run = services.payrun_prepare(pay_date=dt.date(2026, 1, 8), acting_user=sylvie)
    assert services.payrun_approve(run=run, acting_user=sylvie).status == RunStatus.APPROVED
