"""Worked stories: a pay, its bank file sent, a deposit returned, a payslip reversed and
corrected by the next run, source deductions remitted — every balance checked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from maille.budgets.selectors import activity_budget
from maille.ledger import accounts
from maille.ledger.models import JournalLine
from maille.ledger.selectors import ledger_problems
from maille.payroll import services
from maille.payroll.bankfile import bank_file_create, bank_file_mark_sent, payment_return
from maille.payroll.exceptions import PayrollError, RunConflict
from maille.payroll.models import EmploymentRecord, Payslip, PayslipStatus, RequestBasis
from maille.payroll.remittances import (
    CRA_FIGURES,
    RQ_FIGURES,
    remittance_periods,
    remittance_record,
)
from maille.payroll.tests.helpers import calendar, fund

pytestmark = pytest.mark.django_db
ZERO = Decimal("0.00")


def _sum(code, activity=None):
    lines = JournalLine.objects.filter(account__code=code)
    if activity is not None:
        lines = lines.filter(activity=activity)
    return sum((line.amount for line in lines), ZERO)


def _pay(member, activity, staff, pay_date, amount="2000.00"):
    with time_machine.travel(
        dt.datetime.combine(pay_date - dt.timedelta(days=5), dt.time(12), tzinfo=dt.UTC)
    ):
        services.salary_request_create(
            member=member,
            activity=activity,
            basis=RequestBasis.GROSS,
            amount=Decimal(amount),
            hours=Decimal("70"),
            acting_user=member.user,
        )
    run = services.payrun_prepare(pay_date=pay_date, acting_user=staff)
    services.payrun_approve(run=run, acting_user=staff)
    return services.payrun_post(run=run, acting_user=staff)


def test_a_pay_sent_returned_reversed_and_remitted(camille, camille_activity, sylvie):
    calendar()
    fund(camille_activity, "10000.00")
    run = _pay(camille, camille_activity, sylvie, dt.date(2026, 1, 8))
    slip = Payslip.objects.get(run=run)
    # The pay: the activity bears the total cost; the payables hold deductions and net.
    assert _sum(accounts.SALARIES, camille_activity) == slip.gross
    employer = sum(
        (
            getattr(slip, f"employer_{n}")
            for n in ("qpp", "qpp2", "ei", "qpip", "fss", "cnt", "cnesst", "wsdrf")
        ),
        ZERO,
    )
    assert _sum(accounts.EMPLOYER_CONTRIBUTIONS, camille_activity) == employer
    assert _sum(accounts.VACATION_PAY, camille_activity) == (
        slip.vacation_pay + slip.vacation_pay_employer_contributions
    )
    rq = sum((getattr(slip, n) for n in RQ_FIGURES), ZERO)
    cra = sum((getattr(slip, n) for n in CRA_FIGURES), ZERO)
    assert _sum(accounts.QUEBEC_DEDUCTIONS_PAYABLE) == -rq
    assert _sum(accounts.FEDERAL_DEDUCTIONS_PAYABLE) == -cra
    assert _sum(accounts.YEAR_END_EMPLOYER_PAYABLE) == -(slip.employer_cnt + slip.employer_wsdrf)
    assert _sum(accounts.NET_PAY_PAYABLE) == -slip.net
    assert activity_budget(camille_activity).available == Decimal("10000.00") - slip.total_cost

    # The bank file is sent: net pay moves to the bank.
    bank_file = bank_file_create(run=run, acting_user=sylvie)
    assert (
        bank_file_create(run=run, acting_user=sylvie).creation_number == bank_file.creation_number
    )
    bank_file_mark_sent(bank_file=bank_file, acting_user=sylvie)
    with pytest.raises(RunConflict):
        bank_file_mark_sent(bank_file=bank_file, acting_user=sylvie)
    assert _sum(accounts.NET_PAY_PAYABLE) == ZERO
    assert _sum(accounts.BANK) == Decimal("10000.00") - slip.net

    # The bank returns it: payable again, the account flagged, the next file leaves it out.
    payment_return(payslip=slip, reason_code="905", acting_user=sylvie)
    assert _sum(accounts.NET_PAY_PAYABLE) == -slip.net
    assert EmploymentRecord.objects.get(member=camille).bank_account_returned
    with pytest.raises(RunConflict):
        payment_return(payslip=slip, reason_code="905", acting_user=sylvie)

    # A mistake is found: the payslip is reversed; the budget comes back.
    services.payslip_reverse(payslip=slip, acting_user=sylvie, reason="Heures erronées")
    assert activity_budget(camille_activity).available == Decimal("10000.00")
    with pytest.raises(RunConflict):
        services.payslip_reverse(payslip=slip, acting_user=sylvie, reason="encore")

    # The next run's year-to-date no longer counts the reversed payslip.
    run2 = _pay(camille, camille_activity, sylvie, dt.date(2026, 1, 22), amount="2500.00")
    slip2 = Payslip.objects.get(run=run2)
    assert Decimal(slip2.ytd_before["qpp"]) == 0
    assert Decimal(slip2.ytd_before["earnings"]) == 0
    second = bank_file_create(run=run2, acting_user=sylvie)
    assert second.count == 0
    assert second.excluded[0]["member"] == camille.number
    assert second.creation_number == bank_file.creation_number + 1

    # Remittances: what is owed for January is what the posted payslips withheld.
    periods = {p.agency: p for p in remittance_periods(2026)}
    assert periods["rq"].owed == sum((getattr(slip2, n) for n in RQ_FIGURES), ZERO)
    assert periods["rq"].due == dt.date(2026, 2, 16)  # the 15th is a Sunday
    remittance_record(
        agency="rq",
        period_start=dt.date(2026, 1, 1),
        paid_on=dt.date(2026, 2, 10),
        acting_user=sylvie,
    )
    with pytest.raises(RunConflict):
        remittance_record(
            agency="rq",
            period_start=dt.date(2026, 1, 1),
            paid_on=dt.date(2026, 2, 10),
            acting_user=sylvie,
        )
    with pytest.raises(PayrollError):
        remittance_record(
            agency="cra",
            period_start=dt.date(2026, 1, 5),
            paid_on=dt.date(2026, 2, 10),
            acting_user=sylvie,
        )
    assert slip.status == PayslipStatus.REVERSED or Payslip.objects.get(pk=slip.pk).status == (
        PayslipStatus.REVERSED
    )
    assert ledger_problems() == []


def test_pay_posted_after_a_remittance_is_remitted_by_a_second_one(
    camille, camille_activity, jerome, jerome_activity, sylvie, as_sylvie
):
    calendar()
    fund(camille_activity, "10000.00")
    fund(jerome_activity, "10000.00")
    first = Payslip.objects.get(run=_pay(camille, camille_activity, sylvie, dt.date(2026, 1, 8)))
    remittance_record(
        agency="rq",
        period_start=dt.date(2026, 1, 1),
        paid_on=dt.date(2026, 1, 12),
        acting_user=sylvie,
    )
    # A later pay of the same month: the period owes more than was remitted.
    later = Payslip.objects.get(run=_pay(jerome, jerome_activity, sylvie, dt.date(2026, 1, 22)))
    (january,) = [p for p in remittance_periods(2026) if p.agency == "rq"]
    rq = {s.pk: sum((getattr(s, n) for n in RQ_FIGURES), ZERO) for s in (first, later)}
    assert january.owed == rq[first.pk] + rq[later.pk]
    assert january.paid == rq[first.pk]
    assert january.left == rq[later.pk]
    page = as_sylvie.get("/paie/remises/?year=2026").content.decode()
    assert "reste à remettre" in page and page.count('name="period_start"') == 2  # RQ and CRA
    second = remittance_record(
        agency="rq",
        period_start=dt.date(2026, 1, 1),
        paid_on=dt.date(2026, 2, 10),
        acting_user=sylvie,
    )
    assert (second.sequence, second.amount) == (2, rq[later.pk])
    (january,) = [p for p in remittance_periods(2026) if p.agency == "rq"]
    assert january.left == ZERO and [r.sequence for r in january.remittances] == [1, 2]
    assert _sum(accounts.QUEBEC_DEDUCTIONS_PAYABLE) == ZERO  # everything withheld is remitted
    with pytest.raises(RunConflict):
        remittance_record(
            agency="rq",
            period_start=dt.date(2026, 1, 1),
            paid_on=dt.date(2026, 2, 11),
            acting_user=sylvie,
        )
    assert ledger_problems() == []


def test_an_annual_remitter_remits_the_year_by_january_15():
    from maille.payroll.remittances import period_of

    assert period_of("annual", dt.date(2026, 7, 3)) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
        dt.date(2027, 1, 15),
    )
    # January 15, 2028 is a Saturday: the next business day.
    assert period_of("annual", dt.date(2027, 2, 1))[2] == dt.date(2028, 1, 17)


def test_only_revenu_quebec_has_annual_remitters():
    from django.core.exceptions import ValidationError

    from maille.payroll.models import PayrollOperationsSettings

    settings = PayrollOperationsSettings(valid_from=dt.date(2027, 1, 1), cra_remitter_type="annual")
    with pytest.raises(ValidationError) as refused:
        settings.clean()
    assert "cra_remitter_type" in refused.value.message_dict
    PayrollOperationsSettings(valid_from=dt.date(2027, 1, 1), rq_remitter_type="annual").clean()
