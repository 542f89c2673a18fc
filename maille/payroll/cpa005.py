"""CPA Standard 005 credit files (AFT, 1 464-character records; quebec-operations.md §1).

One header ``A``, credit records ``C`` each carrying up to six 240-character
payment segments, and one trailer ``Z``; records end with CRLF. Numbers are
right-justified and zero-filled, text left-justified and space-filled, dates
``0YYDDD`` (Julian). Transaction code 200 (payroll deposit) unless a credit
carries its own (an expense reimbursement, from the apps above payroll). The trailer's
count includes the header and the trailer; its error-correction fields (two
pairs of 14-digit value and 8-digit count) are zeros. Pure functions: the
same inputs always give the same file.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

RECORD = 1464
SEGMENT = 240
SEGMENTS_PER_RECORD = 6
PAYROLL_DEPOSIT = "200"

#: Why the bank returned a deposit (Payments Canada Standard 007).
RETURN_REASONS = {
    "901": _("insufficient funds"),
    "902": _("account not found"),
    "905": _("account closed"),
    "912": _("invalid account number"),
    "914": _("incorrect payee name"),
    "922": _("returned by the customer"),
}


@dataclass(frozen=True, slots=True)
class Originator:
    id: str  #: 10 characters, assigned by the bank
    short_name: str  #: 15, shown on the payee's statement
    long_name: str  #: 30
    data_centre: str  #: 5, or blank
    return_account: str  #: ``institution-transit-account`` for returned payments


@dataclass(frozen=True, slots=True)
class Credit:
    amount: Decimal
    account: str  #: ``institution-transit-account``
    payee_name: str
    reference: str  #: originator cross-reference, unique per payment (19)
    transaction_code: str = PAYROLL_DEPOSIT  #: CPA Standard 007, three digits


def julian(day: dt.date) -> str:
    """``0YYDDD``: 2026-03-15 → ``026074``."""
    return f"0{day.year % 100:02d}{day.timetuple().tm_yday:03d}"


def text(value: str, width: int) -> str:
    """Left-justified, space-filled, ASCII capitals (banks read no accents)."""
    ascii_only = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return ascii_only.upper()[:width].ljust(width)


def number(value: int, width: int) -> str:
    digits = str(value)
    if value < 0 or len(digits) > width:
        raise ValueError(f"{value} does not fit in {width} digits")
    return digits.zfill(width)


def cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def routing(account: str) -> tuple[str, str]:
    """``815-30001-1234567`` → (``081530001``, ``1234567``)."""
    institution, transit, number_ = account.split("-")
    return f"0{institution}{transit}", number_


def _segment(credit: Credit, originator: Originator, due: dt.date) -> str:
    route, account = routing(credit.account)
    return_route, return_account = routing(originator.return_account)
    if not (len(credit.transaction_code) == 3 and credit.transaction_code.isdigit()):
        raise ValueError(f"transaction code {credit.transaction_code!r} is not three digits")
    segment = (
        credit.transaction_code
        + number(cents(credit.amount), 10)
        + julian(due)
        + route
        + text(account, 12)
        + "0" * 22  # trace number (the bank fills it)
        + "0" * 3  # stored transaction type
        + text(originator.short_name, 15)
        + text(credit.payee_name, 30)
        + text(originator.long_name, 30)
        + text(originator.id, 10)
        + text(credit.reference, 19)
        + return_route
        + text(return_account, 12)
        + " " * 15  # sundry information
        + " " * 22  # filler
        + " " * 2  # settlement code
        + "0" * 11  # invalid data element ID
    )
    if len(segment) != SEGMENT:  # a field above has the wrong width
        raise ValueError(f"segment of {len(segment)} characters")
    return segment


def credit_file(
    *,
    originator: Originator,
    creation_number: int,
    created_on: dt.date,
    due: dt.date,
    credits: list[Credit],
    currency: str = "CAD",
) -> str:
    """The whole file, records joined by CRLF (with a final CRLF)."""
    prefix = text(originator.id, 10) + number(creation_number, 4)
    records = [
        "A"
        + number(1, 9)
        + prefix
        + julian(created_on)
        + text(originator.data_centre, 5)
        + " " * 20
        + text(currency, 3)
    ]
    for start in range(0, len(credits), SEGMENTS_PER_RECORD):
        group = credits[start : start + SEGMENTS_PER_RECORD]
        body = "".join(_segment(c, originator, due) for c in group)
        records.append("C" + number(len(records) + 1, 9) + prefix + body)
    total = sum((cents(c.amount) for c in credits), 0)
    records.append(
        "Z"
        + number(len(records) + 1, 9)
        + prefix
        + number(0, 14)
        + number(0, 8)
        + number(total, 14)
        + number(len(credits), 8)
        + "0" * 44  # error corrections E and F: value 14 + count 8, twice
    )
    return "".join(record.ljust(RECORD) + "\r\n" for record in records)


# --- The bank's return file --------------------------------------------------------------

#: Logical record type of returned credits in a CPA-005 return file; some banks
#: send the returned item back as the original credit record (``C``).
RETURN_RECORD_TYPES = ("I", "C")


@dataclass(frozen=True, slots=True)
class ReturnedItem:
    """One deposit the bank sends back, as its return file describes it."""

    amount: Decimal
    account: str  #: ``institution-transit-account`` of the payee
    payee_name: str
    reference: str  #: our originator cross-reference (``MAILLE<payslip id>``)
    reason: str  #: Standard 007 return code, '' when the file gives none we know


@dataclass(frozen=True, slots=True)
class ReturnFile:
    originator_id: str
    creation_number: int
    items: list[ReturnedItem]


def _reason(segment: str) -> str:
    """The Standard 007 code of a returned item. Banks put it in the fields the
    standard leaves to them (stored transaction type, sundry information or the
    invalid data element ID): the first known code found there, in that order."""
    for field in (segment[62:65], segment[190:205], segment[229:240]):
        for start in range(len(field) - 2):
            if field[start : start + 3] in RETURN_REASONS:
                return field[start : start + 3]
    return ""


def _returned(segment: str) -> ReturnedItem:
    route, account = segment[19:28], segment[28:40].strip()
    if not (segment[3:13].isdigit() and route.isdigit() and account):
        raise ValueError("malformed payment segment")
    return ReturnedItem(
        amount=Decimal(int(segment[3:13])) / 100,
        account=f"{route[1:4]}-{route[4:9]}-{account}",
        payee_name=segment[80:110].strip(),
        reference=segment[150:169].strip(),
        reason=_reason(segment),
    )


def parse_returns(content: str) -> ReturnFile:
    """Read a CPA-005 return file: header ``A``, returned items, trailer ``Z``.

    Raises ``ValueError`` naming the record that is not what the standard says.
    """
    records = [r for r in content.replace("\r\n", "\n").split("\n") if r.strip()]
    if len(records) < 2 or records[0][:1] != "A" or records[-1][:1] != "Z":
        raise ValueError("a CPA-005 file starts with a header A and ends with a trailer Z")
    header = records[0]
    if not header[20:24].isdigit():
        raise ValueError("record 1: the file creation number is not a number")
    items = []
    for n, record in enumerate(records[1:-1], start=2):
        if len(record.rstrip()) > RECORD:
            raise ValueError(f"record {n}: longer than {RECORD} characters")
        if record[:1] not in RETURN_RECORD_TYPES:
            raise ValueError(f"record {n}: type {record[:1]!r} is not a returned credit")
        body = record.ljust(RECORD)[24:]
        for k in range(SEGMENTS_PER_RECORD):
            segment = body[k * SEGMENT : (k + 1) * SEGMENT]
            if not segment.strip() or segment[3:13] == "0" * 10:
                continue
            try:
                items.append(_returned(segment))
            except ValueError as exc:
                raise ValueError(f"record {n}, payment {k + 1}: {exc}") from exc
    return ReturnFile(
        originator_id=header[10:20].strip(), creation_number=int(header[20:24]), items=items
    )
