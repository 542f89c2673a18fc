"""The year-to-date before a pay: the engine's one rule, for the command and pay runs."""

from __future__ import annotations

from decimal import Decimal as D

from maille.payroll.engine import PayInput, calculate, load_params, year_to_date_before_pay

PARAMS = load_params(2026)


def test_known_figures_are_taken_as_they_are_and_nothing_is_estimated():
    # What a pay run knows from the payslips already posted this year.
    result = year_to_date_before_pay(
        params=PARAMS,
        periods_per_year=26,
        period=19,
        qpp=D("4383.36"),
        qpip=D("309.60"),
        ei=D("895.70"),
        earnings=D("72000.00"),
        pensionable_earnings=D("72000.00"),
        qpip_employer=D("433.44"),
    )
    assert result.estimated_earnings is None
    assert result.estimated_pensionable_earnings is None
    ytd = result.ytd
    assert (ytd.earnings, ytd.qpp_earnings, ytd.qpip_employer) == (
        D("72000.00"),
        D("72000.00"),
        D("433.44"),
    )
    assert ytd.ei_earnings == min(D("72000.00"), PARAMS.ei.max_insurable)
    assert ytd.qpip_earnings == min(D("72000.00"), PARAMS.qpip.max_insurable)


def test_pensionable_earnings_are_estimated_from_qpp_plus_the_earlier_exemptions():
    # After 18 pays of 4 000 $ (annexe 3): 4 383.36 $ of QPP withheld.
    result = year_to_date_before_pay(
        params=PARAMS, periods_per_year=26, period=19, qpp=D("4383.36")
    )
    exemption = PARAMS.qpp_exemption[26]
    expected = (D("4383.36") / PARAMS.qpp.rate + exemption * 18).quantize(D("0.01"))
    assert result.estimated_pensionable_earnings == expected
    assert result.ytd.qpp_earnings == expected
    # With nothing else known, the earnings are the pensionable earnings.
    assert result.estimated_earnings == expected


def test_qpp2_withheld_means_the_earnings_passed_the_ympe():
    result = year_to_date_before_pay(
        params=PARAMS, periods_per_year=26, period=20, qpp=D("4479.30"), qpp2=D("56.00")
    )
    ympe = PARAMS.qpp_maxima[12].ympe
    assert result.ytd.qpp_earnings == ympe + D("56.00") / PARAMS.qpp.second_additional_rate


def test_employer_qpip_follows_the_employees_up_to_its_maximum():
    result = year_to_date_before_pay(
        params=PARAMS, periods_per_year=26, period=26, qpip=D("10000.00")
    )
    assert result.ytd.qpip_employer == PARAMS.qpip.max_employer_premium


def test_the_estimate_feeds_the_engine_as_the_command_does():
    # Pay 19 reaches the QPP maximum and starts QPP2 (test_cli_year_to_date).
    ytd = year_to_date_before_pay(
        params=PARAMS,
        periods_per_year=26,
        period=19,
        qpp=D("4383.36"),
        ei=D("895.70"),
        qpip=D("309.60"),
    ).ytd
    pay = calculate(PayInput(periods_per_year=26, period=19, gross=D("4000.00"), ytd=ytd), PARAMS)
    assert (pay.qpp, pay.qpp2, pay.ei) == (D("95.94"), D("56.00"), D("0.00"))
