"""Money helpers: exact Decimal arithmetic, one rounding helper per rule.

Money is ``decimal.Decimal`` everywhere, built from strings. Rounding is
half-up to the cent unless a rule says otherwise (ARCHITECTURE §3).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency
from django.utils.translation import get_language

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_money(value: Decimal | int | str) -> Decimal:
    """Parse money given as a string or Decimal; floats are refused."""
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    return Decimal(value)


def round_half_up(value: Decimal) -> Decimal:
    """Half a cent or more rounds up (sales taxes; payroll amounts)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


_LOCALES = {"fr": "fr_CA", "en": "en_CA"}


def babel_locale(language: str | None) -> str:
    """The Babel locale of a language code: ``fr``/``fr-ca`` → ``fr_CA``, ``en`` → ``en_CA``;
    anything else → French (Québec), the co-op's language."""
    return _LOCALES.get((language or "fr")[:2].lower(), "fr_CA")


def money_str(value: Decimal | None) -> str:
    """Money as machines read it (JSON, CSV, UBL): two decimals, no grouping, ``"1149.75"``
    (ARCHITECTURE §7); an empty cell for no amount. Rounded half-up like every amount."""
    if value is None:
        return ""
    return f"{round_half_up(Decimal(value)):f}"


def format_money(value: Decimal, language: str = "fr", currency: str = "CAD") -> str:
    """Money as people read it: ``1 234,56 $`` in French (Québec), ``$1,234.56`` in English
    (Canada). Pages, PDFs and messages all go through here."""
    locale = babel_locale(language)
    # Round here with our rule (Babel's own rounding is half-to-even), and
    # never show "-0,00 $" for a balance that came back to zero.
    amount = round_half_up(Decimal(value))
    if amount == 0:
        amount = abs(amount)
    return str(format_currency(amount, currency, locale=locale))


def format_money_active(value: Decimal) -> str:
    """``format_money`` in the active language (the request's, a message's), French when
    none is active."""
    return format_money(value, get_language() or "fr")


_IGNORED_IN_AMOUNTS = str.maketrans("", "", " \u00a0\u202f\u2009$_")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def parse_amount(text: str) -> Decimal:
    """An amount typed by a person: ``2500``, ``2 500,00 $``, ``2,500.00``.

    Spaces and the dollar sign are ignored; a lone comma is a decimal
    separator (French); with both a comma and a point, the last one is.
    Exponents, ``NaN`` and ``Infinity`` are refused. Raise ``ValueError``.
    """
    cleaned = text.strip().translate(_IGNORED_IN_AMOUNTS)
    if "," in cleaned and "." in cleaned:
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    if len(cleaned) > 30 or not _PLAIN_NUMBER.fullmatch(cleaned):
        raise ValueError(text)
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already refuses it
        raise ValueError(text) from exc
