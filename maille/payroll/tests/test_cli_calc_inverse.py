"""`--budget` and `--net`: the engine's exact inverse on the command line."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from maille.payroll.engine import PayInput, calculate, load_params

pytestmark = pytest.mark.django_db

PARAMS = load_params(2026)


def calc(*args: str) -> Any:
    out = StringIO()
    call_command(
        "payroll", "calc", "--year", "2026", *args, "--json", stdout=out, stderr=StringIO()
    )
    return json.loads(out.getvalue())


def cost(gross: Decimal, periods: int) -> Decimal:
    return calculate(PayInput(periods_per_year=periods, gross=gross), PARAMS).total_cost


@pytest.mark.parametrize(("budget", "periods"), [("3000.00", 26), ("812.37", 52), ("9000", 12)])
def test_the_budget_pays_the_largest_gross_that_fits(budget, periods):
    body = calc("--periods", str(periods), "--budget", budget)
    gross = Decimal(body["gross"])
    assert Decimal(body["total_cost"]) == cost(gross, periods) <= Decimal(budget)
    assert cost(gross + Decimal("0.01"), periods) > Decimal(budget)
    assert body["budget"] == f"{Decimal(budget):.2f}"


def test_a_wished_net_pay_gets_the_smallest_gross_that_pays_it():
    body = calc("--periods", "26", "--net", "1500.00")
    gross = Decimal(body["gross"])
    assert Decimal(body["net"]) >= Decimal("1500.00")
    below = calculate(PayInput(periods_per_year=26, gross=gross - Decimal("0.01")), PARAMS)
    assert below.net < Decimal("1500.00")
    assert body["wished_net"] == "1500.00"
