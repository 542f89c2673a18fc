"""What the statement parsers share: the ``Statement``/``Transaction`` types, limits,
amount and date readers, format detection and the common checks."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from maille.payments.exceptions import StatementRefused

MAX_LINES = 200_000
MAX_LINE_LENGTH = 10_000
MAX_BYTES = 50 * 1024 * 1024
MAX_AMOUNT = Decimal("999999999999.99")
MAX_PROBLEMS = 50


@dataclass(frozen=True, slots=True)
class Transaction:
    line_no: int  # where it starts in the file, for messages
    date: dt.date
    amount: Decimal  # deposit positive, withdrawal negative
    description: str
    payer_name: str = ""
    reference: str = ""  # FITID, AcctSvcrRef, cheque number…
    end_to_end_id: str = ""
    remittance: str = ""


@dataclass(slots=True)
class Statement:
    format: str
    encoding: str = ""
    institution: str = ""  # identifiers the file gives, digits only ("" when none)
    transit: str = ""
    account: str = ""
    currency: str = ""
    opening_balance: Decimal | None = None
    closing_balance: Decimal | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    transactions: list[Transaction] = field(default_factory=list)


class Problems:
    """Collects every problem of a file (up to ``MAX_PROBLEMS``) before refusing it."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, line_no: int | None, message: str) -> None:
        if len(self.items) >= MAX_PROBLEMS:
            return
        if line_no is None:
            self.items.append(message)
        else:
            self.items.append(_("Line %(n)s: %(problem)s") % {"n": line_no, "problem": message})

    def raise_if_any(self) -> None:
        if self.items:
            raise StatementRefused(self.items)


def refuse(message: str, line_no: int | None = None) -> StatementRefused:
    problems = Problems()
    problems.add(line_no, message)
    return StatementRefused(problems.items)


_COMMA_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")  # 1,234.56
_DOT_THOUSANDS = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?")  # 1.234,56
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")  # 1234,56
_PLAIN = re.compile(r"[+-]?\d+(\.(?P<decimals>\d+))?")


def amount_of(raw: str, *, decimal_comma: bool = False) -> Decimal:
    """A bank amount as written (``1234.56``, ``-1,234.56``, ``1 234,56``,
    ``1.234,56``); ValueError if not.

    A comma or a dot is read as a thousands separator only where it cannot be
    the decimal mark. ``12,500`` could be twelve thousand five hundred (an
    English export) or 12,50 $ written with three decimals (a French one): it
    is refused, unless the account's column mapping says the bank writes a
    decimal comma. Decimals are counted as written: ``12.500`` is refused as
    ``12.345`` is, never read as 12,50 $."""
    shown = raw.strip()[:40]
    text = raw.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    text = text.replace("$", "")
    negative = text.startswith("(") and text.endswith(")")
    text = text.strip("()")
    if decimal_comma or (_DOT_THOUSANDS.fullmatch(text) and "," in text):
        text = text.replace(".", "").replace(",", ".")
    elif _COMMA_THOUSANDS.fullmatch(text):
        if "." not in text and text.count(",") == 1:
            raise ValueError(
                _("%(v)s is ambiguous: the comma may separate thousands or decimals.")
                % {"v": shown}
            )
        text = text.replace(",", "")
    elif _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(",", ".")
    match = _PLAIN.fullmatch(text)
    if match is None:
        raise ValueError(_("%(v)s is not an amount.") % {"v": shown})
    if len(match.group("decimals") or "") > 2:
        raise ValueError(_("%(v)s has more than two decimals.") % {"v": shown})
    value = Decimal(text)
    if abs(value) > MAX_AMOUNT:
        raise ValueError(_("%(v)s is too large.") % {"v": shown})
    return -value if negative else value


@functools.lru_cache(maxsize=4096)
def _day(raw: str, fmt: str) -> dt.date:
    """A statement has a few dozen distinct days over its thousands of lines."""
    return dt.datetime.strptime(raw, fmt).date()  # noqa: DTZ007 — a calendar day


def date_of(raw: str, fmt: str) -> dt.date:
    try:
        return _day(raw.strip(), fmt)
    except ValueError:
        raise ValueError(
            _("%(v)s is not a date that exists (expected %(f)s).")
            % {
                "v": raw.strip()[:20],
                "f": fmt.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD"),
            }
        ) from None


def digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def normalise(text: str) -> str:
    """Upper case, no accents, words of letters and digits only, sorted and unique.

    The same transaction exported as OFX (``NAME`` + ``MEMO``) and as CSV
    (``Type /Counterparty``) gives the same words in another order.
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()
    return " ".join(sorted(set(re.findall(r"[A-Z0-9]+", plain))))


def check_common(statement: Statement, problems: Problems) -> None:
    if not statement.transactions:
        problems.add(None, _("The file has no transaction."))
    if len(statement.transactions) > MAX_LINES:
        problems.add(
            None,
            _("The file has %(n)s transactions; at most %(max)s are imported at once.")
            % {"n": len(statement.transactions), "max": MAX_LINES},
        )


_UTF8_ACCENT = re.compile(rb"\xc3[\x80-\xbf]")


def decode(data: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-8 (with or without BOM) when it decodes, else cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise refuse(_("The file is not text in a known encoding.")) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        # UTF-8 accents (é is C3 A9; "Ã©" in Windows-1252, never written so)
        # beside a byte that is not UTF-8: a damaged file, or two joined. Read
        # as Windows-1252, every accent would come out wrong.
        if _UTF8_ACCENT.search(data):
            line_no = data[: exc.start].count(b"\n") + 1
            raise refuse(
                _("the file is UTF-8 but this line holds a byte that is not: is it damaged?"),
                line_no,
            ) from None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line_no = data[: exc.start].count(b"\n") + 1
        raise refuse(_("the text is neither UTF-8 nor Windows-1252."), line_no) from None
    return text, "cp1252"


def refuse_declarations(data: bytes) -> None:
    """Refuse a file declaring a DOCTYPE or an entity: an "XML bomb" or an
    external entity has no place in a bank statement (CAMT.053, OFX 2)."""
    upper = data.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise refuse(_("The XML file declares a DOCTYPE or entities: refused."))


def check_shape(data: bytes) -> None:
    """Refuse what is not a text file, or too big to be one statement."""
    if not data.strip():
        raise refuse(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise refuse(_("The file is larger than %(n)s MB.") % {"n": MAX_BYTES // (1024 * 1024)})
    head = data[:65536]
    if head.startswith((b"%PDF", b"PK\x03\x04")):
        raise refuse(
            _(
                "This is a PDF or a ZIP file (a spreadsheet, say), not a statement: "
                "export it from the bank as OFX, CAMT.053 or CSV."
            )
        )
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refuse(_("This is a binary file, not a bank statement."))
    if len(data) > MAX_LINE_LENGTH:
        for line_no, line in enumerate(data.split(b"\n"), start=1):
            if len(line) > MAX_LINE_LENGTH:
                raise refuse(
                    _("the line is longer than %(n)s characters.") % {"n": MAX_LINE_LENGTH},
                    line_no,
                )


FORMATS = ("ofx", "qfx", "camt053", "csv-desjardins", "csv-rbc", "csv")


def detect(data: bytes, filename: str = "") -> str:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \r\n\t")
    upper = head.upper()
    if upper.startswith(b"OFXHEADER") or b"<OFX>" in upper or b"<?OFX" in upper:
        return "qfx" if filename.lower().endswith(".qfx") or b"INTU." in upper else "ofx"
    if upper.startswith(b"<?XML") or upper.startswith(b"<DOCUMENT"):
        if b"CAMT.053" in upper or b"BKTOCSTMRSTMT" in upper:
            return "camt053"
        raise refuse(_("This XML file is not a CAMT.053 statement."))
    first = head.split(b"\n", 1)[0].decode("cp1252", "replace")
    if first.lower().startswith("account type,account number,transaction date"):
        return "csv-rbc"
    cells = first.split(",")
    if len(cells) >= 14 and re.fullmatch(r'"?\d{4}/\d{2}/\d{2}"?', cells[3].strip()):
        return "csv-desjardins"
    return "csv"
