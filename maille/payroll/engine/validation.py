"""Validation of a :class:`PayInput`: small checks that each return their problems.

The engine refuses to compute on bad input rather than guess; every problem
is reported at once in a :class:`PayrollInputError` (CONVENTIONS.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from operator import attrgetter

from .model import EmployerRates, FssSector, PayInput, YearToDate
from .params import ALLOWED_PERIODS_PER_YEAR, Params
from .rounding import CENT as _CENT
from .rounding import ZERO

_MONEY_FIELDS = (
    "gross",
    "lump_sum",
    "pension_contribution",
    "pension_contribution_on_lump_sum",
    "union_dues",
    "fonds_ftq",
    "fondaction",
    "quebec_deductions",
    "quebec_authorized_deductions",
    "quebec_authorized_credits",
    "federal_authorized_deductions",
    "federal_authorized_credits",
    "additional_federal_tax",
    "additional_quebec_tax",
)
_OPTIONAL_MONEY_FIELDS = ("federal_claim", "quebec_claim")
_YTD_FIELDS = tuple(YearToDate.__dataclass_fields__)


def _money_problem(name: str, value: object) -> str | None:
    """Money is a finite Decimal >= 0 with at most two decimals."""
    if not isinstance(value, Decimal):
        return f"{name} must be a Decimal (got {type(value).__name__})"
    if not value.is_finite():
        return f"{name} must be a finite amount"
    if value < ZERO:
        return f"{name} must not be negative (got {value})"
    try:
        in_cents = value.quantize(_CENT) == value
    except InvalidOperation:  # more digits than the context can hold
        return f"{name} is too large (got {value})"
    if not in_cents:
        return f"{name} must be in dollars and cents (got {value})"
    return None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_periods(pay: PayInput, params: Params) -> Iterator[str]:
    allowed = ", ".join(str(p) for p in sorted(ALLOWED_PERIODS_PER_YEAR))
    if not _is_int(pay.periods_per_year) or pay.periods_per_year not in ALLOWED_PERIODS_PER_YEAR:
        yield f"periods_per_year must be one of {allowed} (got {pay.periods_per_year!r})"
    elif not _is_int(pay.period) or not 1 <= pay.period <= pay.periods_per_year:
        yield f"period must be between 1 and {pay.periods_per_year} (got {pay.period!r})"
    if not _is_int(pay.months_of_employment) or not 1 <= pay.months_of_employment <= 12:
        yield f"months_of_employment must be between 1 and 12 (got {pay.months_of_employment!r})"


def _check_money(pay: PayInput, params: Params) -> Iterator[str]:
    for name in _MONEY_FIELDS:
        problem = _money_problem(name, getattr(pay, name))
        if problem:
            yield problem
    for name in _OPTIONAL_MONEY_FIELDS:
        value = getattr(pay, name)
        if value is not None:
            problem = _money_problem(name, value)
            if problem:
                yield problem


def _check_lump_sum(pay: PayInput, params: Params) -> Iterator[str]:
    lump, pension = pay.lump_sum, pay.pension_contribution_on_lump_sum
    if _money_problem("lump_sum", lump) or _money_problem("pension", pension):
        return  # already reported
    if pension > lump:
        yield "pension_contribution_on_lump_sum must not exceed lump_sum"


def _check_vacation(pay: PayInput, params: Params) -> Iterator[str]:
    rate = pay.vacation_rate
    if rate is None:
        return
    if not isinstance(rate, Decimal) or not rate.is_finite():
        yield "vacation_rate must be a Decimal such as Decimal('0.04')"
    elif not ZERO <= rate < 1:
        yield f"vacation_rate must be a fraction between 0 and 1 (got {rate})"


def _check_ytd(pay: PayInput, params: Params) -> Iterator[str]:
    ytd = pay.ytd
    if not isinstance(ytd, YearToDate):
        yield "ytd must be a YearToDate"
        return
    money_ok = True
    for name in _YTD_FIELDS:
        problem = _money_problem(f"ytd.{name}", getattr(ytd, name))
        if problem:
            money_ok = False
            yield problem
    if not money_ok or not _is_int(pay.months_of_employment):
        return
    maxima = params.qpp_maxima.get(pay.months_of_employment)
    limits: list[tuple[str, Decimal]] = [
        ("ei", params.ei.max_employee_premium),
        ("qpip", params.qpip.max_employee_premium),
        ("qpip_employer", params.qpip.max_employer_premium),
    ]
    if maxima is not None:
        limits += [("qpp", maxima.contribution), ("qpp2", maxima.second_additional)]
    for name, limit in limits:
        if getattr(ytd, name) > limit:
            yield f"ytd.{name} ({getattr(ytd, name)}) exceeds the annual maximum of {limit}"


def _check_employer(pay: PayInput, params: Params) -> Iterator[str]:
    employer = pay.employer
    if not isinstance(employer, EmployerRates):
        yield "employer must be an EmployerRates"
        return
    problem = _money_problem("employer.total_payroll", employer.total_payroll)
    if problem:
        yield problem
    if not isinstance(employer.fss_sector, FssSector):
        yield f"employer.fss_sector must be one of {', '.join(s.value for s in FssSector)}"
    rate = employer.cnesst_rate
    if rate is not None and (not isinstance(rate, Decimal) or not rate.is_finite() or rate < 0):
        yield "employer.cnesst_rate must be a Decimal >= 0 (dollars per 100 $)"
    if type(employer.wsdrf_applies) is not bool:
        yield "employer.wsdrf_applies must be True or False"


_CHECKS: tuple[Callable[[PayInput, Params], Iterator[str]], ...] = (
    _check_periods,
    _check_money,
    _check_lump_sum,
    _check_vacation,
    _check_ytd,
    _check_employer,
)


def _is_money(value: object) -> bool:
    """The condition :func:`_money_problem` enforces, without building a message."""
    try:
        return (
            isinstance(value, Decimal)
            and value.is_finite()
            and value >= ZERO
            and value.quantize(_CENT) == value
        )
    except InvalidOperation:
        return False


_money_of_pay = attrgetter(*_MONEY_FIELDS)
_money_of_ytd = attrgetter(*_YTD_FIELDS)


def _obviously_valid(pay: PayInput, params: Params) -> bool:
    """A fast check for the common, valid input; anything unusual gets the full checks.

    Never looser than the full checks (stricter in places: a vacation or
    CNESST rate with more than two decimals goes the slow way), so a False
    only means "look closer". Validation is a fifth of a calculation's time
    otherwise.
    """
    ytd, employer = pay.ytd, pay.employer
    if not (
        type(pay.periods_per_year) is int
        and pay.periods_per_year in ALLOWED_PERIODS_PER_YEAR
        and type(pay.period) is int
        and 1 <= pay.period <= pay.periods_per_year
        and type(pay.months_of_employment) is int
        and 1 <= pay.months_of_employment <= 12
        and type(ytd) is YearToDate
        and type(employer) is EmployerRates
        and isinstance(employer.fss_sector, FssSector)
        and type(employer.wsdrf_applies) is bool
        and all(map(_is_money, _money_of_pay(pay)))
        and all(map(_is_money, _money_of_ytd(ytd)))
        and _is_money(employer.total_payroll)
    ):
        return False
    optional = (pay.federal_claim, pay.quebec_claim, pay.vacation_rate, employer.cnesst_rate)
    if not all(value is None or _is_money(value) for value in optional):
        return False
    maxima = params.qpp_maxima[pay.months_of_employment]
    return (
        (pay.vacation_rate is None or pay.vacation_rate < 1)
        and pay.pension_contribution_on_lump_sum <= pay.lump_sum
        and ytd.qpp <= maxima.contribution
        and ytd.qpp2 <= maxima.second_additional
        and ytd.ei <= params.ei.max_employee_premium
        and ytd.qpip <= params.qpip.max_employee_premium
        and ytd.qpip_employer <= params.qpip.max_employer_premium
    )


def input_problems(pay: PayInput, params: Params) -> list[str]:
    """Every problem found in ``pay``; empty when it can be computed."""
    if _obviously_valid(pay, params):
        return []
    return [problem for check in _CHECKS for problem in check(pay, params)]
