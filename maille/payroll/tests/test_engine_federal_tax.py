"""Federal tax for Québec employees (T4127 Jan 2026, option 1), derived by hand.

Each expected figure is the formula of the guide written out with the
numbers of the case, not a value copied from the engine.
"""

import dataclasses
from decimal import ROUND_HALF_UP, Decimal

from maille.payroll.engine import PayInput, YearToDate, calculate, load_params

PARAMS = load_params(2026)
CENT = Decimal("0.01")
SHARE = Decimal("0.0530") / Decimal("0.0630")  # QPP base share, not rounded


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def test_biweekly_2500_with_basic_claims_withholds_201_29():
    result = calculate(PayInput(periods_per_year=26, gross=Decimal("2500.00")), PARAMS)
    c = cents(Decimal("0.0630") * (Decimal("2500") - Decimal("134.61")))  # 149.02
    f5a = cents(c * Decimal("0.01") / Decimal("0.0630"))  # 23.65
    a = 26 * (Decimal("2500") - f5a)  # 64 385.10
    k1 = Decimal("0.14") * 16452
    k2q = Decimal("0.14") * (
        26 * c * SHARE + 26 * Decimal("32.50") + 26 * Decimal("2500") * Decimal("0.0043")
    )
    k4 = Decimal("0.14") * 1501
    t3 = Decimal("0.205") * a - 3804 - k1 - k2q - k4
    t1 = t3 - Decimal("0.165") * t3
    assert (c, f5a, a) == (Decimal("149.02"), Decimal("23.65"), Decimal("64385.10"))
    assert result.federal_detail.annual_taxable_income == a
    assert result.federal_tax == cents(t1 / 26) == Decimal("201.29")


def test_monthly_5000_withholds_by_the_formula():
    result = calculate(PayInput(periods_per_year=12, gross=Decimal("5000.00")), PARAMS)
    c = cents(Decimal("0.0630") * (Decimal("5000") - Decimal("291.66")))  # 296.63
    f5a = cents(c * Decimal("0.01") / Decimal("0.0630"))  # 47.08
    a = 12 * (Decimal("5000") - f5a)  # 59 435.04: 20.5 % bracket
    k2q = Decimal("0.14") * (
        12 * c * SHARE + 12 * Decimal("65.00") + 12 * Decimal("5000") * Decimal("0.0043")
    )
    t3 = Decimal("0.205") * a - 3804 - Decimal("0.14") * 16452 - k2q - Decimal("0.14") * 1501
    assert result.federal_tax == cents(t3 * Decimal("0.835") / 12)


def test_a_high_income_reduces_the_basic_personal_amount_and_caps_the_credits():
    result = calculate(PayInput(periods_per_year=26, gross=Decimal("9000.00")), PARAMS)
    c = cents(Decimal("0.0630") * (Decimal("9000") - Decimal("134.61")))  # 558.52
    a = 26 * (Decimal("9000") - cents(c / Decimal("6.3")))
    bpaf = cents(16452 - (a - 181440) * (Decimal("1623") / Decimal("77042")))
    detail = result.federal_detail
    assert detail.annual_taxable_income == a
    assert detail.claim == bpaf
    assert 14829 < bpaf < 16452
    # P × C, P × EI and P × IE × 0.0043 all exceed their maxima: the maxima are used.
    assert detail.contribution_credits == Decimal("0.14") * (
        Decimal("3768.30") + Decimal("895.70") + Decimal("442.90")
    )


def test_a_td1_claim_replaces_the_basic_personal_amount():
    pay = PayInput(periods_per_year=26, gross=Decimal("2500.00"), federal_claim=Decimal("20000"))
    detail = calculate(pay, PARAMS).federal_detail
    assert detail.personal_credit == Decimal("0.14") * 20000


def test_claim_code_0_gives_no_personal_credit():
    pay = PayInput(periods_per_year=26, gross=Decimal("2500.00"), federal_claim=Decimal("0"))
    basic = calculate(PayInput(periods_per_year=26, gross=Decimal("2500.00")), PARAMS)
    # Same bracket: the tax rises by 0.835 × 0.14 × 16 452 / 26 a period.
    expected = Decimal("0.835") * Decimal("0.14") * 16452 / 26
    assert abs(calculate(pay, PARAMS).federal_tax - basic.federal_tax - expected) <= CENT


def test_labour_fund_shares_give_at_most_750_a_year():
    pay = PayInput(
        periods_per_year=26,
        gross=Decimal("4000.00"),
        pension_contribution=Decimal("200.00"),
        fonds_ftq=Decimal("100.00"),
        fondaction=Decimal("150.00"),
    )
    detail = calculate(pay, PARAMS).federal_detail
    # 0.15 × 26 × 250 = 975, limited to 750; then the 16.5 % abatement on T3.
    assert detail.annual_tax == detail.basic_tax - 750 - Decimal("0.165") * detail.basic_tax


def test_union_dues_reduce_federal_but_not_quebec_taxable_income():
    plain = calculate(PayInput(periods_per_year=26, gross=Decimal("2500.00")), PARAMS)
    union = calculate(
        PayInput(periods_per_year=26, gross=Decimal("2500.00"), union_dues=Decimal("40.00")),
        PARAMS,
    )
    fed_plain, fed_union = plain.federal_detail, union.federal_detail
    assert fed_plain.annual_taxable_income - fed_union.annual_taxable_income == 26 * 40
    assert union.quebec_detail == plain.quebec_detail
    assert union.net == plain.net - Decimal("40.00") + (plain.federal_tax - union.federal_tax)


def test_additional_tax_asked_on_the_td1_is_added_to_the_period():
    plain = calculate(PayInput(periods_per_year=26, gross=Decimal("2500.00")), PARAMS)
    extra = calculate(
        PayInput(
            periods_per_year=26, gross=Decimal("2500.00"), additional_federal_tax=Decimal("25.00")
        ),
        PARAMS,
    )
    assert extra.federal_tax == plain.federal_tax + Decimal("25.00")


def test_tax_on_the_annexe_2_retroactive_pay_is_the_difference_of_two_annual_taxes():
    # Weekly 1 500 $, pension 100 $, period 20: retro 4 000 $ with 400 $ to the pension plan.
    weekly = Decimal("1500")
    c_regular = cents(Decimal("0.0630") * (weekly - Decimal("67.30")))  # 90.26
    ytd = YearToDate(
        earnings=19 * weekly,
        qpp_earnings=19 * weekly,
        qpp=19 * c_regular,
        ei=19 * Decimal("19.50"),
        qpip=19 * Decimal("6.45"),
        qpip_employer=19 * Decimal("9.03"),
    )
    pay = PayInput(
        periods_per_year=52,
        period=20,
        gross=Decimal("1500.00"),
        pension_contribution=Decimal("100.00"),
        lump_sum=Decimal("4000.00"),
        pension_contribution_on_lump_sum=Decimal("400.00"),
        ytd=ytd,
    )
    result = calculate(pay, PARAMS)
    f5b = Decimal("39.51")  # = CSB
    # Both annual incomes are in the 20.5 % bracket; the QPP and EI credit bases
    # are at their maxima either way; only the QPIP base grows with the retro pay.
    qpip_credit = Decimal("0.14") * Decimal("4000") * Decimal("0.0043")
    expected = Decimal("0.835") * (Decimal("0.205") * (4000 - 400 - f5b) - qpip_credit)
    assert result.federal_tax_on_lump_sum == cents(expected) == Decimal("607.46")


def test_a_bonus_on_a_small_annual_income_is_taxed_at_10_percent_federally():
    pay = PayInput(periods_per_year=52, gross=Decimal("50.00"), lump_sum=Decimal("1000.00"))
    result = calculate(pay, PARAMS)
    assert result.federal_tax_on_lump_sum == Decimal("100.00")
    # Québec: annual salary + lump sum = 2 600 + 1 000 <= 18 952: 7 %.
    assert result.quebec_tax_on_lump_sum == Decimal("70.00")


def test_a_bonus_barely_changes_the_tax_on_the_regular_pay_of_its_period():
    regular = calculate(PayInput(periods_per_year=26, gross=Decimal("3000.00")), PARAMS)
    bonus = calculate(
        dataclasses.replace(
            PayInput(periods_per_year=26, gross=Decimal("3000.00")), lump_sum=Decimal("5000.00")
        ),
        PARAMS,
    )
    # The regular part only moves through CSA/F5A, which the bonus dilutes.
    regular_part = bonus.federal_tax - bonus.federal_tax_on_lump_sum
    assert abs(regular_part - regular.federal_tax) < Decimal("5")
    assert bonus.federal_tax_on_lump_sum > Decimal("0.10") * 5000


def test_a_bonus_that_reaches_the_qpp_maximum_earns_its_own_contribution_credits():
    # Biweekly 1 000 $ and an 80 000 $ bonus in period 1. With the bonus, QPP
    # and EI reach their maxima (credit bases 3 768.30 and 895.70); without it
    # they do not, and the bases are the annualized regular amounts.
    pay = PayInput(periods_per_year=26, gross=Decimal("1000.00"), lump_sum=Decimal("80000.00"))
    result = calculate(pay, PARAMS)
    # CS = 4 479.30 / 6.3 + 0.04 × (81 000 − 74 600) = 711 + 256 = 967.00
    csa = cents(Decimal("967") * 1000 / 81000)  # 11.94
    csb = cents(Decimal("967") * 80000 / 81000)  # 955.06
    a_without = 26 * (Decimal("1000") - csa)
    a_with = a_without + 80000 - csb
    c_regular = cents(Decimal("0.0630") * (Decimal("1000") - Decimal("134.61")))  # 54.52
    k1, k4 = Decimal("0.14") * 16452, Decimal("0.14") * 1501
    credits_with = Decimal("0.14") * (Decimal("3768.30") + Decimal("895.70") + Decimal("442.90"))
    credits_without = Decimal("0.14") * (
        26 * c_regular * SHARE + 26 * Decimal("13.00") + 26 * 1000 * Decimal("0.0043")
    )
    t3_with = Decimal("0.205") * a_with - 3804 - k1 - credits_with - k4
    t3_without = Decimal("0.14") * a_without - k1 - credits_without - k4
    expected = Decimal("0.835") * (t3_with - t3_without)
    assert (csa, csb) == (Decimal("11.94"), Decimal("955.06"))
    assert result.federal_tax_on_lump_sum == cents(expected)
