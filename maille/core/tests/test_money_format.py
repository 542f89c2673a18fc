from decimal import Decimal

import pytest

from maille.core.money import format_money, round_half_up, to_money


def test_amounts_read_the_quebec_french_way():
    assert format_money(Decimal("1234.56"), "fr") == "1\u00a0234,56\u00a0$"


def test_amounts_read_the_canadian_english_way():
    assert format_money(Decimal("1234.56"), "en") == "$1,234.56"


def test_half_a_cent_rounds_up():
    assert round_half_up(Decimal("0.005")) == Decimal("0.01")
    assert round_half_up(Decimal("99.745")) == Decimal("99.75")
    assert round_half_up(Decimal("0.0049")) == Decimal("0.00")


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        to_money(0.1)  # type: ignore[arg-type]


def test_displayed_amounts_round_half_up_not_to_even():
    assert format_money(Decimal("1234.565"), "fr") == "1\u00a0234,57\u00a0$"
    assert format_money(Decimal("0.125"), "en") == "$0.13"


def test_a_balance_back_to_zero_shows_no_minus_sign():
    assert format_money(Decimal("-0.00"), "fr") == "0,00\u00a0$"
    assert format_money(Decimal("-0.004"), "en") == "$0.00"
