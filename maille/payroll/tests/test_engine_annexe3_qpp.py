"""TP-1015.F 2026, annexe 3: QPP contributions on 4 000 $ every two weeks."""

from decimal import Decimal

from maille.payroll.engine import PayInput, load_params, year_table

PARAMS = load_params(2026)
ANNEXE_3_EMPLOYEE = PayInput(periods_per_year=26, gross=Decimal("4000.00"))


def test_the_contribution_is_243_52_for_the_first_18_periods():
    year = year_table(ANNEXE_3_EMPLOYEE, PARAMS)
    assert [r.qpp for r in year[:18]] == [Decimal("243.52")] * 18
    assert [r.qpp2 for r in year[:18]] == [Decimal("0.00")] * 18
    assert year[17].ytd.qpp == Decimal("4383.36")
    assert year[17].ytd.qpp_earnings == Decimal("72000.00")


def test_period_19_reaches_the_maximum_with_95_94_and_starts_qpp2_with_56():
    period_19 = year_table(ANNEXE_3_EMPLOYEE, PARAMS)[18]
    assert period_19.qpp == Decimal("95.94")
    assert period_19.qpp2 == Decimal("56.00")
    assert period_19.ytd.qpp == Decimal("4479.30")


def test_qpp2_is_160_in_periods_20_and_21_then_40_to_reach_416():
    year = year_table(ANNEXE_3_EMPLOYEE, PARAMS)
    assert [r.qpp for r in year[19:22]] == [Decimal("0.00")] * 3
    assert [r.qpp2 for r in year[19:22]] == [Decimal("160.00"), Decimal("160.00"), Decimal("40.00")]
    assert year[21].ytd.qpp2 == Decimal("416.00")


def test_nothing_is_withheld_in_the_last_4_periods():
    year = year_table(ANNEXE_3_EMPLOYEE, PARAMS)
    assert [(r.qpp, r.qpp2) for r in year[22:]] == [(Decimal("0.00"), Decimal("0.00"))] * 4


def test_the_employer_pays_the_same_qpp_and_qpp2():
    year = year_table(ANNEXE_3_EMPLOYEE, PARAMS)
    assert all(r.employer.qpp == r.qpp and r.employer.qpp2 == r.qpp2 for r in year)
