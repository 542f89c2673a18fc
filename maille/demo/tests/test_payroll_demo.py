"""The demo co-op pays its members: records, a posted run with its bank file, requests waiting."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from maille.ledger.selectors import ledger_problems
from maille.members.models import Member, MemberStatus
from maille.payroll.models import (
    BankFile,
    EmploymentRecord,
    PayRun,
    Payslip,
    RequestStatus,
    RunStatus,
    SalaryRequest,
)

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_posted_run_and_requests_waiting(capsys):
    call_command("demo")
    active = Member.objects.filter(status=MemberStatus.ACTIVE).count()
    assert EmploymentRecord.objects.count() == active
    # Two posted runs: one of the last fiscal year (the ristournes' basis),
    # the recent one with its bank file.
    earlier, run = PayRun.objects.filter(status=RunStatus.POSTED).order_by("pay_date")
    assert not BankFile.objects.filter(run=earlier).exists()
    assert Payslip.objects.filter(run=earlier).count() == active
    assert Payslip.objects.filter(run=run).count() == active
    bank_file = BankFile.objects.get(run=run)
    assert bank_file.sent_at is not None
    # The pay of each member, and the expense reimbursements and supplier
    # payments the file carries.
    others = bank_file.expense_claims.count() + bank_file.supplier_payments.count()
    assert bank_file.count == active + others
    waiting = SalaryRequest.objects.filter(status=RequestStatus.APPROVED)
    assert waiting.count() >= 2
    assert {r.pay_date for r in waiting} != {run.pay_date}
    assert ledger_problems() == []
