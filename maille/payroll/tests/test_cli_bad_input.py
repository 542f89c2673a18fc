"""Bad input: a clear message on stderr, exit code 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "maille.cli", "payroll", "calc", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--gross", "-5"), "--gross ne doit pas être négatif"),
        (("--periods", "7", "--gross", "100"), "invalid choice: 7"),
        (("--gross", "100", "--budget", "200"), "not allowed with argument --gross"),
        (("--year", "1999", "--gross", "100"), "No payroll parameters for 1999"),
    ],
)
def test_the_command_line_exits_with_2_and_a_message(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_every_problem_is_reported_at_once_in_the_language_asked():
    with pytest.raises(CommandError) as error:
        call_command(
            "payroll", "calc", "--gross", "abc", "--rpp", "1.234", "--vacation-rate", "0.04",
            "--period-number", "40", "--lang", "en",
        )  # fmt: skip
    message = str(error.value)
    assert error.value.returncode == 2
    assert "--gross: not an amount: abc" in message
    assert "--rpp: at most two decimals." in message
    assert "--vacation-rate is in percent" in message
    assert "--period-number must be between 1 and 26." in message


@pytest.mark.parametrize("amount", ["1e5", "NaN", "Infinity", "1" * 40, "12.3.4"])
def test_amounts_that_are_not_plain_numbers_are_refused(amount):
    with pytest.raises(CommandError, match="--gross"):
        call_command("payroll", "calc", "--gross", amount)


def test_a_year_to_date_above_its_maximum_is_refused():
    with pytest.raises(CommandError, match="exceeds the annual maximum") as error:
        call_command("payroll", "calc", "--gross", "100", "--ytd-ei", "2000")
    assert error.value.returncode == 2


def test_a_budget_too_small_for_the_bonus_is_refused():
    with pytest.raises(CommandError, match="does not cover the lump sum"):
        call_command("payroll", "calc", "--budget", "100", "--bonus", "5000")
