"""The demo co-op governs itself: applications waiting, shares paid in full and
in part, a past annual meeting with minutes and results, an open vote, and the
ristournes simulated for the last fiscal year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from maille.governance.models import (
    Application,
    ApplicationStatus,
    Ballot,
    Meeting,
    MeetingStatus,
    RistourneAllocation,
    ShareMovement,
)
from maille.governance.selectors import (
    fiscal_year_bounds,
    last_fiscal_year_end,
    ledger_share_figures,
    register,
)
from maille.ledger.selectors import ledger_problems
from maille.members.models import Member
from maille.payroll.models import Payslip

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_co_ops_governance(capsys, sylvie):
    call_command("demo")
    pending = Application.objects.exclude(
        status__in=[ApplicationStatus.ADMITTED, ApplicationStatus.REFUSED]
    )
    assert pending.count() == 2
    rows = register(user=sylvie)
    owing = sorted(r.figures.owing for r in rows)
    assert owing[0] == 0 and owing[-1] > 0  # fully and partly paid
    for r in rows:
        capital, receivable = ledger_share_figures(r.member)
        assert capital == r.figures.held * 10 and receivable == r.figures.owing
    meeting = Meeting.objects.get(status=MeetingStatus.HELD)
    assert meeting.minutes and meeting.quorum_met
    assert Ballot.objects.filter(meeting=meeting, counted_at__isnull=False).exists()
    assert Ballot.objects.filter(counted_at__isnull=True).count() == 1
    # Jérôme pays his shares by deductions from pay: the demo's pay run withheld
    # his instalment, after tax, and recorded it as a payment on his shares.
    [subscription] = ShareMovement.objects.filter(method="payroll", kind="subscription")
    payslip = Payslip.objects.filter(member=subscription.member).latest("pay_date")
    assert payslip.after_tax_deductions > 0
    payment = ShareMovement.objects.get(payslip=payslip, kind="payment")
    assert payment.amount == payslip.after_tax_deductions and payment.method == "payroll"
    # The ristournes of the last fiscal year ended (the by-laws' year ends in
    # March), not of the year under way, on the salaries paid in it.
    allocation = RistourneAllocation.objects.get()
    year_end = last_fiscal_year_end()
    assert year_end.month == 3 and allocation.fiscal_year == year_end.year
    assert meeting.fiscal_year_end == dt.date(2026, 3, 31)
    start, end = fiscal_year_bounds(allocation.fiscal_year)
    for line in allocation.lines.all():
        paid = Payslip.objects.filter(member=line.member, pay_date__range=(start, end))
        assert line.basis == sum(p.gross for p in paid) > 0
    assert sum(r.amount for r in allocation.lines.all()) == allocation.ristournes
    assert allocation.lines.count() == Member.objects.filter(membership__isnull=False).count()
    assert ledger_problems() == []
