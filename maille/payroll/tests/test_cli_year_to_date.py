"""Year-to-date options: the contributions given, the earnings behind them estimated."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def calc(*args: str) -> tuple[dict, str]:
    out, err = StringIO(), StringIO()
    call_command("payroll", "calc", "--year", "2026", *args, "--json", stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


def test_qpp2_starts_where_the_estimated_pensionable_earnings_pass_the_ympe():
    # After 18 pays of 4 000 (annexe 3): QPP 4 383.36 withheld. Pay 19 reaches
    # the maximum and starts QPP2, as in the year table.
    body, notes = calc(
        "--periods", "26", "--gross", "4000", "--period-number", "19", "--ytd-qpp", "4383.36",
        "--ytd-ei", "895.70", "--ytd-qpip", "309.60",
    )  # fmt: skip
    assert (body["qpp"], body["qpp2"], body["ei"]) == ("95.94", "56.00", "0.00")
    assert "--ytd-pensionable" in notes
    assert "--ytd-earnings" in notes


def test_given_earnings_are_used_as_they_are_and_nothing_is_estimated():
    body, notes = calc(
        "--periods", "26", "--gross", "4000", "--period-number", "19", "--ytd-qpp", "4383.36",
        "--ytd-earnings", "72000", "--ytd-qpip", "309.60", "--ytd-qpip-employer", "433.44",
    )  # fmt: skip
    assert body["qpp2"] == "56.00"
    assert notes == ""
    assert body["ytd"]["qpip_employer"] == "457.52"  # 433.44 + 24.08


def test_the_employer_qpip_maximum_follows_the_employees():
    body, _notes = calc("--periods", "26", "--gross", "4000", "--ytd-qpip", "442.90")
    assert body["qpip"] == "0.00"
    assert body["employer"]["qpip"] == "0.00"
