"""Bad inputs are refused with every problem listed, before any calculation."""

from decimal import Decimal

import pytest

from maille.payroll.engine import (
    EmployerRates,
    PayInput,
    PayrollInputError,
    YearToDate,
    calculate,
    load_params,
)

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


def test_a_pension_contribution_larger_than_the_lump_sum_is_refused():
    assert _problems(
        lump_sum=Decimal("100.00"), pension_contribution_on_lump_sum=Decimal("200.00")
    ) == ("pension_contribution_on_lump_sum must not exceed lump_sum",)


def test_the_error_message_lists_the_problems_for_a_person():
    with pytest.raises(PayrollInputError, match=r"Invalid payroll input: gross must not be"):
        calculate(PayInput(periods_per_year=26, gross=Decimal("-1")), PARAMS)
