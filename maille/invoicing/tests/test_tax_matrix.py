"""The tax matrix: every province and territory, abroad, exempt and zero-rated
lines, half-cent edges, and the Nova Scotia change of rate by invoice date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from maille.taxes import sales as taxes
from maille.taxes.sales import AbroadDecision, Regime, TaxError, TaxLine, Treatment

ON_2026 = dt.date(2026, 6, 15)

# province → (regime, {tax: amount on 1 000.00})
MATRIX = {
    "QC": (Regime.GST_QST, {"GST": "50.00", "QST": "99.75"}),
    "ON": (Regime.HST, {"HST": "130.00"}),
    "NB": (Regime.HST, {"HST": "150.00"}),
    "NL": (Regime.HST, {"HST": "150.00"}),
    "PE": (Regime.HST, {"HST": "150.00"}),
    "NS": (Regime.HST, {"HST": "140.00"}),
    "MB": (Regime.GST, {"GST": "50.00"}),
    "SK": (Regime.GST, {"GST": "50.00"}),
    "AB": (Regime.GST, {"GST": "50.00"}),
    "BC": (Regime.GST, {"GST": "50.00"}),
    "YT": (Regime.GST, {"GST": "50.00"}),
    "NT": (Regime.GST, {"GST": "50.00"}),
    "NU": (Regime.GST, {"GST": "50.00"}),
}


def one_line(amount: str, treatment: Treatment = Treatment.STANDARD) -> list[TaxLine]:
    return [TaxLine(D(amount), treatment)]


@pytest.mark.parametrize("province", sorted(MATRIX))
def test_every_province_and_territory(province):
    regime, expected = MATRIX[province]
    result = taxes.compute(lines=one_line("1000.00"), on=ON_2026, province=province)
    assert result.place == province
    assert result.regime == regime
    assert {t.code: str(t.amount) for t in result.taxes} == expected
    assert result.total == D("1000.00") + sum(D(v) for v in expected.values())


def test_quebec_worked_example_from_the_architecture():
    result = taxes.compute(lines=one_line("1000.00"), on=ON_2026, province="QC")
    assert (result.amount("GST"), result.amount("QST"), result.total) == (
        D("50.00"),
        D("99.75"),
        D("1149.75"),
    )


def test_qst_is_on_the_price_before_gst():
    result = taxes.compute(lines=one_line("200.00"), on=ON_2026, province="QC")
    # 9.975 % of 200, not of 210.
    assert result.amount("QST") == D("19.95")


def test_every_province_code_is_in_the_matrix():
    assert set(MATRIX) == set(taxes.PROVINCES)


@pytest.mark.parametrize(
    ("on", "amount"),
    [
        (dt.date(2025, 3, 31), "150.00"),  # last day at 15 %
        (dt.date(2025, 4, 1), "140.00"),  # first day at 14 %
        (dt.date(2024, 12, 1), "150.00"),
        (dt.date(2026, 12, 31), "140.00"),
    ],
)
def test_nova_scotia_rate_follows_the_invoice_date(on, amount):
    result = taxes.compute(lines=one_line("1000.00"), on=on, province="NS")
    assert result.amount("HST") == D(amount)


def test_historical_rates_come_from_the_dated_table():
    assert taxes.compute(lines=one_line("1000.00"), on=dt.date(2016, 6, 30), province="NB").amount(
        "HST"
    ) == D("130.00")
    # British Columbia had the HST from 2010-07 to 2013-03, the GST alone since.
    bc_2012 = taxes.compute(lines=one_line("1000.00"), on=dt.date(2012, 1, 1), province="BC")
    assert (bc_2012.regime, bc_2012.amount("HST")) == (Regime.HST, D("120.00"))


def test_a_client_abroad_is_flagged_for_staff_until_they_decide():
    result = taxes.compute(lines=one_line("1000.00"), on=ON_2026, country="FR")
    assert result.place == taxes.ABROAD
    assert result.needs_review
    assert result.taxes == ()


def test_abroad_zero_rated_carries_no_tax():
    result = taxes.compute(
        lines=one_line("1000.00"), on=ON_2026, country="US", abroad=AbroadDecision.ZERO_RATED
    )
    assert not result.needs_review
    assert result.regime == Regime.ZERO_RATED_EXPORT
    assert result.tax_total == D("0.00")
    assert result.zero_rated_base == D("1000.00")


def test_abroad_taxable_is_taxed_where_the_work_is_done():
    result = taxes.compute(
        lines=one_line("1000.00"),
        on=ON_2026,
        country="US",
        abroad=AbroadDecision.TAXABLE,
        home_province="QC",
    )
    assert result.regime == Regime.GST_QST
    assert result.tax_total == D("149.75")


def test_exempt_and_zero_rated_lines_carry_no_tax():
    lines = [
        TaxLine(D("1000.00")),
        TaxLine(D("300.00"), Treatment.ZERO_RATED),
        TaxLine(D("200.00"), Treatment.EXEMPT),
    ]
    result = taxes.compute(lines=lines, on=ON_2026, province="QC")
    assert result.subtotal == D("1500.00")
    assert (result.standard_base, result.zero_rated_base, result.exempt_base) == (
        D("1000.00"),
        D("300.00"),
        D("200.00"),
    )
    assert result.tax_total == D("149.75")
    assert result.total == D("1649.75")


def test_an_invoice_of_only_exempt_lines_has_no_tax():
    result = taxes.compute(lines=one_line("500.00", Treatment.EXEMPT), on=ON_2026, province="ON")
    assert result.amount("HST") == D("0.00")


@pytest.mark.parametrize(
    ("province", "base", "code", "expected"),
    [
        ("AB", "12.50", "GST", "0.63"),  # 0.625: half-up, not half-even (0.62)
        ("AB", "0.10", "GST", "0.01"),  # 0.005
        ("AB", "0.09", "GST", "0.00"),  # 0.0045
        ("ON", "0.50", "HST", "0.07"),  # 0.065
        ("QC", "140.00", "QST", "13.97"),  # 13.965
        ("QC", "0.20", "QST", "0.02"),  # 0.01995
        ("NS", "0.25", "HST", "0.04"),  # 14 % of 0.25 = 0.035
        ("PE", "0.10", "HST", "0.02"),  # 0.015
    ],
)
def test_half_cent_rounds_up(province, base, code, expected):
    result = taxes.compute(lines=one_line(base), on=ON_2026, province=province)
    assert result.amount(code) == D(expected)


def test_tax_is_computed_once_on_the_subtotal_not_per_line():
    lines = [TaxLine(D("0.10")), TaxLine(D("0.10"))]
    # Per line it would be 0.01 + 0.01; on the subtotal 0.20 × 5 % = 0.01.
    assert taxes.compute(lines=lines, on=ON_2026, province="AB").amount("GST") == D("0.01")


def test_internal_invoices_carry_no_tax():
    result = taxes.compute(lines=one_line("1000.00"), on=ON_2026, internal=True)
    assert result.regime == Regime.INTERNAL
    assert result.taxes == ()
    assert result.total == D("1000.00")


def test_a_canadian_client_without_a_province_is_refused():
    with pytest.raises(TaxError) as err:
        taxes.compute(lines=one_line("10.00"), on=ON_2026, country="CA", province="")
    assert err.value.code == "no_province"


def test_an_unknown_province_is_refused():
    with pytest.raises(TaxError):
        taxes.compute(lines=one_line("10.00"), on=ON_2026, province="XX")


def test_a_date_before_any_rate_is_refused():
    with pytest.raises(TaxError):
        taxes.compute(lines=one_line("10.00"), on=dt.date(1990, 1, 1), province="AB")


def test_the_rates_file_is_consistent():
    assert taxes.validate_rates(taxes.load_rates()) == []


def test_rate_table_checks_report_every_problem():
    bad = [
        taxes.Rate("HST", D("0.15"), dt.date(2020, 1, 1), None, "NS", "x"),
        taxes.Rate("HST", D("0.14"), dt.date(2021, 1, 1), None, "NS", "x"),
        taxes.Rate("VAT", D("1.5"), dt.date(2021, 1, 2), dt.date(2021, 1, 1), "", ""),
    ]
    problems = taxes.validate_rates(bad)
    assert len(problems) == 5  # overlap, unknown tax, bad rate, reversed dates, no source


@pytest.mark.parametrize(
    ("before", "now", "expected"),
    [("0.00", "1000.00", "149.75"), ("0.00", "333.33", "49.92"), ("333.33", "666.67", "99.83")],
)
def test_credit_notes_reverse_taxes_pro_rata_and_exactly_in_total(before, now, expected):
    reversed_before = taxes.credited_share(
        original=D("149.75"),
        original_base=D("1000.00"),
        credited_before=D("0"),
        credited_now=D(before),
        reversed_before=D("0"),
    )
    share = taxes.credited_share(
        original=D("149.75"),
        original_base=D("1000.00"),
        credited_before=D(before),
        credited_now=D(now),
        reversed_before=reversed_before,
    )
    assert share == D(expected)
    if D(before) + D(now) == D("1000.00"):
        assert reversed_before + share == D("149.75")
