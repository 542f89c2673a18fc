"""TP-1015.F 2026, annexe 2: Québec tax on a retroactive payment (second method).

An employee paid 1 500 $ a week, 100 $ to a pension plan, receives 4 000 $ of
retroactive pay in period 20; the pension contribution that period is 500 $,
400 $ of which come from the retroactive pay.
"""

import dataclasses
from decimal import Decimal

from maille.payroll.engine import PayInput, PayResult, load_params, year_table

PARAMS = load_params(2026)
ANNEXE_2_EMPLOYEE = PayInput(
    periods_per_year=52,
    gross=Decimal("1500.00"),
    pension_contribution=Decimal("100.00"),
)


def _retro_in_period_20(pay: PayInput) -> PayInput:
    if pay.period == 20:
        return dataclasses.replace(
            pay, lump_sum=Decimal("4000.00"), pension_contribution_on_lump_sum=Decimal("400.00")
        )
    return pay


def _period_20(employee: PayInput = ANNEXE_2_EMPLOYEE) -> PayResult:
    return year_table(employee, PARAMS, adjust=_retro_in_period_20)[19]


def test_the_tax_on_the_retroactive_pay_is_676_49():
    assert _period_20().quebec_tax_on_lump_sum == Decimal("676.49")


def test_the_guides_intermediate_figures_are_reproduced():
    detail = _period_20().quebec_detail
    assert detail.worker_deduction == Decimal("27.88")  # 1 450 / 52
    assert detail.qpp_additional_on_salary == Decimal("14.82")  # CSA
    assert detail.qpp_additional_on_lump_sum == Decimal("39.51")  # CSB


def test_the_period_total_is_831_38_when_the_salary_withholding_is_154_89():
    # The guide takes the 154.89 $ withheld on the salary as given without
    # stating the TP-1015.3 claim; line 10 = 18 849 $ reproduces it in period 20.
    employee = dataclasses.replace(ANNEXE_2_EMPLOYEE, quebec_claim=Decimal("18849"))
    period_20 = _period_20(employee)
    assert period_20.quebec_tax - period_20.quebec_tax_on_lump_sum == Decimal("154.89")
    assert period_20.quebec_tax == Decimal("831.38")


def test_the_retroactive_pay_is_added_to_qpp_earnings_with_one_exemption():
    # 0.0630 × (5 500 − 67.30) = 342.26
    assert _period_20().qpp == Decimal("342.26")
