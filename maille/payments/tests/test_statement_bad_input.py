"""Bad statement files: a message naming the line, and nothing imported."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from maille.payments.exceptions import StatementRefused
from maille.payments.importing import statement_import
from maille.payments.models import BankLine, StatementImport

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "statements"
GOOD = (FILES / "desjardins_2026_06.csv").read_bytes()


def refused(operating, data, fmt="auto", filename="f.csv"):
    with pytest.raises(StatementRefused) as caught:
        statement_import(
            bank_account=operating, data=data, filename=filename, acting_user=None, fmt=fmt
        )
    assert not BankLine.objects.exists()
    assert not StatementImport.objects.filter(status="done").exists()
    return " ".join(caught.value.problems)


def test_an_empty_file(operating):
    assert "vide" in refused(operating, b"  \n")


def test_a_binary_file(operating):
    assert "binaire" in refused(operating, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


@pytest.mark.parametrize("data", [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", b"PK\x03\x04\x14\x00"])
def test_a_pdf_or_a_spreadsheet_is_not_a_statement(operating, data):
    assert "PDF" in refused(operating, data)


def test_utf8_with_a_stray_byte_names_its_line(operating):
    # Read as Windows-1252, every accent of the file would come out wrong.
    data = GOOD.decode("cp1252").encode("utf-8").replace(b"NATHALIE", b"NATH\xe9LIE", 1)
    message = refused(operating, data)
    assert "Ligne 3" in message and "UTF-8" in message


def test_three_decimals_names_the_line(operating):
    data = GOOD.replace(b"229.95", b"229.955")
    message = refused(operating, data)
    assert "Ligne 2" in message and "229.955" in message


def test_a_date_that_does_not_exist_names_the_line(operating):
    data = GOOD.replace(b"2026/06/08", b"2026/02/30", 1)
    message = refused(operating, data)
    assert "Ligne 3" in message and "2026/02/30" in message


def test_a_file_for_another_account(operating):
    data = GOOD.replace(b"1234567", b"7654321")
    assert "7654321" in refused(operating, data)


def test_wrong_encoding_is_named(operating):
    data = (FILES / "ofx_2026_06.ofx").read_bytes().replace(b"<CURDEF>CAD", b"<CURDEF>\x81\x8d")
    refused(operating, data)


def test_a_truncated_ofx(operating):
    data = (FILES / "ofx_2026_06.ofx").read_bytes()
    refused(operating, data[: len(data) // 2], filename="f.ofx")


def test_hostile_xml_entities(operating):
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
<BkToCstmrStmt><Stmt>&lol2;</Stmt></BkToCstmrStmt></Document>"""
    assert "DOCTYPE" in refused(operating, bomb)


def test_entities_in_an_ofx_file_are_refused_too(operating):
    data = (FILES / "ofx_2026_06.ofx").read_bytes()
    bomb = data.replace(
        b"<OFX>", b'<!DOCTYPE OFX [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<OFX>'
    )
    assert "DOCTYPE" in refused(operating, bomb, filename="f.ofx")


def test_an_external_entity_is_refused(operating):
    xxe = b"""<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Document><BkToCstmrStmt><Stmt><Ntry>&x;</Ntry></Stmt></BkToCstmrStmt></Document>"""
    refused(operating, xxe)


def test_malformed_xml_names_the_line(operating):
    data = (FILES / "camt053_2026_06.xml").read_bytes().replace(b"</Ntry>", b"</Ntr>", 1)
    assert "Ligne" in refused(operating, data)


def test_a_ten_megabyte_line(operating):
    data = GOOD + b"815-30001,1234567," + b"x" * (10 * 1024 * 1024) + b"\r\n"
    assert "Ligne 6" in refused(operating, data)


def test_more_than_200000_lines(operating):
    line = b'815-30001,1234567,EOP,2026/06/02,1,"Depot /X",,,1.00,,,,,1.00\r\n'
    message = refused(operating, line * 200_001)
    assert "200" in message and "000" in message


def test_the_cli_names_the_problem_and_imports_nothing(operating, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(GOOD.replace(b"229.95", b"229.955"))
    with pytest.raises(CommandError) as caught:
        call_command("bank", "import", str(bad), "--account", "1000", "--json")
    assert "Ligne 2" in str(caught.value) or "Line 2" in str(caught.value)
    assert not BankLine.objects.exists()
