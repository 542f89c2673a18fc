"""Annual maxima of QPP, QPP2, EI and QPIP are respected with year-to-date amounts."""

import dataclasses
from decimal import ROUND_HALF_UP, Decimal

from maille.payroll.engine import PayInput, YearToDate, calculate, load_params, year_table

PARAMS = load_params(2026)
CENT = Decimal("0.01")
SHARE = Decimal("0.0530") / Decimal("0.0630")


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def same(a: Decimal, b: Decimal) -> bool:
    """Equal up to the last digits of an unrounded division (28 vs 34 digits)."""
    return abs(a - b) < Decimal("1e-20")


def test_ei_maximum_is_reached_mid_year_and_nothing_more_is_withheld():
    # Weekly 2 000 $: 26.00 a week; 34 weeks = 884.00; week 35 takes the last 11.70.
    year = year_table(PayInput(periods_per_year=52, gross=Decimal("2000.00")), PARAMS)
    assert year[33].ei == Decimal("26.00")
    assert year[34].ei == Decimal("11.70")
    assert [r.ei for r in year[35:]] == [Decimal("0.00")] * 17
    assert year[-1].ytd.ei == Decimal("895.70")
    employer_ei = sum((r.employer.ei for r in year), Decimal("0"))
    assert employer_ei == Decimal("1253.98")


def test_qpip_maximum_is_reached_in_period_23_for_the_employee_and_the_employer():
    # Biweekly 4 500 $: 19.35 and 27.09 a period.
    year = year_table(PayInput(periods_per_year=26, gross=Decimal("4500.00")), PARAMS)
    assert year[21].qpip == Decimal("19.35")
    assert year[22].qpip == Decimal("442.90") - 22 * Decimal("19.35")  # 17.20
    assert year[22].employer.qpip == Decimal("620.06") - 22 * Decimal("27.09")  # 24.08
    assert [(r.qpip, r.employer.qpip) for r in year[23:]] == [(Decimal("0.00"),) * 2] * 3


def test_once_ei_maximum_is_reached_the_federal_credit_uses_the_maximum_premium():
    # Monthly, 11 000 $ for six months, then 3 000 $: EI reaches 895.70 in month 7
    # although 12 × 37.70 is far below it (T4127 p. 15-16).
    c_high = cents(Decimal("0.0630") * (Decimal("11000") - Decimal("291.66")))
    ytd = YearToDate(
        earnings=Decimal("66000.00"),
        qpp_earnings=Decimal("66000.00"),
        qpp=6 * c_high,
        ei=Decimal("858.00"),
        qpip=Decimal("283.80"),
        qpip_employer=6 * Decimal("66.22"),
    )
    pay = PayInput(periods_per_year=12, period=7, gross=Decimal("3000.00"), ytd=ytd)
    result = calculate(pay, PARAMS)
    assert result.ei == Decimal("37.70")
    # QPP and QPIP are not at their maxima: their bases are the greater of the
    # annualized period (12 × 170.63; 12 × 3 000 × 0.0043 = 154.80) and the
    # year-to-date (4 047.78; 283.80), as T4127 p. 16 recommends.
    assert same(
        result.federal_detail.contribution_credits,
        Decimal("0.14") * (6 * c_high * SHARE + Decimal("895.70") + Decimal("283.80")),
    )


def test_before_the_maximum_the_federal_credit_annualizes_the_period():
    pay = PayInput(periods_per_year=12, period=1, gross=Decimal("3000.00"))
    result = calculate(pay, PARAMS)
    c = cents(Decimal("0.0630") * (Decimal("3000") - Decimal("291.66")))
    assert same(
        result.federal_detail.contribution_credits,
        Decimal("0.14")
        * (12 * c * SHARE + 12 * Decimal("39.00") + 12 * Decimal("3000") * Decimal("0.0043")),
    )


def test_after_the_qpp_maximum_the_federal_credit_keeps_the_maximum_base():
    # Biweekly 3 000 $ with an 80 000 $ bonus in period 1: QPP and EI reach their
    # maxima at once; in period 2, C = EI = 0 but the K2Q bases stay at the
    # maxima (T4127 p. 15). QPIP is not at its maximum: the year-to-date
    # 0.0043 × 83 000 = 356.90 exceeds 26 × 3 000 × 0.0043 = 335.40.
    pay = PayInput(periods_per_year=26, gross=Decimal("3000.00"))
    first = calculate(dataclasses.replace(pay, lump_sum=Decimal("80000.00")), PARAMS)
    second = calculate(dataclasses.replace(pay, period=2, ytd=first.ytd), PARAMS)
    assert (second.qpp, second.ei) == (Decimal("0.00"), Decimal("0.00"))
    assert first.ytd.qpip == Decimal("356.90")
    assert same(
        second.federal_detail.contribution_credits,
        Decimal("0.14") * (Decimal("3768.30") + Decimal("895.70") + Decimal("356.90")),
    )


def test_reaching_the_qpp_maximum_does_not_make_the_federal_tax_jump_down():
    # 4 400 $ of QPP already withheld and a small pay: 79.09 of QPP at 1 390 $,
    # the last 79.30 at 1 400 $. Annualizing 79.09 alone would give a base of
    # 1 730 $ and then jump to 3 768.30 $; with the year-to-date as a floor the
    # base only moves from 3 701.59 to 3 768.30 and the tax keeps rising.
    ytd = YearToDate(
        earnings=Decimal("70000.00"),
        qpp_earnings=Decimal("70000.00"),
        qpp=Decimal("4400.00"),
        ei=Decimal("800.00"),
        qpip=Decimal("300.00"),
        qpip_employer=Decimal("420.00"),
    )
    pay = PayInput(periods_per_year=26, period=20, gross=Decimal("1390.00"), ytd=ytd)
    below = calculate(pay, PARAMS)
    reached = calculate(dataclasses.replace(pay, gross=Decimal("1400.00")), PARAMS)
    assert (below.qpp, reached.qpp) == (Decimal("79.09"), Decimal("79.30"))
    assert reached.federal_tax >= below.federal_tax
    assert reached.employee_deductions > below.employee_deductions


def test_a_partial_year_prorates_the_qpp_maxima_by_months():
    # Hired in July (PM = 6), biweekly 4 000 $ from period 14: max 2 239.65 and 208.
    pay = PayInput(periods_per_year=26, period=14, gross=Decimal("4000.00"), months_of_employment=6)
    year = year_table(pay, PARAMS)
    assert [r.qpp for r in year[:9]] == [Decimal("243.52")] * 9
    assert year[9].qpp == Decimal("2239.65") - 9 * Decimal("243.52")  # 47.97
    # W = max(S5, 74 600 × 6/12 = 37 300): 0.04 × (36 000 + 4 000 − 37 300) = 108.00
    assert year[9].qpp2 == Decimal("108.00")
    assert year[10].qpp2 == Decimal("100.00")  # 208 − 108
    assert year[-1].ytd.qpp == Decimal("2239.65")
    assert year[-1].ytd.qpp2 == Decimal("208.00")


def test_ytd_already_at_the_maximum_withholds_nothing():
    ytd = YearToDate(
        earnings=Decimal("90000.00"),
        qpp_earnings=Decimal("90000.00"),
        qpp=Decimal("4479.30"),
        qpp2=Decimal("416.00"),
        ei=Decimal("895.70"),
        qpip=Decimal("442.90"),
        qpip_employer=Decimal("620.06"),
    )
    result = calculate(
        PayInput(periods_per_year=26, period=24, gross=Decimal("4000.00"), ytd=ytd), PARAMS
    )
    assert (result.qpp, result.qpp2, result.ei, result.qpip) == (Decimal("0.00"),) * 4
    assert result.employer.qpip == Decimal("0.00")
    assert result.employer.ei == Decimal("0.00")
