"""Money helpers: exact Decimal arithmetic, one rounding helper per rule.

Money is ``decimal.Decimal`` everywhere, built from strings. Rounding is
half-up to the cent unless a rule says otherwise (ARCHITECTURE §3).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency

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


def format_money(value: Decimal, language: str = "fr", currency: str = "CAD") -> str:
    """``1 234,56 $`` in French (Québec), ``$1,234.56`` in English (Canada)."""
    locale = _LOCALES.get((language or "fr")[:2], "fr_CA")
    # Round here with our rule (Babel's own rounding is half-to-even), and
    # never show "-0,00 $" for a balance that came back to zero.
    amount = round_half_up(Decimal(value))
    if amount == 0:
        amount = abs(amount)
    return str(format_currency(amount, currency, locale=locale))
