"""Canadian and Québec identifiers, checked before anything is saved.

- SIN: Luhn check digit (python-stdnum ``ca.sin``).
- GST/HST registration number ``123456782 RT0001``: a business number whose
  9 digits carry a Luhn check digit (``ca.bn``), program ``RT``.
- QST registration number ``1234567890 TQ0001``: Revenu Québec publishes no
  check digit, so the format is checked (quebec-2026.md §1).
- NEQ (Québec enterprise number): 10 digits starting with 11, 22, 33 or 88.
- Canadian postal code ``A1A 1A1``: no D, F, I, O, Q or U; no W or Z first;
  its first letter names the province (Canada Post's forward sortation areas).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.ca import bn, sin
from stdnum.exceptions import ValidationError as StdnumError

# Examples shown to people: each passes its own check (a test holds it).
GST_EXAMPLE = "123456782 RT0001"
QST_EXAMPLE = "1234567890 TQ0001"

_QST_RE = re.compile(r"^(\d{10})TQ(\d{4})$")
_NEQ_RE = re.compile(r"^(11|22|33|88)\d{8}$")
_BANK_RE = re.compile(r"^(\d{3})-(\d{5})-(\d{7,12})$")
_POSTAL_RE = re.compile(
    r"^([ABCEGHJ-NPRSTVXY])(\d)([ABCEGHJ-NPRSTV-Z])(\d)([ABCEGHJ-NPRSTV-Z])(\d)$"
)
# First letter of the postal codes of each province and territory (Canada Post).
POSTAL_FIRST_LETTERS = {
    "NL": "A",
    "NS": "B",
    "PE": "C",
    "NB": "E",
    "QC": "GHJ",
    "ON": "KLMNP",
    "MB": "R",
    "SK": "S",
    "AB": "T",
    "BC": "V",
    "NT": "X",
    "NU": "X",
    "YT": "Y",
}


def _compact(value: str) -> str:
    return re.sub(r"[\s\-]", "", value or "").upper()


def clean_sin(value: str) -> str:
    """Return the 9 digits of a valid SIN, or raise a ValidationError."""
    try:
        return str(sin.validate(value))
    except StdnumError as exc:
        raise ValidationError(
            _("This social insurance number is not valid (9 digits with a valid check digit)."),
            code="invalid_sin",
        ) from exc


def clean_gst_number(value: str) -> str:
    """Return ``123456782RT0001`` for a valid GST/HST number."""
    compact = _compact(value)
    if len(compact) == 9:
        raise ValidationError(
            _("Give the full GST/HST number with its program and account: %(example)s."),
            code="invalid_gst",
            params={"example": GST_EXAMPLE},
        )
    try:
        number = str(bn.validate(compact))
    except StdnumError as exc:
        raise ValidationError(
            _(
                "This GST/HST number is not valid: 9 digits with a valid check digit, "
                "then RT and 4 digits (%(example)s)."
            ),
            code="invalid_gst",
            params={"example": GST_EXAMPLE},
        ) from exc
    if number[9:11] != "RT":
        raise ValidationError(
            _("A GST/HST number uses the RT program: %(example)s."),
            code="invalid_gst",
            params={"example": GST_EXAMPLE},
        )
    return number


def clean_qst_number(value: str) -> str:
    """Return ``1234567890TQ0001`` for a well-formed QST number."""
    compact = _compact(value)
    if not _QST_RE.match(compact):
        raise ValidationError(
            _("This QST number is malformed: 10 digits, then TQ and 4 digits (%(example)s)."),
            code="invalid_qst",
            params={"example": QST_EXAMPLE},
        )
    return compact


def clean_neq(value: str) -> str:
    compact = _compact(value)
    if not _NEQ_RE.match(compact):
        raise ValidationError(
            _(
                "This Québec enterprise number (NEQ) is not valid: 10 digits starting with 11, 22, "
                "33 or 88."
            ),
            code="invalid_neq",
        )
    return compact


def clean_bank_account(value: str) -> str:
    """``institution-transit-account``: 3, 5 and 7 to 12 digits (Payments Canada)."""
    compact = re.sub(r"\s", "", value or "")
    if not _BANK_RE.match(compact):
        raise ValidationError(
            _("Give the bank account as institution-transit-account, e.g. 815-30001-1234567."),
            code="invalid_bank_account",
        )
    return compact


def clean_postal_code(value: str, *, province: str = "", country: str = "CA") -> str:
    """``H2X 1Y4`` for a Canadian address (its first letter matching the
    province); other countries keep their postal code as given."""
    text = (value or "").strip().upper()
    if country != "CA" or not text:
        return text
    compact = re.sub(r"[\s\-]", "", text)
    match = _POSTAL_RE.match(compact)
    if not match:
        raise ValidationError(
            _(
                "This Canadian postal code is not valid: "
                "letter, digit, letter, digit, letter, digit (H2X 1Y4)."
            ),
            code="invalid_postal_code",
        )
    letters = POSTAL_FIRST_LETTERS.get(province, "")
    if letters and compact[0] not in letters:
        raise ValidationError(
            _(
                "This postal code is not in the chosen province "
                "(its first letter should be %(letters)s)."
            ),
            code="postal_code_province",
            params={"letters": " / ".join(letters)},
        )
    return f"{compact[:3]} {compact[3:]}"


def format_gst_number(value: str) -> str:
    return f"{value[:9]} {value[9:]}" if value else ""


def format_qst_number(value: str) -> str:
    return f"{value[:10]} {value[10:]}" if value else ""
