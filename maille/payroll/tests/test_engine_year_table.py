"""The year table: each period fed the year-to-date of the previous ones."""

import dataclasses
import itertools
from decimal import Decimal

from maille.payroll.engine import PayInput, calculate, load_params, year_table

PARAMS = load_params(2026)


def test_the_table_has_one_row_per_remaining_period():
    pay = PayInput(periods_per_year=24, period=5, gross=Decimal("3000.00"))
    table = year_table(pay, PARAMS)
    assert [row.period for row in table] == list(range(5, 25))


def test_each_row_starts_from_the_year_to_date_after_the_previous_row():
    table = year_table(PayInput(periods_per_year=12, gross=Decimal("9000.00")), PARAMS)
    for previous, row in itertools.pairwise(table):
        again = calculate(
            PayInput(
                periods_per_year=12, period=row.period, gross=Decimal("9000.00"), ytd=previous.ytd
            ),
            PARAMS,
        )
        assert again == row


def test_the_year_to_date_columns_add_up_the_rows():
    table = year_table(PayInput(periods_per_year=26, gross=Decimal("4000.00")), PARAMS)
    last = table[-1].ytd
    assert last.earnings == Decimal("104000.00")
    assert last.qpp == sum((r.qpp for r in table), Decimal("0")) == Decimal("4479.30")
    assert last.qpp2 == Decimal("416.00")
    assert last.ei == Decimal("895.70")
    assert last.qpip == Decimal("442.90")
    assert last.qpip_employer == Decimal("620.06")


def test_a_period_can_be_adjusted_for_a_bonus():
    def bonus_in_june(pay: PayInput) -> PayInput:
        if pay.period == 12:
            return dataclasses.replace(pay, lump_sum=Decimal("5000.00"))
        return pay

    table = year_table(
        PayInput(periods_per_year=26, gross=Decimal("2000.00")), PARAMS, adjust=bonus_in_june
    )
    assert table[11].lump_sum == Decimal("5000.00")
    assert table[11].quebec_tax_on_lump_sum > 0
    assert table[-1].ytd.lump_sums == Decimal("5000.00")
    assert table[-1].ytd.earnings == Decimal("57000.00")
