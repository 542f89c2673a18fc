"""Properties that hold for any pay (hypothesis): the engine's invariants.

- net pay never exceeds the pay, and no amount is negative;
- over a whole year no contribution exceeds its annual maximum;
- deductions never decrease when the gross increases (from a fresh year: see
  the documented exception when a maximum is reached mid-year);
- the inverse solvers agree with the forward calculation to the cent.
"""

import dataclasses
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maille.payroll.engine import (
    EmployerRates,
    FssSector,
    PayInput,
    PayResult,
    YearToDate,
    calculate,
    gross_for_budget,
    gross_for_net,
    load_params,
    year_table,
)

PARAMS = load_params(2026)
CENT = Decimal("0.01")
ZERO = Decimal("0")


def money(low: str, high: str) -> st.SearchStrategy[Decimal]:
    cents = st.integers(int(Decimal(low) * 100), int(Decimal(high) * 100))
    return cents.map(lambda c: Decimal(c).scaleb(-2))


periods = st.sampled_from([52, 53, 26, 27, 24, 12])
employers = st.builds(
    EmployerRates,
    total_payroll=money("0", "12000000"),
    fss_sector=st.sampled_from(list(FssSector)),
    cnesst_rate=st.none() | money("0", "8"),
)


@st.composite
def pay_inputs(draw: st.DrawFn, *, lump_sums: bool = True) -> PayInput:
    p = draw(periods)
    return PayInput(
        periods_per_year=p,
        period=draw(st.integers(1, p)),
        gross=draw(money("0", "15000")),
        lump_sum=draw(money("0", "30000")) if lump_sums and draw(st.booleans()) else ZERO,
        pension_contribution=draw(money("0", "300")),
        union_dues=draw(money("0", "60")),
        fonds_ftq=draw(money("0", "100")),
        fondaction=draw(money("0", "100")),
        federal_claim=draw(st.none() | money("0", "40000")),
        quebec_claim=draw(st.none() | money("0", "40000")),
        months_of_employment=draw(st.integers(1, 12)),
        vacation_rate=draw(st.sampled_from([None, Decimal("0.04"), Decimal("0.06"), ZERO])),
        employer=draw(employers),
    )


@st.composite
def mid_year_inputs(draw: st.DrawFn) -> PayInput:
    """An input whose year-to-date comes from the previous periods of a real year."""
    pay = draw(pay_inputs(lump_sums=False))
    earlier = dataclasses.replace(pay, period=1, gross=draw(money("0", "12000")))
    table = year_table(earlier, PARAMS) if pay.period > 1 else []
    ytd = table[pay.period - 2].ytd if table else YearToDate()
    return dataclasses.replace(pay, ytd=ytd)


def _amounts(result: PayResult) -> list[Decimal]:
    flat = result.as_dict()
    employer = flat.pop("employer")
    assert isinstance(employer, dict)
    return [*(v for v in flat.values() if isinstance(v, Decimal)), *employer.values()]


@settings(max_examples=300, deadline=None)
@given(pay_inputs())
def test_net_pay_never_exceeds_the_pay_and_no_amount_is_negative(pay):
    result = calculate(pay, PARAMS)
    assert result.net <= result.gross + result.lump_sum
    assert all(amount >= 0 for amount in _amounts(result) if amount is not result.net)
    assert result.total_cost >= result.gross + result.lump_sum + result.vacation_pay


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pay_inputs(),
    st.lists(money("0", "12000"), min_size=53, max_size=53),
    st.lists(st.sampled_from([ZERO, ZERO, ZERO, Decimal("2500.00")]), min_size=53, max_size=53),
)
def test_over_a_whole_year_no_contribution_exceeds_its_annual_maximum(pay, grosses, bonuses):
    def vary(period_pay: PayInput) -> PayInput:
        i = period_pay.period - 1
        return dataclasses.replace(period_pay, gross=grosses[i], lump_sum=bonuses[i])

    start = dataclasses.replace(pay, period=1, lump_sum=ZERO)
    year = year_table(start, PARAMS, adjust=vary)
    ytd = year[-1].ytd
    maxima = PARAMS.qpp_maxima[pay.months_of_employment]
    assert ytd.qpp <= maxima.contribution
    assert ytd.qpp2 <= maxima.second_additional
    assert ytd.ei <= Decimal("895.70")
    assert ytd.qpip <= Decimal("442.90")
    assert ytd.qpip_employer <= Decimal("620.06")
    assert sum((r.employer.ei for r in year), ZERO) <= Decimal("1253.98")
    assert sum((r.employer.cnt for r in year), ZERO) <= Decimal("61.80")
    cnesst_rate = pay.employer.cnesst_rate
    if cnesst_rate is None:
        cnesst_rate = Decimal("1.54")
    cnesst_max = (cnesst_rate * Decimal("1030")).quantize(CENT)
    assert sum((r.employer.cnesst for r in year), ZERO) <= cnesst_max


@settings(max_examples=300, deadline=None)
@given(pay_inputs(lump_sums=False), money("0.01", "5000"))
def test_contributions_and_cost_never_decrease_when_the_gross_increases(pay, raise_by):
    pay = dataclasses.replace(pay, period=1)
    lower = calculate(pay, PARAMS)
    higher = calculate(dataclasses.replace(pay, gross=pay.gross + raise_by), PARAMS)
    for name in ("qpp", "qpp2", "ei", "qpip"):
        assert getattr(higher, name) >= getattr(lower, name)
    assert higher.total_cost >= lower.total_cost + raise_by


@settings(max_examples=300, deadline=None)
@given(pay_inputs(lump_sums=False), money("1.00", "5000"))
def test_deductions_never_decrease_when_the_gross_increases_by_a_dollar_or_more(pay, raise_by):
    # Below a dollar, separately rounded figures (H, CSA, each tax) can trade a cent.
    pay = dataclasses.replace(pay, period=1)
    lower = calculate(pay, PARAMS)
    higher = calculate(dataclasses.replace(pay, gross=pay.gross + raise_by), PARAMS)
    assert higher.employee_deductions >= lower.employee_deductions
    assert higher.federal_tax >= lower.federal_tax
    assert higher.quebec_tax >= lower.quebec_tax


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mid_year_inputs(), money("0", "25000"))
def test_the_gross_for_a_budget_is_the_last_cent_that_fits(pay, budget):
    result = gross_for_budget(budget, pay, PARAMS)
    above = calculate(dataclasses.replace(pay, gross=result.gross + CENT), PARAMS)
    assert result.total_cost <= budget < above.total_cost
    assert result == calculate(dataclasses.replace(pay, gross=result.gross), PARAMS)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mid_year_inputs(), money("0", "12000"))
def test_the_gross_for_a_net_pay_is_the_first_cent_that_reaches_it(pay, wished):
    result = gross_for_net(wished, pay, PARAMS)
    assert result.net >= wished
    if result.gross > 0:
        below = calculate(dataclasses.replace(pay, gross=result.gross - CENT), PARAMS)
        assert below.net < wished
