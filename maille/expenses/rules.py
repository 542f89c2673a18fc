"""The tax-recovery and mileage rules of a claim, as pure functions over frozen inputs.

- Input tax credits (GST/HST) and refunds (QST): the co-op, always registered,
  recovers the taxes a receipt shows, except
  * from the registration threshold (100 $, quebec-2026.md §1 "invoice
    mentions"), a tax with no supplier registration number on the receipt
    gives no credit (the co-op could not show the document an auditor asks for);
  * meals and entertainment give 50 % of each credit (ETA s. 236; QST
    s. 457.1), rounded half-up to the cent, claimed as we go.
- Mileage: the kilometres are paid at the rate in force on the trip's date,
  the first ``km_threshold`` kilometres of the calendar year at the first
  rate, counted per member across all their activities, the rest at the
  lower rate (quebec-operations.md §7). No credit is claimed on a per-km
  allowance (decision 0011: simpler and never over-claimed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from maille.core.money import ZERO, round_half_up
from maille.taxes.sales import highest_rate

MEALS = "meals"


@dataclass(frozen=True, slots=True)
class Rules:
    km_rate_first: Decimal
    km_rate_after: Decimal
    km_threshold: int
    meals_credit_share: Decimal
    registration_threshold: Decimal


@dataclass(frozen=True, slots=True)
class Credits:
    itc: Decimal
    itr: Decimal
    notes: tuple[str, ...]  #: codes: "no_gst_number", "no_qst_number", "meals"


def credits(
    *,
    rules: Rules,
    category: str,
    amount: Decimal,
    gst_hst: Decimal,
    qst: Decimal,
    gst_number: str,
    qst_number: str,
) -> Credits:
    itc, itr = gst_hst, qst
    notes: list[str] = []
    if amount >= rules.registration_threshold:
        if itc and not gst_number:
            itc, notes = ZERO, [*notes, "no_gst_number"]
        if itr and not qst_number:
            itr, notes = ZERO, [*notes, "no_qst_number"]
    if category == MEALS and (itc or itr):
        itc = round_half_up(itc * rules.meals_credit_share)
        itr = round_half_up(itr * rules.meals_credit_share)
        notes.append("meals")
    return Credits(itc=itc, itr=itr, notes=tuple(notes))


@dataclass(frozen=True, slots=True)
class Mileage:
    km_first: Decimal
    km_after: Decimal
    amount: Decimal


def mileage(*, rules: Rules, km: Decimal, already_this_year: Decimal) -> Mileage:
    """Split ``km`` at the year's threshold, given what the member already claimed."""
    left_at_first_rate = max(Decimal(rules.km_threshold) - already_this_year, ZERO)
    first = min(km, left_at_first_rate)
    after = km - first
    amount = round_half_up(first * rules.km_rate_first + after * rules.km_rate_after)
    return Mileage(km_first=first, km_after=after, amount=amount)


def tax_problems(*, on: dt.date, amount: Decimal, gst_hst: Decimal, qst: Decimal) -> dict[str, str]:
    """Taxes a receipt of ``amount`` cannot hold, by field (codes; the edge words them).

    A receipt's GST/HST is at most what the highest rate in force that day
    gives on the amount (taxes included), its QST at most what the QST rate
    gives, a cent of rounding allowed; and together they stay below the amount.
    """
    problems = {}
    if gst_hst < 0:
        problems["gst_hst"] = "negative"
    if qst < 0:
        problems["qst"] = "negative"
    rate = highest_rate("HST", on) or highest_rate("GST", on)
    if gst_hst > round_half_up(amount * rate / (1 + rate)) + Decimal("0.01"):
        problems["gst_hst"] = "too_high"
    q = highest_rate("QST", on)
    if qst > round_half_up(amount * q / (1 + q)) + Decimal("0.01"):
        problems["qst"] = "too_high"
    if "gst_hst" not in problems and "qst" not in problems and gst_hst + qst >= amount:
        problems["gst_hst"] = "too_high"
    return problems
