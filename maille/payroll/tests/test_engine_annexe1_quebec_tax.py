"""TP-1015.F 2026, annexe 1: Québec tax on regular pay, all 26 periods.

An employee paid 4 000 $ every two weeks, 200 $ to a registered pension plan
each period, TP-1015.3 line 10 = 21 830 $, buying Fonds FTQ (100 $) and
Fondaction (150 $) shares by payroll deduction. The tax changes in periods
19-21 because the QPP maximum is reached (the deduction CSA then holds the
first additional contribution left and the QPP2), and again when the share
purchases stop.

The guide's narrative says the shares are "payables durant les 20 premières
périodes", but its own computation for "les 20e et 21e périodes" still
subtracts both credits and drops them only from period 22: we follow the
computation, which is where the published figures come from.
"""

import dataclasses
from decimal import Decimal

from maille.payroll.engine import PayInput, PayResult, load_params, year_table

PARAMS = load_params(2026)
ANNEXE_1_EMPLOYEE = PayInput(
    periods_per_year=26,
    gross=Decimal("4000.00"),
    pension_contribution=Decimal("200.00"),
    quebec_claim=Decimal("21830"),
    fonds_ftq=Decimal("100.00"),
    fondaction=Decimal("150.00"),
)


def _share_purchases_stop_after_period_21(pay: PayInput) -> PayInput:
    if pay.period > 21:
        return dataclasses.replace(pay, fonds_ftq=Decimal("0"), fondaction=Decimal("0"))
    return pay


def _year() -> list[PayResult]:
    return year_table(ANNEXE_1_EMPLOYEE, PARAMS, adjust=_share_purchases_stop_after_period_21)


def test_the_tax_is_444_51_for_the_first_18_periods():
    assert [r.quebec_tax for r in _year()[:18]] == [Decimal("444.51")] * 18


def test_the_first_period_shows_the_guides_intermediate_figures():
    detail = _year()[0].quebec_detail
    assert detail.worker_deduction == Decimal("55.77")  # H: 1 450 / 26
    assert detail.qpp_additional_on_salary == Decimal("38.65")  # CSA
    assert detail.annual_taxable_income == Decimal("96345.08")  # I
    assert detail.personal_credits == Decimal("21830")  # E
    # Y = 18 305.57 − 2 717 − 3 056.20 − 390 − 585 = 11 557.37 (the guide rounds T × I).
    assert detail.annual_tax.quantize(Decimal("0.01")) == Decimal("11557.37")


def test_the_tax_is_438_32_in_period_19_when_the_qpp_maximum_is_reached():
    period_19 = _year()[18]
    assert period_19.quebec_tax == Decimal("438.32")
    assert period_19.qpp == Decimal("95.94")
    assert period_19.qpp2 == Decimal("56.00")


def test_period_19_csa_follows_the_formula_where_the_guide_prints_one_cent_more():
    # CS = 95.94 × (0.01 / 0.0630) + 56.00 = 71.2286 → 71.23; the annex prints
    # 71.24. Both give I = 95 497.74 or 95 498.00 and the same tax, 438.32.
    detail = _year()[18].quebec_detail
    assert detail.qpp_additional_on_salary == Decimal("71.23")
    assert detail.annual_taxable_income == Decimal("95498.00")


def test_the_tax_is_421_46_in_periods_20_and_21_with_qpp2_only():
    year = _year()
    assert [r.quebec_tax for r in year[19:21]] == [Decimal("421.46")] * 2
    assert [r.quebec_detail.qpp_additional_on_salary for r in year[19:21]] == [
        Decimal("160.00")
    ] * 2
    assert year[19].quebec_detail.annual_taxable_income == Decimal("93189.98")


def test_the_tax_is_481_76_in_period_22_without_share_purchases():
    period_22 = _year()[21]
    assert period_22.quebec_tax == Decimal("481.76")
    assert period_22.quebec_detail.qpp_additional_on_salary == Decimal("40.00")
    assert period_22.quebec_detail.annual_taxable_income == Decimal("96309.98")


def test_the_tax_is_489_36_in_the_last_4_periods():
    year = _year()
    assert [r.quebec_tax for r in year[22:]] == [Decimal("489.36")] * 4
    assert year[25].quebec_detail.annual_taxable_income == Decimal("97349.98")
