"""A year's payroll parameters, read from data files.

Every rate, bracket and maximum lives in ``years/<year>.toml`` (shipped as
package data), never in code: adding 2027 means adding ``years/2027.toml``.
The file is parsed with :mod:`tomllib` using ``parse_float=Decimal`` so no
value ever passes through a float. Each section must name its ``source``
(guide and page); the loader refuses a file with a missing or malformed value
and lists every problem at once.

Co-op-specific figures (CNESST rate, total payroll and sector for the Health
Services Fund) are not parameters of the year: they are inputs of each
calculation (:class:`maille.payroll.engine.model.EmployerRates`). The year
file only holds a default CNESST rate, marked ``status = "check"``.

Derived constants (the per-period QPP exemption for each P, the rate ratios
of the QPP "additional" and "base" shares, the prorated maxima for PM months)
are computed once here, so the per-calculation code does little more than
arithmetic.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import PayrollParamsError
from .rounding import ZERO, round_cents, truncate_cents

#: Pay periods per year the engine accepts (52/26 become 53/27 in a year
#: with one more pay date; T4127 ch. 4 step 1).
ALLOWED_PERIODS_PER_YEAR: frozenset[int] = frozenset({52, 26, 24, 12, 53, 27})

_MONTHS = Decimal("12")


@dataclass(frozen=True, slots=True)
class Bracket:
    """One tax bracket: ``rate`` applies from ``threshold``; ``constant`` is K."""

    threshold: Decimal
    rate: Decimal
    constant: Decimal


@dataclass(frozen=True, slots=True)
class QppParams:
    rate: Decimal
    base_rate: Decimal
    first_additional_rate: Decimal
    basic_exemption: Decimal
    ympe: Decimal
    max_contribution: Decimal
    max_base_contribution: Decimal
    second_additional_rate: Decimal
    yampe: Decimal
    max_second_additional: Decimal
    # Derived.
    additional_share: Decimal = field(init=False)  # 0.01 / 0.0630, not rounded
    base_share: Decimal = field(init=False)  # 0.0530 / 0.0630, not rounded

    def __post_init__(self) -> None:
        object.__setattr__(self, "additional_share", self.first_additional_rate / self.rate)
        object.__setattr__(self, "base_share", self.base_rate / self.rate)


@dataclass(frozen=True, slots=True)
class EiParams:
    max_insurable: Decimal
    employee_rate: Decimal
    max_employee_premium: Decimal
    employer_multiplier: Decimal
    max_employer_premium: Decimal


@dataclass(frozen=True, slots=True)
class QpipParams:
    max_insurable: Decimal
    employee_rate: Decimal
    max_employee_premium: Decimal
    employer_rate: Decimal
    max_employer_premium: Decimal


@dataclass(frozen=True, slots=True)
class FederalParams:
    lowest_rate: Decimal
    brackets: tuple[Bracket, ...]
    bpa_max: Decimal
    bpa_min: Decimal
    bpa_reduction_start: Decimal
    bpa_reduction_end: Decimal
    canada_employment_amount: Decimal
    quebec_abatement: Decimal
    labour_fund_credit_rate: Decimal
    labour_fund_credit_max: Decimal
    lump_sum_small_income: Decimal
    lump_sum_small_income_rate: Decimal
    # Derived: BPAF reduction per dollar of net income (1 623 / 77 042, not rounded).
    bpa_reduction_slope: Decimal = field(init=False)

    def __post_init__(self) -> None:
        slope = (self.bpa_max - self.bpa_min) / (self.bpa_reduction_end - self.bpa_reduction_start)
        object.__setattr__(self, "bpa_reduction_slope", slope)

    def bracket(self, income: Decimal) -> Bracket:
        """The bracket of annual taxable income A: a rate applies from its threshold."""
        found = self.brackets[0]
        for bracket in self.brackets:
            if income >= bracket.threshold:
                found = bracket
            else:
                break
        return found


@dataclass(frozen=True, slots=True)
class QuebecParams:
    brackets: tuple[Bracket, ...]
    credit_rate: Decimal
    basic_personal_amount: Decimal
    worker_deduction_rate: Decimal
    worker_deduction_max: Decimal
    ftq_credit_rate: Decimal
    fondaction_credit_rate: Decimal
    lump_sum_small_income: Decimal
    lump_sum_small_income_rate: Decimal

    def bracket(self, income: Decimal) -> Bracket:
        """The bracket of annual taxable income I: a rate applies above its threshold."""
        found = self.brackets[0]
        for bracket in self.brackets[1:]:
            if income > bracket.threshold:
                found = bracket
            else:
                break
        return found


@dataclass(frozen=True, slots=True)
class FssParams:
    small_payroll: Decimal
    large_payroll: Decimal
    general_base: Decimal
    general_slope: Decimal
    primary_manufacturing_base: Decimal
    primary_manufacturing_slope: Decimal
    large_payroll_rate: Decimal
    public_rate: Decimal


@dataclass(frozen=True, slots=True)
class CntParams:
    rate: Decimal
    max_per_employee: Decimal


@dataclass(frozen=True, slots=True)
class CnesstParams:
    default_rate_per_100: Decimal
    max_insurable: Decimal


@dataclass(frozen=True, slots=True)
class WsdrfParams:
    rate: Decimal
    payroll_threshold: Decimal


@dataclass(frozen=True, slots=True)
class VacationParams:
    default_rate: Decimal
    long_service_rate: Decimal


@dataclass(frozen=True, slots=True)
class ProratedMaxima:
    """QPP maxima for an employee who contributes PM months of the year (TP-1015.F §3.1)."""

    contribution: Decimal  # 4 479.30 × PM/12, to the cent
    base_contribution: Decimal  # 3 768.30 × PM/12 (credit base, not rounded)
    second_additional: Decimal  # 416 × PM/12, to the cent
    ympe: Decimal  # 74 600 × PM/12 (W in the QPP2 formula, not rounded)


@dataclass(frozen=True, slots=True)
class Params:
    """Everything the engine needs for one year. Build it with :func:`load_params`."""

    year: int
    valid_from: dt.date
    valid_to: dt.date
    qpp: QppParams
    ei: EiParams
    qpip: QpipParams
    federal: FederalParams
    quebec: QuebecParams
    fss: FssParams
    cnt: CntParams
    cnesst: CnesstParams
    wsdrf: WsdrfParams
    vacation: VacationParams
    sources: tuple[tuple[str, str], ...]
    #: Sections whose figures come from a secondary source (``status = "check"``).
    to_check: tuple[str, ...]
    # Derived, keyed by P and by PM.
    qpp_exemption: dict[int, Decimal] = field(init=False, compare=False, repr=False)
    worker_deduction_cap: dict[int, Decimal] = field(init=False, compare=False, repr=False)
    qpp_maxima: dict[int, ProratedMaxima] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        periods = sorted(ALLOWED_PERIODS_PER_YEAR)
        # 3 500 / P truncated to the cent (TP-1015.F p. 40; T4127 table 6.1).
        exemption = {p: truncate_cents(self.qpp.basic_exemption / p) for p in periods}
        # H is at most 1 450 / P, to the cent (TP-1015.F annexe 1: 1 450 / 26 = 55.77).
        cap = {p: round_cents(self.quebec.worker_deduction_max / p) for p in periods}
        maxima = {
            pm: ProratedMaxima(
                contribution=round_cents(self.qpp.max_contribution * pm / _MONTHS),
                base_contribution=self.qpp.max_base_contribution * pm / _MONTHS,
                second_additional=round_cents(self.qpp.max_second_additional * pm / _MONTHS),
                ympe=self.qpp.ympe * pm / _MONTHS,
            )
            for pm in range(1, 13)
        }
        object.__setattr__(self, "qpp_exemption", exemption)
        object.__setattr__(self, "worker_deduction_cap", cap)
        object.__setattr__(self, "qpp_maxima", maxima)

    def source(self, section: str) -> str:
        """The guide and page a section's figures were read in."""
        return dict(self.sources)[section]


# --------------------------------------------------------------------------- loading


class _Reader:
    """Reads typed values from the parsed TOML and collects every problem."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.problems: list[str] = []

    def section(self, name: str) -> dict[str, Any]:
        value = self.data.get(name)
        if not isinstance(value, dict):
            self.problems.append(f"section [{name}] is missing")
            return {}
        source = value.get("source")
        if not isinstance(source, str) or not source.strip():
            self.problems.append(f"section [{name}] has no source")
        return value

    def decimal(self, table: dict[str, Any], section: str, key: str) -> Decimal:
        value = table.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            if table:  # a missing section is already reported
                self.problems.append(f"{section}.{key} must be a number")
            return ZERO
        number = Decimal(value)
        if not number.is_finite() or number < 0:
            self.problems.append(f"{section}.{key} must be a finite number >= 0")
            return ZERO
        return number

    def decimals(self, section: str, keys: tuple[str, ...]) -> dict[str, Decimal]:
        table = self.section(section)
        return {key: self.decimal(table, section, key) for key in keys}

    def brackets(self, section: str) -> tuple[Bracket, ...]:
        table = self.data.get(section, {})
        rows = table.get("brackets") if isinstance(table, dict) else None
        if not isinstance(rows, list) or not rows:
            self.problems.append(f"{section}.brackets must be a non-empty list")
            return (Bracket(ZERO, ZERO, ZERO),)
        brackets = tuple(
            Bracket(
                threshold=self.decimal(row, f"{section}.brackets[{i}]", "threshold"),
                rate=self.decimal(row, f"{section}.brackets[{i}]", "rate"),
                constant=self.decimal(row, f"{section}.brackets[{i}]", "constant"),
            )
            for i, row in enumerate(rows)
            if isinstance(row, dict)
        )
        thresholds = [b.threshold for b in brackets]
        if thresholds != sorted(set(thresholds)) or thresholds[0] != ZERO:
            self.problems.append(f"{section}.brackets must start at 0 and increase")
        return brackets

    def date(self, key: str) -> dt.date:
        value = self.data.get(key)
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            self.problems.append(f"{key} must be a date (YYYY-MM-DD)")
            return dt.date.min
        return value


_SECTIONS = ("qpp", "ei", "qpip", "federal", "quebec", "fss", "cnt", "cnesst", "wsdrf", "vacation")


def _fields(cls: type, *, exclude: tuple[str, ...] = ()) -> tuple[str, ...]:
    names = (f for f in cls.__dataclass_fields__.values() if f.init)  # type: ignore[attr-defined]
    return tuple(f.name for f in names if f.name not in exclude)


def parse_params(text: str, *, origin: str = "<text>") -> Params:
    """Build :class:`Params` from the text of a year file; raise on any problem."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise PayrollParamsError(f"{origin} is not valid TOML: {exc}") from exc
    read = _Reader(data)
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        read.problems.append("year must be an integer")
        year = 0
    valid_from, valid_to = read.date("valid_from"), read.date("valid_to")
    qpp = read.decimals("qpp", _fields(QppParams))
    ei = read.decimals("ei", _fields(EiParams))
    qpip = read.decimals("qpip", _fields(QpipParams))
    federal = read.decimals("federal", _fields(FederalParams, exclude=("brackets",)))
    federal_brackets = read.brackets("federal")
    quebec = read.decimals("quebec", _fields(QuebecParams, exclude=("brackets",)))
    quebec_brackets = read.brackets("quebec")
    fss = read.decimals("fss", _fields(FssParams))
    cnt = read.decimals("cnt", _fields(CntParams))
    cnesst = read.decimals("cnesst", _fields(CnesstParams))
    wsdrf = read.decimals("wsdrf", _fields(WsdrfParams))
    vacation = read.decimals("vacation", _fields(VacationParams))
    if not qpp["rate"]:
        read.problems.append("qpp.rate must not be zero")
    if federal["bpa_reduction_end"] <= federal["bpa_reduction_start"]:
        read.problems.append("federal.bpa_reduction_end must be above bpa_reduction_start")
    if read.problems:
        raise PayrollParamsError(f"{origin} is not a valid payroll parameter file", read.problems)
    sections = _SECTIONS
    return Params(
        year=year,
        valid_from=valid_from,
        valid_to=valid_to,
        qpp=QppParams(**qpp),
        ei=EiParams(**ei),
        qpip=QpipParams(**qpip),
        federal=FederalParams(brackets=federal_brackets, **federal),
        quebec=QuebecParams(brackets=quebec_brackets, **quebec),
        fss=FssParams(**fss),
        cnt=CntParams(**cnt),
        cnesst=CnesstParams(**cnesst),
        wsdrf=WsdrfParams(**wsdrf),
        vacation=VacationParams(**vacation),
        sources=tuple((name, str(data[name]["source"])) for name in sections),
        to_check=tuple(name for name in sections if data[name].get("status") == "check"),
    )


def available_years() -> tuple[int, ...]:
    """The years that have a parameter file."""
    folder = resources.files("maille.payroll.engine.years")
    years = (entry.name.removesuffix(".toml") for entry in folder.iterdir())
    return tuple(sorted(int(name) for name in years if name.isdigit()))


@lru_cache(maxsize=16)
def load_params(year: int) -> Params:
    """The parameters of ``year`` (cached). Raise :class:`PayrollParamsError` if none exist."""
    resource = resources.files("maille.payroll.engine.years").joinpath(f"{year}.toml")
    if not resource.is_file():
        known = ", ".join(str(y) for y in available_years()) or "none"
        raise PayrollParamsError(
            f"No payroll parameters for {year}: add maille/payroll/engine/years/{year}.toml "
            f"(years available: {known})"
        )
    params = parse_params(resource.read_text(encoding="utf-8"), origin=f"years/{year}.toml")
    if params.year != year:
        raise PayrollParamsError(f"years/{year}.toml declares year = {params.year}")
    return params


def load_params_file(path: Path) -> Params:
    """Parameters from any file (tests, a draft of next year's file)."""
    return parse_params(path.read_text(encoding="utf-8"), origin=str(path))
