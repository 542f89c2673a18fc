"""The fund page's "average delay between invoice and salary paid" is what happened:
from the invoice's issue date to the first posted payslip of the advance's
activity on or after the advance — not the date promised. Advances whose salary
is not paid yet are left out (issue 13: transparency for members)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from maille.guarantee.models import Advance
from maille.guarantee.selectors import average_delay_days
from maille.payroll import services as payroll
from maille.payroll.models import Payslip, PayslipStatus, RunKind
from maille.payroll.tests.helpers import calendar

pytestmark = pytest.mark.django_db

# Today is 2026-06-20 (conftest).


def _paid_off_cycle(member, activity, pay_date, asked_on, sylvie) -> None:
    """The member asks for everything available, paid off-cycle on ``pay_date``."""
    payroll.salary_request_create(
        member=member,
        activity=activity,
        basis="all",
        amount=None,
        hours=Decimal("20"),
        kind=RunKind.OFF_CYCLE,
        pay_date=pay_date,
        acting_user=sylvie,
        today=asked_on,
    )
    run = payroll.payrun_prepare(pay_date=pay_date, acting_user=sylvie, kind=RunKind.OFF_CYCLE)
    payroll.payrun_approve(run=run, acting_user=sylvie)
    payroll.payrun_post(run=run, acting_user=sylvie)


def test_the_average_delay_is_the_one_observed(
    issue_accepted,
    camille,
    camille_activity,
    jerome,
    jerome_activity,
    client_qc,
    sylvie,
    as_camille,
    django_assert_num_queries,
):
    calendar()
    assert average_delay_days() is None  # no advance yet

    issue_accepted(camille, camille_activity, client_qc, day=dt.date(2026, 6, 1))  # Monday
    issue_accepted(jerome, jerome_activity, client_qc, day=dt.date(2026, 6, 3))  # Wednesday
    assert average_delay_days() is None  # advanced, no salary paid yet: nothing to show
    # Paid 9 days after issue (Wednesday June 10), and 5 days after (Monday June 8).
    _paid_off_cycle(camille, camille_activity, dt.date(2026, 6, 10), dt.date(2026, 6, 1), sylvie)
    _paid_off_cycle(jerome, jerome_activity, dt.date(2026, 6, 8), dt.date(2026, 6, 3), sylvie)
    assert Payslip.objects.filter(status=PayslipStatus.POSTED).count() == 2
    # Another advance of Camille's activity, issued after its last pay: not paid
    # yet, so it does not count (the June 10 pay came before it).
    late = issue_accepted(camille, camille_activity, client_qc, day=dt.date(2026, 6, 15))
    assert Advance.objects.filter(invoice=late).exists()
    assert Advance.objects.count() == 3

    with django_assert_num_queries(1):
        assert average_delay_days() == Decimal("7.0")
    # As it stood on June 9, before Camille's pay: only Jérôme's 5 days.
    assert average_delay_days(dt.date(2026, 6, 9)) == Decimal("5.0")

    page = as_camille.get(reverse("guarantee:fund")).content.decode()
    assert "7.0" in page or "7,0" in page
    fund = as_camille.get("/api/v1/guarantee/fund").json()
    assert Decimal(fund["average_delay_days"]) == Decimal("7.0")
