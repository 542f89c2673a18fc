"""Bad inputs are refused with every problem listed, before any calculation."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maille.payroll.engine import (
    EmployerRates,
    PayInput,
    PayrollInputError,
    YearToDate,
    calculate,
    load_params,
)
from maille.payroll.engine.validation import _CHECKS, _obviously_valid

PARAMS = load_params(2026)


def _problems(**fields) -> tuple[str, ...]:
    values = {"periods_per_year": 26, "gross": Decimal("2500.00"), **fields}
    with pytest.raises(PayrollInputError) as error:
        calculate(PayInput(**values), PARAMS)
    return error.value.problems


def test_a_negative_gross_is_refused():
    assert _problems(gross=Decimal("-1.00")) == ("gross must not be negative (got -1.00)",)


def test_pay_periods_outside_the_allowed_set_are_refused():
    (problem,) = _problems(periods_per_year=13)
    assert problem.startswith("periods_per_year must be one of 12, 24, 26, 27, 52, 53")


def test_a_period_beyond_the_number_of_periods_is_refused():
    assert _problems(period=27) == ("period must be between 1 and 26 (got 27)",)


def test_a_float_is_refused_as_money():
    assert _problems(gross=2500.0) == ("gross must be a Decimal (got float)",)


def test_fractions_of_a_cent_are_refused():
    assert _problems(gross=Decimal("2500.005")) == (
        "gross must be in dollars and cents (got 2500.005)",
    )


def test_every_problem_is_reported_at_once():
    problems = _problems(
        periods_per_year=26,
        period=0,
        gross=Decimal("-5"),
        lump_sum=Decimal("NaN"),
        union_dues=Decimal("-3.00"),
        vacation_rate=Decimal("1.5"),
        ytd=YearToDate(qpp=Decimal("5000.00")),
        employer=EmployerRates(cnesst_rate=Decimal("-1")),
    )
    assert len(problems) == 7
    message = "; ".join(problems)
    for word in ("period", "gross", "lump_sum", "union_dues", "vacation_rate"):
        assert word in message
    assert "ytd.qpp (5000.00) exceeds the annual maximum of 4479.30" in message
    assert "employer.cnesst_rate" in message


def test_months_of_employment_must_be_1_to_12():
    assert _problems(months_of_employment=13) == (
        "months_of_employment must be between 1 and 12 (got 13)",
    )


def test_whether_the_training_fund_applies_is_true_or_false():
    employer = EmployerRates(wsdrf_applies=1)
    assert _problems(employer=employer) == ("employer.wsdrf_applies must be True or False",)


def test_a_pension_contribution_larger_than_the_lump_sum_is_refused():
    assert _problems(
        lump_sum=Decimal("100.00"), pension_contribution_on_lump_sum=Decimal("200.00")
    ) == ("pension_contribution_on_lump_sum must not exceed lump_sum",)


def test_the_error_message_lists_the_problems_for_a_person():
    with pytest.raises(PayrollInputError, match=r"Invalid payroll input: gross must not be"):
        calculate(PayInput(periods_per_year=26, gross=Decimal("-1")), PARAMS)


# Mostly good amounts, so that whole inputs often pass the fast path.
odd_amounts = st.sampled_from(
    [
        *[Decimal("0"), Decimal("12.34"), Decimal("12.340"), Decimal("4479.30")] * 6,
        Decimal("-0.01"),
        Decimal("0.001"),
        Decimal("NaN"),
        Decimal("Infinity"),
        Decimal("1E+40"),
        12.5,
        7,
        None,
    ]
)


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from([12, 26, 53, 13, 0, True, 26.0]),
    st.sampled_from([1, 26, 27, 0, -1, True]),
    st.sampled_from([1, 12, 0, 13]),
    st.lists(odd_amounts, min_size=8, max_size=8),
    st.sampled_from([None, Decimal("0.04"), Decimal("0.045"), Decimal("1"), Decimal("NaN")]),
)
def test_the_fast_path_never_accepts_what_the_full_checks_refuse(p, period, months, amounts, rate):
    gross, lump, pension, claim, ytd_qpp, ytd_ei, payroll, cnesst = amounts
    pay = PayInput(
        periods_per_year=p,
        period=period,
        months_of_employment=months,
        gross=gross,
        lump_sum=lump,
        pension_contribution_on_lump_sum=pension,
        quebec_claim=claim,
        vacation_rate=rate,
        ytd=YearToDate(qpp=ytd_qpp, ei=ytd_ei),
        employer=EmployerRates(total_payroll=payroll, cnesst_rate=cnesst),
    )
    if _obviously_valid(pay, PARAMS):
        assert [problem for check in _CHECKS for problem in check(pay, PARAMS)] == []


def test_an_ordinary_input_takes_the_fast_path():
    assert _obviously_valid(PayInput(periods_per_year=26, gross=Decimal("2500.00")), PARAMS)
