"""Sales taxes by place of supply, from dated rates (quebec-2026.md §1).

Pure Python (no Django), so the whole tax matrix is tested and benchmarked
alone. Rates are data, not code: ``rates/sales_taxes.toml`` lists each rate
with its validity dates and source; a rate is chosen by the invoice date.

Rules encoded here:
- the place of supply of a service is the province of the client's Canadian
  address (ETA regulations s. 13; QST ss. 22.15.0.1–2); a client abroad has
  no Canadian place of supply and is flagged for staff, who decide whether
  the supply is zero-rated (an export of a service) or taxable (then taxed
  where the work is done, the co-op's province);
- Québec → GST + QST, the QST computed on the price *before* GST (since
  2013); a province with the HST in force on the invoice date → HST at that
  province's rate on that date (Nova Scotia 15 % until 2025-03-31, 14 %
  from 2025-04-01); any other province or territory → GST alone;
- each tax is computed once on the invoice subtotal of its taxable lines and
  rounded half-up to the cent (half a cent or more rounds up); zero-rated
  and exempt lines carry no tax; internal invoices between two activities
  of the co-op carry none either.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path

from maille.core.money import ZERO, round_half_up

RATES_FILE = Path(__file__).parent / "rates" / "sales_taxes.toml"

PROVINCES = ("QC", "ON", "NB", "NS", "PE", "NL", "MB", "SK", "AB", "BC", "YT", "NT", "NU")
ABROAD = "ABROAD"
INTERNAL = "INTERNAL"


class Treatment(StrEnum):
    """How one line is taxed."""

    STANDARD = "standard"
    ZERO_RATED = "zero_rated"
    EXEMPT = "exempt"


class AbroadDecision(StrEnum):
    """Staff's decision for a client outside Canada (QST s. 185; ETA Sch. VI Part V)."""

    UNDECIDED = ""
    ZERO_RATED = "zero_rated"
    TAXABLE = "taxable"


class Regime(StrEnum):
    GST_QST = "gst_qst"
    HST = "hst"
    GST = "gst"
    ZERO_RATED_EXPORT = "export"
    UNDECIDED = "undecided"
    INTERNAL = "internal"


class TaxError(Exception):
    """The taxes cannot be computed; ``code`` says why (the edge words the message)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Rate:
    tax: str  # GST, QST or HST
    rate: Decimal
    valid_from: dt.date
    valid_to: dt.date | None = None
    province: str = ""
    source: str = ""

    def in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True, slots=True)
class TaxLine:
    amount: Decimal
    treatment: Treatment = Treatment.STANDARD


@dataclass(frozen=True, slots=True)
class TaxAmount:
    code: str  # GST, QST, HST
    rate: Decimal
    base: Decimal
    amount: Decimal
    jurisdiction: str  # "CA" for the GST, the province for HST and QST

    @property
    def percent(self) -> Decimal:
        """5, 9.975, 13… (never printed combined: 14.975 % must not appear on a document)."""
        return Decimal(format((self.rate * 100).normalize(), "f"))


@dataclass(frozen=True, slots=True)
class TaxResult:
    place: str  # a province code, ABROAD or INTERNAL
    regime: Regime
    on: dt.date
    subtotal: Decimal
    standard_base: Decimal
    zero_rated_base: Decimal
    exempt_base: Decimal
    taxes: tuple[TaxAmount, ...] = field(default_factory=tuple)

    @property
    def tax_total(self) -> Decimal:
        return sum((t.amount for t in self.taxes), ZERO)

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.tax_total

    @property
    def needs_review(self) -> bool:
        return self.regime == Regime.UNDECIDED

    def amount(self, code: str) -> Decimal:
        return next((t.amount for t in self.taxes if t.code == code), ZERO)


def load_rates(path: Path = RATES_FILE) -> tuple[Rate, ...]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return tuple(
        Rate(
            tax=row["tax"],
            rate=Decimal(str(row["rate"])),
            valid_from=row["valid_from"],
            valid_to=row.get("valid_to"),
            province=row.get("province", ""),
            source=row.get("source", ""),
        )
        for row in data["rates"]
    )


@cache
def default_rates() -> tuple[Rate, ...]:
    rates = load_rates()
    problems = validate_rates(rates)
    if problems:
        raise ValueError("invalid sales tax rates file: " + "; ".join(problems))
    return rates


def validate_rates(rates: Iterable[Rate]) -> list[str]:
    """Every problem of a rates table: bad values, reversed dates, overlaps."""
    problems: list[str] = []
    by_key: dict[tuple[str, str], list[Rate]] = {}
    for r in rates:
        label = f"{r.tax} {r.province or 'CA'} from {r.valid_from}"
        if r.tax not in ("GST", "QST", "HST"):
            problems.append(f"{label}: unknown tax")
        if not (Decimal(0) <= r.rate < 1):
            problems.append(f"{label}: rate must be a fraction between 0 and 1")
        if r.valid_to is not None and r.valid_to < r.valid_from:
            problems.append(f"{label}: valid_to is before valid_from")
        if r.tax == "HST" and r.province not in PROVINCES:
            problems.append(f"{label}: HST needs a province")
        if not r.source:
            problems.append(f"{label}: no source")
        by_key.setdefault((r.tax, r.province), []).append(r)
    for group in by_key.values():
        group.sort(key=lambda r: r.valid_from)
        for a, b in itertools.pairwise(group):
            if a.valid_to is None or a.valid_to >= b.valid_from:
                where = a.province or "CA"
                problems.append(f"{a.tax} {where}: {a.valid_from} overlaps {b.valid_from}")
    return problems


def rate_on(
    tax: str, on: dt.date, province: str = "", rates: Sequence[Rate] | None = None
) -> Rate | None:
    for r in rates if rates is not None else default_rates():
        if r.tax == tax and r.province == province and r.in_force(on):
            return r
    return None


def place_of_supply(*, country: str, province: str) -> str:
    """The province whose taxes apply, or ABROAD for a client outside Canada."""
    country = (country or "").upper()
    province = (province or "").upper()
    if country and country != "CA":
        return ABROAD
    if not province:
        raise TaxError("no_province", "a Canadian client needs a province")
    if province not in PROVINCES:
        raise TaxError("unknown_province", province)
    return province


def taxes_for(
    *, province: str, on: dt.date, base: Decimal, rates: Sequence[Rate] | None = None
) -> tuple[Regime, tuple[TaxAmount, ...]]:
    """The regime and tax amounts of a taxable ``base`` supplied in ``province`` on ``on``."""
    hst = rate_on("HST", on, province, rates)
    if hst is not None:
        return Regime.HST, (_tax("HST", hst, base, province),)
    gst = rate_on("GST", on, "", rates)
    if gst is None:
        raise TaxError("no_rate", f"GST on {on}")
    amounts = [_tax("GST", gst, base, "CA")]
    if province == "QC":
        qst = rate_on("QST", on, "", rates)
        if qst is None:
            raise TaxError("no_rate", f"QST on {on}")
        # The QST is on the price before GST (since 2013-01-01).
        amounts.append(_tax("QST", qst, base, "QC"))
        return Regime.GST_QST, tuple(amounts)
    return Regime.GST, tuple(amounts)


def _tax(code: str, rate: Rate, base: Decimal, jurisdiction: str) -> TaxAmount:
    return TaxAmount(code, rate.rate, base, round_half_up(base * rate.rate), jurisdiction)


def compute(
    *,
    lines: Sequence[TaxLine],
    on: dt.date,
    country: str = "CA",
    province: str = "",
    abroad: AbroadDecision | str = AbroadDecision.UNDECIDED,
    internal: bool = False,
    home_province: str = "QC",
    rates: Sequence[Rate] | None = None,
) -> TaxResult:
    """Taxes of an invoice whose lines are already rounded to the cent."""
    subtotal = sum((line.amount for line in lines), ZERO)
    bases = {t: sum((x.amount for x in lines if x.treatment == t), ZERO) for t in Treatment}
    standard, zero, exempt = (
        bases[Treatment.STANDARD],
        bases[Treatment.ZERO_RATED],
        bases[Treatment.EXEMPT],
    )
    if internal:
        return TaxResult(INTERNAL, Regime.INTERNAL, on, subtotal, ZERO, ZERO, subtotal)
    place = place_of_supply(country=country, province=province)
    tax_province = place
    if place == ABROAD:
        decision = AbroadDecision(abroad)
        if decision == AbroadDecision.UNDECIDED:
            return TaxResult(place, Regime.UNDECIDED, on, subtotal, standard, zero, exempt)
        if decision == AbroadDecision.ZERO_RATED:
            # An exported service is zero-rated as a whole.
            return TaxResult(
                place, Regime.ZERO_RATED_EXPORT, on, subtotal, ZERO, standard + zero, exempt
            )
        tax_province = home_province
    regime, taxes = taxes_for(province=tax_province, on=on, base=standard, rates=rates)
    return TaxResult(place, regime, on, subtotal, standard, zero, exempt, taxes)


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """A line's amount: quantity × unit price, half-up to the cent."""
    return round_half_up(quantity * unit_price)


def credited_share(
    *,
    original: Decimal,
    original_base: Decimal,
    credited_before: Decimal,
    credited_now: Decimal,
    reversed_before: Decimal,
) -> Decimal:
    """The part of ``original`` (a tax or a contribution) that a credit note reverses.

    Pro rata of the base credited, computed on the running total so that
    partial credit notes that add up to the whole invoice reverse exactly the
    original amount, cent for cent.
    """
    if original_base == 0:
        return ZERO
    cumulative = round_half_up(original * (credited_before + credited_now) / original_base)
    return cumulative - reversed_before


def taxes_included(
    *, province: str, on: dt.date, total: Decimal, rates: Sequence[Rate] | None = None
) -> tuple[TaxAmount, ...]:
    """The taxes inside a ``total`` paid to a supplier in ``province`` (a receipt, taxes
    included): the base is ``total / (1 + the rates)``, each tax half-up on that base.

    A proposal for an expense claim: the receipt's own figures win when it shows them
    (a receipt may mix taxable and zero-rated goods).
    """
    _regime, unit = taxes_for(province=province, on=on, base=Decimal(1), rates=rates)
    base = round_half_up(total / (1 + sum((t.rate for t in unit), ZERO)))
    return taxes_for(province=province, on=on, base=base, rates=rates)[1]


def highest_rate(tax: str, on: dt.date, rates: Sequence[Rate] | None = None) -> Decimal:
    """The highest rate of ``tax`` in force anywhere on ``on`` (0 when none is)."""
    table = rates if rates is not None else default_rates()
    found = [r.rate for r in table if r.tax == tax and r.in_force(on)]
    return max(found, default=ZERO)
