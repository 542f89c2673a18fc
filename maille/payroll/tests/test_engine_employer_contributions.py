"""Employer contributions: QPP, EI × 1.4, QPIP, FSS, CNT, CNESST, WSDRF."""

from decimal import Decimal

import pytest

from maille.payroll.engine import (
    EmployerRates,
    FssSector,
    PayInput,
    calculate,
    fss_rate,
    load_params,
    year_table,
)

PARAMS = load_params(2026)


def _employer(gross: str = "2500.00", **rates) -> PayInput:
    return PayInput(periods_per_year=26, gross=Decimal(gross), employer=EmployerRates(**rates))


def test_a_small_coop_pays_every_employer_contribution_on_biweekly_2500():
    employer = calculate(_employer(), PARAMS).employer
    assert employer.as_dict() == {
        "qpp": Decimal("149.02"),  # equal to the employee's
        "qpp2": Decimal("0.00"),
        "ei": Decimal("45.50"),  # 1.4 × 32.50
        "qpip": Decimal("15.05"),  # 0.602 % × 2 500
        "fss": Decimal("41.25"),  # 1.65 % (payroll <= 1 M$)
        "cnt": Decimal("1.50"),  # 0.06 %
        "cnesst": Decimal("38.50"),  # default 1.54 $ per 100 $ [check]
        "wsdrf": Decimal("0.00"),  # payroll <= 2 M$
    }


@pytest.mark.parametrize(
    ("payroll", "sector", "rate"),
    [
        ("0", FssSector.GENERAL, "1.65"),
        ("1000000", FssSector.GENERAL, "1.65"),
        ("2500000", FssSector.GENERAL, "2.2257"),  # 1.2662 + 0.3838 × 2.5
        ("7800000", FssSector.GENERAL, "4.26"),
        ("20000000", FssSector.GENERAL, "4.26"),
        ("500000", FssSector.PRIMARY_MANUFACTURING, "1.25"),
        ("3000000", FssSector.PRIMARY_MANUFACTURING, "2.1352"),  # 0.8074 + 0.4426 × 3
        ("100000", FssSector.PUBLIC, "4.26"),
    ],
)
def test_the_fss_rate_follows_total_payroll_and_sector(payroll, sector, rate):
    employer = EmployerRates(total_payroll=Decimal(payroll), fss_sector=sector)
    assert fss_rate(PARAMS, employer) == Decimal(rate)


def test_fss_is_the_rate_times_the_pay_rounded_half_up():
    result = calculate(_employer("1234.50", total_payroll=Decimal("2500000")), PARAMS)
    # 2.2257 % × 1 234.50 = 27.476... → 27.48
    assert result.employer.fss == Decimal("27.48")


def test_the_training_fund_applies_above_2_million_of_payroll():
    at_threshold = calculate(_employer(total_payroll=Decimal("2000000")), PARAMS)
    above = calculate(_employer(total_payroll=Decimal("2000000.01")), PARAMS)
    assert at_threshold.employer.wsdrf == Decimal("0.00")
    assert above.employer.wsdrf == Decimal("25.00")


def test_no_training_fund_for_an_employer_that_spends_its_1_percent_on_training():
    trained = calculate(_employer(total_payroll=Decimal("2000000.01"), wsdrf_applies=False), PARAMS)
    assert trained.employer.wsdrf == Decimal("0.00")


def test_the_coops_own_cnesst_rate_overrides_the_default():
    result = calculate(_employer(cnesst_rate=Decimal("0.87")), PARAMS)
    assert result.employer.cnesst == Decimal("21.75")


def test_cnt_and_cnesst_stop_at_103000_of_pay_per_employee():
    # 26 × 4 500 = 117 000 $ a year: CNT 0.06 % × 103 000 = 61.80 for the year.
    year = year_table(PayInput(periods_per_year=26, gross=Decimal("4500.00")), PARAMS)
    assert sum((r.employer.cnt for r in year), Decimal("0")) == Decimal("61.80")
    assert sum((r.employer.cnesst for r in year), Decimal("0")) == Decimal("1586.20")
    assert year[-1].employer.cnt == Decimal("0.00")


def test_annual_contributions_add_up_to_the_annual_amount_without_stray_cents():
    # 0.06 % × 3 961.54 = 2.3769: rounding each period alone would give 26 × 2.38.
    year = year_table(PayInput(periods_per_year=26, gross=Decimal("3961.54")), PARAMS)
    assert sum((r.employer.cnt for r in year), Decimal("0")) == Decimal("61.80")


def test_employer_ei_is_never_more_than_1_4_times_the_maximum_premium():
    # 1.4 × 31.54 = 44.156: rounded per period it would drift above 1 253.98.
    year = year_table(PayInput(periods_per_year=26, gross=Decimal("2426.15")), PARAMS)
    employee = sum((r.ei for r in year), Decimal("0"))
    employer = sum((r.employer.ei for r in year), Decimal("0"))
    assert employer == (Decimal("1.4") * employee).quantize(Decimal("0.01"))
    assert employer <= Decimal("1253.98")
