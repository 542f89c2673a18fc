"""`maille payroll calc --json`: every amount, as strings with two decimals."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from maille.payroll.engine import PayInput, calculate, load_params

pytestmark = pytest.mark.django_db

TWO_DECIMALS = re.compile(r"\d+\.\d\d")
AMOUNTS = ("gross", "qpp", "qpp2", "ei", "qpip", "federal_tax", "quebec_tax", "net")
EMPLOYER = ("qpp", "qpp2", "ei", "qpip", "fss", "cnt", "cnesst", "wsdrf")


def calc(*args: str) -> Any:
    out = StringIO()
    call_command(
        "payroll", "calc", "--year", "2026", *args, "--json", stdout=out, stderr=StringIO()
    )
    return json.loads(out.getvalue())


def test_it_prints_every_amount_as_a_string_with_two_decimals():
    body = calc("--periods", "26", "--gross", "2500.00")
    for key in (*AMOUNTS, "vacation_pay", "total_cost"):
        assert TWO_DECIMALS.fullmatch(body[key]), key
    assert set(body["employer"]) == set(EMPLOYER)
    assert all(TWO_DECIMALS.fullmatch(value) for value in body["employer"].values())


def test_a_biweekly_2500_matches_the_engine_tests_hand_derived_figures():
    # test_engine_federal_tax: C = 149.02, EI = 32.50, federal tax 201.29.
    body = calc("--periods", "26", "--gross", "2500.00")
    assert (body["qpp"], body["ei"], body["federal_tax"]) == ("149.02", "32.50", "201.29")
    assert body["qpp2"] == "0.00"
    assert body["vacation_pay"] == "100.00"  # 4 % by default


def test_the_defaults_are_a_small_employer_and_the_basic_personal_amounts():
    body = calc("--periods", "26", "--gross", "2500.00")
    expected = calculate(PayInput(periods_per_year=26, gross=Decimal("2500.00")), load_params(2026))
    assert body["total_cost"] == f"{expected.total_cost:.2f}"
    assert body["employer"]["fss"] == "41.25"  # 1.65 % under 1 M$ of payroll
    assert body["employer"]["wsdrf"] == "0.00"


def test_the_annexe_1_employee_pays_444_51_of_quebec_tax():
    # TP-1015.F 2026 annexe 1: biweekly 4 000, RPP 200, TP-1015.3 line 10 = 21 830,
    # Fonds FTQ 100 and Fondaction 150 each pay.
    body = calc(
        "--periods", "26", "--gross", "4000", "--rpp", "200", "--tp10153", "21830",
        "--ftq", "100", "--fondaction", "150",
    )  # fmt: skip
    assert body["quebec_tax"] == "444.51"
    assert body["other_deductions"] == "450.00"


def test_every_engine_input_has_an_option():
    body = calc(
        "--periods", "52", "--period-number", "20", "--gross", "1500", "--rpp", "100",
        "--bonus", "4000", "--bonus-rpp", "400", "--union-dues", "10", "--td1", "16452",
        "--vacation-rate", "6", "--cnesst-rate", "2.10", "--total-payroll", "3000000",
        "--months", "12", "--fss-sector", "general",
    )  # fmt: skip
    assert body["period"] == 20
    assert body["lump_sum"] == "4000.00"
    assert body["vacation_pay"] == "330.00"  # 6 % of 5 500
    assert body["employer"]["wsdrf"] == "55.00"  # 1 % above 2 M$ of payroll
    assert body["employer"]["cnesst"] == "115.50"  # 2.10 $ per 100 $


def test_amounts_may_be_typed_the_french_way():
    assert calc("--gross", "2 500,00")["gross"] == "2500.00"
