"""Which taxes the co-op recovers from a receipt: full credit, meals at 50 %, none
without the supplier's registration numbers from 100 $, and the proposal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from maille.expenses.tests.helpers import claim

pytestmark = pytest.mark.django_db


def test_a_receipt_with_its_numbers_gives_full_credits(camille, camille_activity):
    c = claim(camille, camille_activity)
    assert (c.itc, c.itr) == (Decimal("5.00"), Decimal("9.98"))
    assert c.net_cost == Decimal("100.00")
    assert c.credit_note == ""


def test_meals_give_half_the_credits(camille, camille_activity):
    c = claim(
        camille, camille_activity, category="meals", gst_hst="5.01", qst="9.99", amount="115.00"
    )
    # 5.01 × 50 % = 2.505 → 2.51 (half-up); 9.99 × 50 % = 4.995 → 5.00
    assert (c.itc, c.itr) == (Decimal("2.51"), Decimal("5.00"))
    assert c.net_cost == Decimal("107.49")
    assert "moitié" in c.credit_note


def test_no_credit_without_numbers_from_100_dollars(camille, camille_activity):
    c = claim(camille, camille_activity, supplier_gst_number="", supplier_qst_number="")
    assert (c.itc, c.itr) == (Decimal("0"), Decimal("0"))
    assert c.net_cost == Decimal("114.98")
    assert "Aucun CTI" in c.credit_note and "Aucun RTI" in c.credit_note


def test_one_number_missing_loses_only_that_credit(camille, camille_activity):
    c = claim(camille, camille_activity, supplier_qst_number="")
    assert (c.itc, c.itr) == (Decimal("5.00"), Decimal("0"))


def test_below_100_dollars_numbers_are_not_needed(camille, camille_activity):
    c = claim(
        camille,
        camille_activity,
        amount="57.49",
        gst_hst="2.50",
        qst="4.99",
        supplier_gst_number="",
        supplier_qst_number="",
    )
    assert (c.itc, c.itr) == (Decimal("2.50"), Decimal("4.99"))


def test_taxes_left_out_are_proposed_from_the_amount_and_province(camille, camille_activity):
    c = claim(camille, camille_activity, gst_hst=None, qst=None)
    assert (c.gst_hst, c.qst) == (Decimal("5.00"), Decimal("9.98"))
    on = claim(
        camille, camille_activity, gst_hst=None, qst=None, supplier_province="ON", amount="113.00"
    )
    assert (on.gst_hst, on.qst) == (Decimal("13.00"), Decimal("0"))


def test_a_gst_higher_than_the_amount_allows_is_refused(camille, camille_activity):
    with pytest.raises(ValidationError) as caught:
        claim(camille, camille_activity, amount="20.00", gst_hst="5.00", qst="0")
    assert "gst_hst" in caught.value.message_dict


def test_an_invalid_gst_number_is_named(camille, camille_activity):
    with pytest.raises(ValidationError) as caught:
        claim(camille, camille_activity, supplier_gst_number="123456789RT0001")
    assert set(caught.value.message_dict) == {"supplier_gst_number"}
