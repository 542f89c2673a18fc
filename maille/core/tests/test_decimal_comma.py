"""Issue 10, bug 15: ``12,5`` typed in a quantity became 125 (a silent ten-fold
error). Decimal inputs read the French comma and refuse what they cannot read."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from maille.contracts.forms import LineForm, QuoteForm


@pytest.mark.parametrize(
    ("typed", "read"),
    [("12,5", "12.5"), ("12.5", "12.5"), ("1 234,5", "1234.5"), ("0,25", "0.25")],
)
def test_a_quantity_reads_the_french_comma(typed, read):
    form = LineForm(
        {
            "description": "x",
            "quantity": typed,
            "unit": "hour",
            "unit_price": "10",
            "tax_treatment": "standard",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["quantity"] == Decimal(read)


@pytest.mark.parametrize("typed", ["12,5,3", "12..5", "douze", "1e3", "NaN"])
def test_what_cannot_be_read_is_refused(typed):
    form = LineForm(
        {
            "description": "x",
            "quantity": typed,
            "unit": "hour",
            "unit_price": "10",
            "tax_treatment": "standard",
        }
    )
    assert not form.is_valid()
    assert "quantity" in form.errors


def test_the_box_is_a_text_box_that_shows_the_comma_in_french():
    with translation.override("fr"):
        html = str(LineForm(initial={"quantity": Decimal("12.500")})["quantity"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html
    assert 'value="12,5"' in html
    with translation.override("en"):
        html = str(
            QuoteForm(initial={"late_interest_rate": Decimal("12.50")})["late_interest_rate"]
        )
    assert 'value="12.5"' in html
