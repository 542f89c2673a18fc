"""Canadian and Québec identifiers, checked before anything is saved.

- SIN: Luhn check digit (python-stdnum ``ca.sin``).
- GST/HST registration number ``123456789 RT0001``: a business number whose
  9 digits carry a Luhn check digit (``ca.bn``), program ``RT``.
- QST registration number ``1234567890 TQ0001``: Revenu Québec publishes no
  check digit, so the format is checked (quebec-2026.md §1).
- NEQ (Québec enterprise number): 10 digits starting with 11, 22, 33 or 88.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.ca import bn, sin
from stdnum.exceptions import ValidationError as StdnumError

_QST_RE = re.compile(r"^(\d{10})TQ(\d{4})$")
_NEQ_RE = re.compile(r"^(11|22|33|88)\d{8}$")
_BANK_RE = re.compile(r"^(\d{3})-(\d{5})-(\d{7,12})$")


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
    """Return ``123456789RT0001`` for a valid GST/HST number."""
    compact = _compact(value)
    if len(compact) == 9:
        raise ValidationError(
            _("Give the full GST/HST number with its program and account: 123456789 RT0001."),
            code="invalid_gst",
        )
    try:
        number = str(bn.validate(compact))
    except StdnumError as exc:
        raise ValidationError(
            _(
                "This GST/HST number is not valid: 9 digits with a valid check digit, "
                "then RT and 4 digits (123456789 RT0001)."
            ),
            code="invalid_gst",
        ) from exc
    if number[9:11] != "RT":
        raise ValidationError(
            _("A GST/HST number uses the RT program: 123456789 RT0001."), code="invalid_gst"
        )
    return number


def clean_qst_number(value: str) -> str:
    """Return ``1234567890TQ0001`` for a well-formed QST number."""
    compact = _compact(value)
    if not _QST_RE.match(compact):
        raise ValidationError(
            _("This QST number is malformed: 10 digits, then TQ and 4 digits (1234567890 TQ0001)."),
            code="invalid_qst",
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


def format_gst_number(value: str) -> str:
    return f"{value[:9]} {value[9:]}" if value else ""


def format_qst_number(value: str) -> str:
    return f"{value[:10]} {value[10:]}" if value else ""
