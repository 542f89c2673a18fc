"""The payslip shows each deduction on its own line (LNT s. 46) and, for
information, the income taxes and net pay of the year to date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.template.loader import render_to_string
from django.utils import translation

from maille.payroll import services
from maille.payroll.models import EmploymentRecord, Payslip, RequestBasis
from maille.payroll.pdf import payslip_context
from maille.payroll.tests.helpers import calendar, fund

pytestmark = pytest.mark.django_db


def _pay(member, activity, sylvie, pay_date):
    with time_machine.travel(
        dt.datetime.combine(pay_date - dt.timedelta(days=3), dt.time(12), tzinfo=dt.UTC)
    ):
        services.salary_request_create(
            member=member,
            activity=activity,
            basis=RequestBasis.GROSS,
            amount=Decimal("2000.00"),
            hours=Decimal("70"),
            acting_user=member.user,
        )
    run = services.payrun_prepare(pay_date=pay_date, acting_user=sylvie)
    services.payrun_approve(run=run, acting_user=sylvie)
    services.payrun_post(run=run, acting_user=sylvie)
    return Payslip.objects.get(run=run)


def test_each_deduction_on_its_line_and_taxes_and_net_to_date(camille, camille_activity, sylvie):
    calendar()
    fund(camille_activity, "20000.00")
    EmploymentRecord.objects.create(
        member=camille,
        union_dues=Decimal("25.00"),
        fonds_ftq=Decimal("40.00"),
        fondaction=Decimal("15.00"),
        pension_contribution=Decimal("60.00"),
    )
    first = _pay(camille, camille_activity, sylvie, dt.date(2026, 1, 8))
    second = _pay(camille, camille_activity, sylvie, dt.date(2026, 1, 22))
    context = payslip_context(second)
    assert context["other_lines"] == [
        ("union_dues", Decimal("25.00")),
        ("fonds_ftq", Decimal("40.00")),
        ("fondaction", Decimal("15.00")),
        ("pension_contribution", Decimal("60.00")),
    ]
    assert second.other_deductions == Decimal("140.00")
    assert context["ytd_paid"] == {
        "federal_tax": first.federal_tax + second.federal_tax,
        "quebec_tax": first.quebec_tax + second.quebec_tax,
        "net": first.net + second.net,
    }
    for language, labels in (
        ("fr", ["Cotisation syndicale", "Fonds de solidarité FTQ", "Fondaction", "REER"]),
        ("en", ["Union dues", "Fonds de solidarité FTQ", "Fondaction", "RRSP"]),
    ):
        with translation.override(language):
            html = render_to_string("payroll/pdf/payslip.html", payslip_context(second))
        for label in labels:
            assert label in html, (language, label)
        assert "(union dues, labour funds, RRSP)" not in html


def test_the_payslip_looks_as_with_weasyprint_own_sheet(
    monkeypatch, camille, camille_activity, sylvie
):
    from maille.contracts.tests.helpers import assert_same_layout_with_weasyprint_sheet
    from maille.payroll.pdf import payslip_pdf

    calendar()
    fund(camille_activity, "20000.00")
    EmploymentRecord.objects.create(member=camille, union_dues=Decimal("25.00"))
    payslip = _pay(camille, camille_activity, sylvie, dt.date(2026, 1, 8))
    assert_same_layout_with_weasyprint_sheet(monkeypatch, lambda: payslip_pdf(payslip))
