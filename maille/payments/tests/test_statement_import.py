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


def test_the_same_month_as_csv_after_the_ofx_adds_nothing(operating):
    # The case: OFX first (FITIDs), then the bank's CSV of the same
    # month (no reference, the type and the counterparty in one cell). Both
    # carry accents in cp1252 (ÉDITIONS, reçu): read right, they agree.
    ofx = imported(FILES / "ofx_2026_06.ofx")
    assert (ofx["new"], ofx["duplicates"]) == (6, 0)
    csv = imported(FILES / "desjardins_2026_06.csv")
    assert (csv["lines"], csv["new"], csv["duplicates"]) == (5, 0, 5)
    assert BankLine.objects.count() == 6
    assert BankLine.objects.filter(amount=D("100.00")).count() == 2


def test_a_csv_with_a_third_identical_deposit_after_the_ofx_adds_one(operating, tmp_path):
    imported(FILES / "ofx_2026_06.ofx")  # two deposits of 100,00 from Nathalie Roy on the 8th
    line = '815-30001,1234567,EOP,2026/06/08,{n},"Virement Interac /NATHALIE ROY",,,100.00,,,,,\r\n'
    three = tmp_path / "three.csv"
    three.write_bytes("".join(line.format(n=n) for n in (3, 4, 5)).encode("cp1252"))
    result = imported(three)
    assert (result["new"], result["duplicates"]) == (1, 2)
    assert BankLine.objects.filter(amount=D("100.00")).count() == 3


def test_the_fingerprint_is_account_date_amount_reference_and_words(operating):
    imported(FILES / "ofx_2026_06.ofx")
    lines = BankLine.objects.filter(amount=D("100.00")).order_by("reference")
    # Two genuine deposits: their FITIDs differ, so do their fingerprints.
    assert [line.reference for line in lines] == ["90000003", "90000004"]
    assert len({line.fingerprint for line in lines}) == 2
    assert {line.occurrence for line in lines} == {1}


def test_another_payer_the_same_day_for_the_same_amount_is_new(operating, tmp_path):
    line = '815-30001,1234567,EOP,2026/06/08,1,"Virement Interac /{who}",,,100.00,,,,,\r\n'
    morning = tmp_path / "morning.csv"
    morning.write_bytes(line.format(who="NATHALIE ROY").encode("cp1252"))
    evening = tmp_path / "evening.csv"
    evening.write_bytes(
        (line.format(who="NATHALIE ROY") + line.format(who="JEROME BOUCHARD")).encode("cp1252")
    )
    assert imported(morning)["new"] == 1
    result = imported(evening)
    assert (result["new"], result["duplicates"]) == (1, 1)
    assert BankLine.objects.filter(payer_name__icontains="BOUCHARD").exists()


def test_two_ofx_files_with_different_fitids_the_same_day_are_two_deposits(operating, tmp_path):
    data = (FILES / "ofx_2026_06.ofx").read_bytes()
    imported(FILES / "ofx_2026_06.ofx")
    other = tmp_path / "other.ofx"
    other.write_bytes(data.replace(b"<FITID>90000006", b"<FITID>90000099"))
    result = imported(other)
    # Same file otherwise: five lines already there; the 11th's deposit has
    # another FITID in the same format, so the bank says it is another one.
    assert (result["new"], result["duplicates"]) == (1, 5)
