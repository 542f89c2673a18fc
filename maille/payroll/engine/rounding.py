"""The rounding rules of the guides, one helper per rule.

- Contributions, premiums and taxes: half-up to the cent (T4127 ch. 1
  "Rounding procedures"; TP-1015.F §3.1 and §4.1 notes; FSS §5).
- QPP and QPIP employee contributions: an amount above 0 but below 0.01 is
  withheld as 0.01 (TP-1015.F §3.1 note, p. 40; §4.1 note, p. 41).
- QPP basic exemption per period: truncated to the cent (TP-1015.F p. 40;
  T4127 table 6.1: 3 500 / 26 = 134.61).
- TP-1015.3 amount E: rounded to the dollar, half up (TP-1015.F p. 16).

Rate ratios and annualized intermediate figures are not rounded (T4127 ch. 1).
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
ZERO_CENTS = Decimal("0.00")
CENT = Decimal("0.01")
ONE = Decimal("1")


def round_cents(amount: Decimal) -> Decimal:
    """Half-up to the cent: 0.005 becomes 0.01."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def truncate_cents(amount: Decimal) -> Decimal:
    """Drop the digits after the second decimal (QPP exemption per period)."""
    return amount.quantize(CENT, rounding=ROUND_DOWN)


def round_dollar(amount: Decimal) -> Decimal:
    """Half-up to the dollar (TP-1015.3 amount E)."""
    return amount.quantize(ONE, rounding=ROUND_HALF_UP)


def nonnegative_cents(amount: Decimal) -> Decimal:
    """Half-up to the cent; a negative result counts as zero."""
    if amount <= ZERO:
        return ZERO_CENTS
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def withheld_contribution(amount: Decimal) -> Decimal:
    """A QPP/QPIP employee contribution: zero if negative, at least 0.01 if positive."""
    if amount <= ZERO:
        return ZERO_CENTS
    if amount < CENT:
        return CENT
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
