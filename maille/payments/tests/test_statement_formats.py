"""Each statement format, read from a hand-written file (reference §2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest

from maille.payments.parsers import detect, parse
from maille.payments.parsers.common import amount_of
from maille.payments.parsers.csvs import interac_sender

FILES = Path(__file__).parent / "statements"


def read(name):
    return (FILES / name).read_bytes()


def test_the_desjardins_csv_is_cp1252_without_header():
    data = read("desjardins_2026_06.csv")
    assert detect(data) == "csv-desjardins"
    s = parse(data)
    assert (s.encoding, s.transit, s.account) == ("cp1252", "81530001", "1234567")
    first = s.transactions[0]
    assert (first.date, first.amount, first.payer_name) == (
        dt.date(2026, 6, 2),
        D("1149.75"),
        "ÉDITIONS DU FLEUVE INC.",
    )
    assert s.transactions[-1].amount == D("-4.95")
    assert (s.opening_balance, s.closing_balance) == (D("5000.00"), D("6574.75"))


def test_ofx_gives_the_institution_and_transit_in_bankid():
    data = read("ofx_2026_06.ofx")
    assert detect(data, "releve.ofx") == "ofx"
    assert detect(data, "releve.qfx") == "qfx"
    s = parse(data)
    assert (s.institution, s.transit, s.account, s.currency) == ("815", "30001", "1234567", "CAD")
    assert len(s.transactions) == 6
    assert s.transactions[0].reference == "90000001"
    assert s.transactions[5].remittance == "Invoice F-2026-000002 thanks"
    assert s.closing_balance == D("7149.63")


def test_an_ofx_file_in_windows_1252_keeps_its_accents():
    # The header says CHARSET:1252 and the bytes are cp1252, as Desjardins sends them.
    s = parse(read("ofx_2026_06.ofx"))
    assert s.encoding == "cp1252"
    first = s.transactions[0]
    assert (first.payer_name, first.remittance) == ("ÉDITIONS DU FLEUVE INC.", "Virement reçu")
    # The same file saved as UTF-8 by a tool that left the header alone.
    again = parse(read("ofx_2026_06.ofx").decode("cp1252").encode("utf-8"))
    assert again.transactions[0].payer_name == "ÉDITIONS DU FLEUVE INC."


def test_ofx_character_entities_are_read():
    data = read("ofx_2026_06.ofx").replace(
        "ÉDITIONS DU FLEUVE INC.".encode("cp1252"), b"R&amp;D &lt;PLUS&gt; INC."
    )
    assert parse(data).transactions[0].payer_name == "R&D <PLUS> INC."


def test_an_ofx_bankid_of_institution_and_transit_without_the_leading_zero():
    data = read("ofx_2026_06.ofx").replace(b"<BANKID>081530001", b"<BANKID>81530001")
    s = parse(data)
    assert (s.institution, s.transit) == ("815", "30001")


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("desjardins_2026_06.csv", "csv-desjardins"), ("rbc_2026_06.csv", "csv-rbc"),
     ("camt053_2026_06.xml", "camt053")],
)  # fmt: skip
def test_a_utf16_export_is_read_as_the_same_statement(name, fmt):
    raw = read(name)
    text = raw.decode("cp1252" if fmt == "csv-desjardins" else "utf-8")
    s = parse(text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"), filename=name)
    assert (s.format, s.encoding) == (fmt, "utf-16")
    assert s.transactions == parse(raw, filename=name).transactions


def test_camt_reads_booked_entries_only():
    data = read("camt053_2026_06.xml").replace(b"<Cd>BOOK</Cd>", b"<Cd>PDNG</Cd>", 1)
    s = parse(data)
    assert len(s.transactions) == len(parse(read("camt053_2026_06.xml")).transactions) - 1
    assert D("1149.75") not in [t.amount for t in s.transactions]


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ((b'<Amt Ccy="CAD">350.00', b'<Amt Ccy="USD">350.00'), "USD"),
        ((b'<Amt Ccy="CAD">350.00', b'<Amt Ccy="CAD">-350.00'), "sans signe"),
    ],
)
def test_a_camt_entry_in_another_currency_or_signed_is_refused(change, why):
    from maille.payments.exceptions import StatementRefused

    with pytest.raises(StatementRefused) as refused:
        parse(read("camt053_2026_06.xml").replace(*change))
    assert "Ligne 27" in refused.value.problems[0] and why in refused.value.problems[0]


def test_an_rbc_file_mixing_currencies_is_refused():
    from maille.payments.exceptions import StatementRefused

    data = read("rbc_2026_06.csv").replace(b"CHEQUE,DEPOSIT,80.00,", b"CHEQUE,DEPOSIT,,80.00")
    with pytest.raises(StatementRefused) as refused:
        parse(data)
    assert "Ligne 4" in refused.value.problems[0] and "USD" in refused.value.problems[0]


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("1234.56", D("1234.56")),
        ("-1,234.56", D("-1234.56")),
        ("1 234,56", D("1234.56")),
        ("1.234,56", D("1234.56")),
        ("12,50", D("12.50")),
        ("(45.00)", D("-45.00")),
        ("1,234,567", D("1234567")),
    ],
)
def test_amounts_as_banks_write_them(written, amount):
    assert amount_of(written) == amount


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("12,500", "ambigu"),  # twelve thousand five hundred, or 12,50 with three decimals
        ("12.500", "deux décimales"),  # never read as 12,50
        ("12.345", "deux décimales"),
        ("12,345.678", "deux décimales"),
        ("12,3,4", "pas un montant"),
    ],
)
def test_amounts_that_cannot_be_read_surely_are_refused(written, why):
    with pytest.raises(ValueError, match=why):
        amount_of(written)


def test_a_decimal_comma_mapping_settles_the_comma():
    assert amount_of("1.234", decimal_comma=True) == D("1234")
    assert amount_of("1 234,5", decimal_comma=True) == D("1234.5")
    with pytest.raises(ValueError, match="deux décimales"):
        amount_of("12,500", decimal_comma=True)


def test_camt053_reads_payer_end_to_end_id_and_remittance():
    data = read("camt053_2026_06.xml")
    assert detect(data) == "camt053"
    s = parse(data)
    assert (s.account, s.opening_balance, s.closing_balance) == (
        "1234567",
        D("5000.00"),
        D("6374.75"),
    )
    paid, unknown, fee = s.transactions
    assert (paid.payer_name, paid.end_to_end_id, paid.remittance) == (
        "Les Éditions du Fleuve",
        "FLEUVE-PAY-8841",
        "Paiement facture F-2026-000001",
    )
    assert paid.reference == "DES20260612000117"
    assert (unknown.end_to_end_id, unknown.remittance) == ("", "ABC-77")
    assert fee.amount == D("-125.00")


def test_the_rbc_csv_and_its_interac_sender():
    data = read("rbc_2026_06.csv")
    assert detect(data) == "csv-rbc"
    s = parse(data)
    assert s.account == "300011234567"
    assert [t.amount for t in s.transactions] == [D("1149.75"), D("-4.95"), D("80.00")]
    assert s.transactions[0].payer_name == "EDITIONS DU FLEUVE"
    assert s.transactions[2].reference == "000421"


@pytest.mark.parametrize(
    ("text", "sender"),
    [
        ("e-Transfer - Autodeposit MARIE CÔTÉ CA9xYz12", "MARIE CÔTÉ"),
        ("INTERAC E-TRF- 4821 JEAN TREMBLAY", "JEAN TREMBLAY"),
        ("Email Trfs ACME INC", "ACME INC"),
        ("PAYROLL DEPOSIT", ""),
    ],
)
def test_interac_senders(text, sender):
    assert interac_sender(text) == sender


def test_a_generic_csv_with_its_saved_mapping():
    mapping = {
        "date": 1,
        "description": 2,
        "debit": 3,
        "credit": 4,
        "reference": 5,
        "header": True,
        "delimiter": ";",
        "decimal_comma": True,
        "date_format": "%Y-%m-%d",
    }
    data = read("generic_2026_06.csv")
    assert detect(data) == "csv"
    s = parse(data, mapping=mapping)
    assert [(t.amount, t.reference) for t in s.transactions] == [
        (D("574.88"), "R-1"),
        (D("-2.50"), "R-2"),
    ]
