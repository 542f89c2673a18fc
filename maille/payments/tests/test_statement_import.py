"""Importing statements: nothing twice, nothing lost; the CLI's JSON and its invariants."""

from __future__ import annotations

import io
import json
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.management import call_command

from maille.payments.importing import statement_import
from maille.payments.models import BankLine, LineStatus

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "statements"


def cli(*args):
    out = io.StringIO()
    call_command("bank", *args, stdout=out)
    return out.getvalue()


def imported(path, *extra):
    result = json.loads(cli("import", str(path), "--account", "1000", "--json", *extra))
    assert set(result) == {"lines", "new", "duplicates", "matched", "suggested", "unmatched"}
    assert result["lines"] == result["new"] + result["duplicates"]
    assert result["matched"] + result["suggested"] + result["unmatched"] == result["new"]
    return result


def test_importing_the_same_file_again_adds_nothing(operating):
    first = imported(FILES / "desjardins_2026_06.csv")
    assert (first["lines"], first["new"], first["duplicates"]) == (5, 5, 0)
    again = imported(FILES / "desjardins_2026_06.csv")
    assert (again["lines"], again["new"], again["duplicates"]) == (5, 0, 5)
    assert BankLine.objects.count() == 5


def test_the_same_month_as_ofx_after_the_csv_adds_only_what_is_new(operating):
    imported(FILES / "desjardins_2026_06.csv")
    ofx = imported(FILES / "ofx_2026_06.ofx")
    # Five transactions were in the CSV already (two identical Interac deposits
    # on the 8th among them); the OFX adds only the 11th's deposit.
    assert (ofx["lines"], ofx["new"], ofx["duplicates"]) == (6, 1, 5)
    assert BankLine.objects.filter(amount=D("100.00")).count() == 2


def test_two_identical_deposits_are_two_lines_and_a_later_file_repeats_them_only_up_to_two(
    operating, tmp_path
):
    line = (
        '815-30001,1234567,EOP,2026/06/08,{n},"Virement Interac /NATHALIE ROY",,,100.00,,,,,{b}\r\n'
    )
    one = tmp_path / "one.csv"
    one.write_bytes(line.format(n=1, b="100.00").encode("cp1252"))
    three = tmp_path / "three.csv"
    three.write_bytes(
        "".join(line.format(n=n, b=f"{100 * n}.00") for n in (1, 2, 3)).encode("cp1252")
    )
    assert imported(one)["new"] == 1
    result = imported(three)
    assert (result["new"], result["duplicates"]) == (2, 1)
    assert sorted(BankLine.objects.values_list("occurrence", flat=True)) == [1, 2, 3]


def test_a_statement_that_does_not_add_up_is_imported_with_its_difference(operating, tmp_path):
    data = (FILES / "camt053_2026_06.xml").read_bytes().replace(b"6374.75", b"6300.00")
    path = tmp_path / "off.xml"
    path.write_bytes(data)
    assert imported(path)["new"] == 3
    result = statement_import(
        bank_account=operating, data=data, filename="off.xml", acting_user=None
    )
    assert result.statement.difference == D("74.75")


def test_every_format_imports_through_the_cli(operating, tmp_path):
    for name in ("camt053_2026_06.xml", "rbc_2026_06.csv"):
        result = imported(FILES / name)
        assert result["new"] == result["lines"] > 0
    assert BankLine.objects.filter(status=LineStatus.UNMATCHED).exists()


def test_the_format_can_be_named(operating):
    result = imported(FILES / "ofx_2026_06.ofx", "--format", "qfx")
    assert result["new"] == 6
