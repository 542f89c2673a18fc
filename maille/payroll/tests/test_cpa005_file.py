"""The CPA-005 credit file, field by field (quebec-operations.md §1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from maille.payroll.cpa005 import Credit, Originator, credit_file, julian

ORIGINATOR = Originator(
    id="0123456789",
    short_name="COOP MAILLE",
    long_name="Coopérative Maille",
    data_centre="81510",
    return_account="815-30001-7654321",
)


def _file(credits):
    return credit_file(
        originator=ORIGINATOR,
        creation_number=42,
        created_on=dt.date(2026, 3, 15),
        due=dt.date(2026, 3, 19),
        credits=credits,
    )


def _credits(n):
    return [
        Credit(
            amount=Decimal("1234.56") + i,
            account="815-30001-1234567",
            payee_name="Camille Tremblay-Bélanger",
            reference=f"MAILLE{i + 1}",
        )
        for i in range(n)
    ]


def test_julian_dates():
    assert julian(dt.date(2026, 3, 15)) == "026074"
    assert julian(dt.date(2026, 1, 1)) == "026001"


def test_header_fields():
    content = _file(_credits(1))
    assert content.endswith("\r\n")
    header = content.split("\r\n")[0]
    assert len(header) == 1464
    assert header[0] == "A"
    assert header[1:10] == "000000001"
    assert header[10:20] == "0123456789"
    assert header[20:24] == "0042"
    assert header[24:30] == "026074"
    assert header[30:35] == "81510"
    assert header[35:55] == " " * 20
    assert header[55:58] == "CAD"
    assert header[58:] == " " * 1406


def test_credit_record_fields():
    records = _file(_credits(1)).split("\r\n")
    detail = records[1]
    assert len(detail) == 1464
    assert detail[0] == "C"
    assert detail[1:10] == "000000002"
    assert detail[10:20] == "0123456789"
    assert detail[20:24] == "0042"
    s = detail[24:264]
    assert s[0:3] == "200"
    assert s[3:13] == "0000123456"
    assert s[13:19] == "026078"
    assert s[19:28] == "081530001"
    assert s[28:40] == "1234567     "
    assert s[40:62] == "0" * 22
    assert s[62:65] == "000"
    assert s[65:80] == "COOP MAILLE    "
    assert s[80:110] == "CAMILLE TREMBLAY-BELANGER     "
    assert s[110:140] == "COOPERATIVE MAILLE            "
    assert s[140:150] == "0123456789"
    assert s[150:169] == "MAILLE1".ljust(19)
    assert s[169:178] == "081530001"
    assert s[178:190] == "7654321     "
    assert s[190:205] == " " * 15
    assert s[205:229] == " " * 24
    assert s[229:240] == "0" * 11
    # Unused segments are blank.
    assert detail[264:] == " " * 1200


def test_six_payments_to_a_record_and_the_trailer_counts_them():
    records = _file(_credits(7)).split("\r\n")[:-1]
    assert [r[0] for r in records] == ["A", "C", "C", "Z"]
    assert records[2][1:10] == "000000003"
    assert records[2][264:] == " " * 1200  # the seventh payment alone in its record
    trailer = records[-1]
    assert len(trailer) == 1464
    assert trailer[1:10] == "000000004"
    assert trailer[10:24] == "01234567890042"
    assert trailer[24:38] == "0" * 14
    assert trailer[38:46] == "0" * 8
    total = sum(int((Decimal("1234.56") + i) * 100) for i in range(7))
    assert trailer[46:60] == str(total).zfill(14)
    assert trailer[60:68] == "00000007"
    assert trailer[68:112] == "0" * 44
    assert trailer[112:] == " " * (1464 - 112)


def test_the_same_inputs_give_the_same_file():
    assert _file(_credits(3)) == _file(_credits(3))
