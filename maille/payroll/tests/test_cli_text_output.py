"""Without --json: a readable table in the user's language."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def table(*args: str) -> str:
    out = StringIO()
    call_command("payroll", "calc", "--year", "2026", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_table_is_in_french_by_default_with_french_amounts():
    text = table("--periods", "26", "--gross", "2500.00")
    assert "Paie 1 de 26, 2026" in text
    assert "Salaire brut" in text
    assert "Régime de rentes du Québec (RRQ)" in text
    assert f"2{NBSP}500,00{NBSP}$" in text
    net_line = next(line for line in text.splitlines() if line.startswith("Salaire net"))
    assert net_line.endswith(f"1{NBSP}853,08{NBSP}$")
    assert "Fonds des services de santé (FSS)" in text


def test_the_table_is_in_english_when_asked():
    text = table("--periods", "26", "--gross", "2500.00", "--lang", "en")
    assert "Pay 1 of 26, 2026" in text
    net_line = next(line for line in text.splitlines() if line.startswith("Net pay"))
    assert net_line.endswith("$1,853.08")
    assert "Employer contributions" in text


def test_the_employee_and_employer_lines_of_the_same_plan_keep_their_own_amounts():
    lines = table("--periods", "26", "--gross", "2500.00", "--lang", "en").splitlines()
    ei = [line for line in lines if "Employment insurance (EI)" in line]
    assert ei[0].endswith("$32.50")  # employee
    assert ei[1].endswith("$45.50")  # employer: 1.4 ×
