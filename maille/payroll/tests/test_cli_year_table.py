"""`--year-table`: every pay of the year, so a person watches the maxima being reached."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def year(*args: str, json_output: bool = True) -> str:
    out = StringIO()
    extra = ("--json",) if json_output else ()
    call_command(
        "payroll", "calc", "--year", "2026", "--year-table", *args, *extra,
        stdout=out, stderr=StringIO(),
    )  # fmt: skip
    return out.getvalue()


def test_the_qpp_maximum_is_reached_in_period_19_as_in_annexe_3():
    rows = json.loads(year("--periods", "26", "--gross", "4000"))
    assert [row["period"] for row in rows] == list(range(1, 27))
    assert [row["qpp"] for row in rows[:18]] == ["243.52"] * 18
    period_19 = rows[18]
    assert (period_19["qpp"], period_19["qpp2"]) == ("95.94", "56.00")
    assert period_19["ytd"]["qpp"] == "4479.30"
    assert "qpp" in period_19["maxima_reached"]
    assert [row["qpp2"] for row in rows[19:22]] == ["160.00", "160.00", "40.00"]
    assert rows[21]["ytd"]["qpp2"] == "416.00"
    assert "qpp2" in rows[21]["maxima_reached"]
    assert all(row["qpp"] == "0.00" for row in rows[19:])


def test_the_year_to_date_columns_add_up():
    rows = json.loads(year("--periods", "12", "--gross", "9000"))
    total_ei = sum(Decimal(row["ei"]) for row in rows)
    assert rows[-1]["ytd"]["ei"] == f"{total_ei:.2f}" == "895.70"


def test_a_budget_year_table_solves_each_pay_and_the_gross_rises_once_maxima_are_reached():
    rows = json.loads(year("--periods", "26", "--budget", "5000"))
    assert all(Decimal(row["total_cost"]) <= Decimal("5000") for row in rows)
    assert Decimal(rows[-1]["gross"]) > Decimal(rows[0]["gross"])


def test_the_table_starts_at_the_period_asked_for_with_the_year_to_date_given():
    rows = json.loads(
        year("--periods", "26", "--gross", "4000", "--period-number", "19", "--ytd-qpp", "4383.36")
    )
    assert rows[0]["period"] == 19
    assert (rows[0]["qpp"], rows[0]["qpp2"]) == ("95.94", "56.00")


def test_the_text_table_names_the_maximum_reached_on_its_line():
    text = year("--periods", "26", "--gross", "4000", json_output=False)
    line_19 = next(line for line in text.splitlines() if line.lstrip().startswith("19 "))
    assert "95,94" in line_19
    assert line_19.rstrip().endswith("RRQ")
    assert "RRQ cumul" in text
