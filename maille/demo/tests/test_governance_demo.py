"""The demo co-op governs itself: applications waiting, shares paid in full and
in part, a past annual meeting with minutes and results, an open vote, and the
ristournes simulated for the last year with pay."""

from __future__ import annotations

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
from maille.governance.selectors import ledger_share_figures, register
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
    payslip = Payslip.objects.get(member=subscription.member)
    assert payslip.after_tax_deductions > 0
    payment = ShareMovement.objects.get(payslip=payslip, kind="payment")
    assert payment.amount == payslip.after_tax_deductions and payment.method == "payroll"
    allocation = RistourneAllocation.objects.get()
    assert sum(r.amount for r in allocation.lines.all()) == allocation.ristournes
    assert allocation.lines.count() == Member.objects.filter(membership__isnull=False).count()
    assert ledger_problems() == []
