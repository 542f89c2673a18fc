"""The simulator's chain: invoice → contribution → budget → pay, and back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from maille.invoicing.models import ContributionPolicy
from maille.payroll.engine import PayInput, calculate, load_params
from maille.payroll.simulator import (
    Basis,
    invoice_covering,
    parse_amount,
    simulate_invoiced,
    simulate_net,
    simulation_year,
)

pytestmark = pytest.mark.django_db

PARAMS = load_params(2026)
CENT = Decimal("0.01")


def test_a_months_invoice_funds_the_largest_pay_its_budget_allows():
    sim = simulate_invoiced(invoiced=Decimal("5000.00"), periods_per_year=26, year=2026)
    assert sim.invoiced == Decimal("2307.69")  # 5 000 × 12 / 26, rounded down
    assert sim.contribution == Decimal("150.00")  # 6.5 %
    assert sim.budget == Decimal("2157.69")
    assert sim.pay.total_cost <= sim.budget
    one_more = calculate(PayInput(periods_per_year=26, gross=sim.pay.gross + CENT), PARAMS)
    assert one_more.total_cost > sim.budget


def test_the_chart_parts_add_up_to_the_invoice_exactly():
    for amount in ("1.00", "777.77", "5000.00", "48000.00"):
        sim = simulate_invoiced(invoiced=Decimal(amount), periods_per_year=26, year=2026)
        segments = sim.segments()
        assert sum(s.amount for s in segments) == sim.invoiced
        assert segments[-1].x + segments[-1].width == 1000


def test_a_contract_is_shared_between_the_pays_it_is_spread_over():
    sim = simulate_invoiced(
        invoiced=Decimal("10000.00"), basis=Basis.CONTRACT, pays=3, periods_per_year=26, year=2026
    )
    assert sim.invoiced == Decimal("3333.33")
    assert sim.pays == 3


@pytest.mark.parametrize("net", ["100.00", "1500.00", "4321.09"])
def test_a_wished_net_pay_gets_the_smallest_invoice_that_covers_its_cost(net):
    sim = simulate_net(net=Decimal(net), periods_per_year=26, year=2026)
    assert sim.pay.net >= Decimal(net)
    assert sim.budget >= sim.pay.total_cost
    smaller = sim.invoiced - CENT
    rate = sim.contribution_rate
    assert smaller - (smaller * rate).quantize(CENT) < sim.pay.total_cost


def test_invoice_covering_with_a_zero_rate_is_the_cost():
    assert invoice_covering(Decimal("123.45"), Decimal(0)) == Decimal("123.45")


def test_without_a_contribution_policy_the_rate_is_the_setting(settings):
    ContributionPolicy.objects.all().delete()
    settings.MAILLE_CONTRIBUTION_RATE = "0.10"
    sim = simulate_invoiced(invoiced=Decimal("1200.00"), periods_per_year=12, year=2026)
    assert sim.contribution == Decimal("120.00")
    settings.MAILLE_CONTRIBUTION_RATE = "1.5"
    with pytest.raises(ImproperlyConfigured):
        simulate_invoiced(invoiced=Decimal("1200.00"), year=2026)


def test_the_year_is_this_year_or_the_last_one_with_parameters():
    import datetime as dt

    assert simulation_year(dt.date(2026, 6, 1)) == 2026
    assert simulation_year(dt.date(2031, 6, 1)) == 2026
    assert simulation_year(dt.date(2020, 6, 1)) == 2026


@pytest.mark.parametrize(
    ("text", "amount"),
    [("2500", "2500"), ("2 500,50 $", "2500.50"), ("2,500.50", "2500.50"), ("2.500,5", "2500.5")],
)
def test_amounts_are_read_as_people_type_them(text, amount):
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["", "abc", "1e3", "NaN", "inf", "1.2.3", "9" * 31])
def test_anything_else_is_not_an_amount(text):
    with pytest.raises(ValueError):
        parse_amount(text)
