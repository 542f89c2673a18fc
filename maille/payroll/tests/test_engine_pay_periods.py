"""Every pay frequency: QPP exemption truncated per period, H capped per period."""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from maille.payroll.engine import PayInput, calculate, load_params

PARAMS = load_params(2026)


@pytest.mark.parametrize(
    ("periods", "exemption"),
    [
        (52, "67.30"),
        (53, "66.03"),
        (26, "134.61"),
        (27, "129.62"),
        (24, "145.83"),
        (12, "291.66"),
    ],
)
def test_the_qpp_exemption_per_period_is_truncated_to_the_cent(periods, exemption):
    # T4127 table 6.1; TP-1015.F p. 40 (3 500 / 52 = 67.3077 → 67.30).
    assert PARAMS.qpp_exemption[periods] == Decimal(exemption)


@pytest.mark.parametrize(
    ("periods", "gross", "qpp"),
    [
        (52, "1000.00", "58.76"),  # 0.063 × 932.70 = 58.7601
        (53, "1000.00", "58.84"),  # 0.063 × 933.97 = 58.8401
        (27, "2000.00", "117.83"),  # 0.063 × 1 870.38 = 117.8339
        (24, "3000.00", "179.81"),  # 0.063 × 2 854.17 = 179.8127
        (12, "5000.00", "296.63"),  # 0.063 × 4 708.34 = 296.6254
    ],
)
def test_qpp_is_withheld_on_pay_above_the_period_exemption(periods, gross, qpp):
    result = calculate(PayInput(periods_per_year=periods, gross=Decimal(gross)), PARAMS)
    assert result.qpp == Decimal(qpp)


@pytest.mark.parametrize(("periods", "cap"), [(52, "27.88"), (53, "27.36"), (27, "53.70")])
def test_the_deduction_for_workers_is_capped_at_1450_over_p(periods, cap):
    result = calculate(PayInput(periods_per_year=periods, gross=Decimal("3000.00")), PARAMS)
    assert result.quebec_detail.worker_deduction == Decimal(cap)


def test_a_small_pay_gets_6_percent_as_deduction_for_workers():
    result = calculate(PayInput(periods_per_year=52, gross=Decimal("300.00")), PARAMS)
    assert result.quebec_detail.worker_deduction == Decimal("18.00")


def test_monthly_quebec_tax_follows_the_formula():
    result = calculate(PayInput(periods_per_year=12, gross=Decimal("5000.00")), PARAMS)
    # CS = 296.63 / 6.3 = 47.08; H = 1 450 / 12 = 120.83; I = 12 × 4 832.09 = 57 985.08
    i = 12 * (Decimal("5000") - Decimal("120.83") - Decimal("47.08"))
    y = Decimal("0.19") * i - 2717 - Decimal("0.14") * 18952
    assert result.quebec_detail.annual_taxable_income == i == Decimal("57985.08")
    assert result.quebec_tax == (y / 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert result.quebec_tax == Decimal("470.57")


def test_a_53rd_weekly_period_is_accepted():
    result = calculate(PayInput(periods_per_year=53, period=53, gross=Decimal("1000.00")), PARAMS)
    assert result.period == 53
