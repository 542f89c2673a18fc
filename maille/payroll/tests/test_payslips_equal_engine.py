"""Each payslip equals the engine (and ``maille payroll calc``) for the same inputs and
year-to-date: members drawn at random, two runs so the year-to-date matters."""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from maille.payroll import services
from maille.payroll.engine import calculate, load_params
from maille.payroll.models import EmploymentRecord, Payslip, RequestBasis
from maille.payroll.pay import pay_input_from_json, result_fields
from maille.payroll.payslips import payslip_data
from maille.payroll.tests.helpers import calendar, fund
from maille.tests_support import factories

pytestmark = pytest.mark.django_db

DATES = (dt.date(2026, 1, 8), dt.date(2026, 1, 22))


def _money(rng, low, high):
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def test_random_members(sylvie):
    rng = random.Random(20260108)
    calendar()
    members = []
    for _ in range(25):
        member = factories.MemberFactory(
            employment_start=dt.date(rng.choice([2019, 2024, 2025]), rng.randint(1, 12), 1)
        )
        activity = factories.ActivityFactory(owners=[member])
        fund(activity, str(_money(rng, 3000, 30000)))
        EmploymentRecord.objects.create(
            member=member,
            federal_claim=rng.choice([None, Decimal("16452.00"), _money(rng, 16452, 30000)]),
            quebec_claim=rng.choice([None, Decimal("18952.00"), _money(rng, 18952, 40000)]),
            union_dues=rng.choice([Decimal(0), _money(rng, 5, 40)]),
            pension_contribution=rng.choice([Decimal(0), _money(rng, 10, 200)]),
            fonds_ftq=rng.choice([Decimal(0), Decimal("25.00")]),
        )
        members.append((member, activity))
    for pay_date in DATES:
        with time_machine.travel(
            dt.datetime.combine(pay_date - dt.timedelta(days=5), dt.time(12), tzinfo=dt.UTC)
        ):
            for member, activity in members:
                basis = rng.choice([RequestBasis.GROSS, RequestBasis.NET, RequestBasis.COST])
                amount = {
                    RequestBasis.GROSS: _money(rng, 900, 6000),
                    RequestBasis.NET: _money(rng, 800, 3000),
                    RequestBasis.COST: _money(rng, 1200, 5000),
                }[basis]
                services.salary_request_create(
                    member=member,
                    activity=activity,
                    basis=basis,
                    amount=amount,
                    hours=Decimal("40"),
                    acting_user=sylvie,
                    exception_reason="budget of the test drawn at random",
                )
        run = services.payrun_prepare(pay_date=pay_date, acting_user=sylvie)
        services.payrun_approve(run=run, acting_user=sylvie)
        services.payrun_post(run=run, acting_user=sylvie)
    params = load_params(2026)
    payslips = list(Payslip.objects.select_related("run", "member", "activity"))
    assert len(payslips) == 50
    for payslip in payslips:
        result = calculate(pay_input_from_json(payslip.inputs, payslip.ytd_before), params)
        for name, value in result_fields(result).items():
            assert getattr(payslip, name) == value, (payslip.pk, name)
    # And through the command line, for a few of the second run (year-to-date given).
    for payslip in [p for p in payslips if p.pay_date == DATES[1]][:5]:
        inputs, ytd = payslip.inputs, payslip.ytd_before
        args = [
            "calc",
            "--json",
            "--pay-date",
            payslip.pay_date.isoformat(),
            "--periods",
            str(inputs["periods_per_year"]),
            "--period-number",
            str(inputs["period"]),
            "--gross",
            inputs["gross"],
            "--vacation-rate",
            str(Decimal(inputs["vacation_rate"]) * 100),
            "--rpp",
            inputs["pension_contribution"],
            "--union-dues",
            inputs["union_dues"],
            "--ftq",
            inputs["fonds_ftq"],
            "--ytd-qpp",
            ytd["qpp"],
            "--ytd-qpp2",
            ytd["qpp2"],
            "--ytd-ei",
            ytd["ei"],
            "--ytd-qpip",
            ytd["qpip"],
            "--ytd-qpip-employer",
            ytd["qpip_employer"],
            "--ytd-earnings",
            ytd["earnings"],
            "--ytd-pensionable",
            ytd["qpp_earnings"],
        ]
        if inputs["vacation_paid"]:
            args.append("--vacation-paid")
        if inputs["federal_claim"] is not None:
            args += ["--td1", inputs["federal_claim"]]
        if inputs["quebec_claim"] is not None:
            args += ["--tp10153", inputs["quebec_claim"]]
        out = StringIO()
        call_command("payroll", *args, stdout=out, stderr=StringIO())
        cli = json.loads(out.getvalue())
        api = payslip_data(payslip)
        for key in ("gross", "qpp", "qpp2", "ei", "qpip", "federal_tax", "quebec_tax", "net"):
            assert cli[key] == api[key], (payslip.pk, key)
        assert cli["employer"] == api["employer"]
        assert cli["total_cost"] == api["total_cost"]
