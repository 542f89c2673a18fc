"""The Québec payroll engine: pure Python, Decimal only, no Django.

It computes one employee's pay for one period (source deductions, employer
contributions, vacation pay, net pay and total cost) from a year's
parameters, and inverts it: the gross pay that fits a budget, or that gives a
wished net pay.

Sources: Revenu Québec TP-1015.F 2026 (Québec tax, QPP, QPIP, FSS), CRA
T4127 122nd edition January 2026 (federal tax option 1 for Québec, EI),
LE-39.0.2 2026 (labour standards contribution). The year's figures live in
``years/<year>.toml``; the design is recorded in
``docs/decisions/0002-payroll-engine.md``.

Usage::

    from decimal import Decimal
    from maille.payroll.engine import PayInput, calculate, load_params

    params = load_params(2026)
    result = calculate(PayInput(periods_per_year=26, gross=Decimal("2500.00")), params)
    result.as_dict()
"""

from .calc import calculate, fss_rate
from .errors import PayrollInputError, PayrollParamsError
from .inverse import gross_for_budget, gross_for_net
from .model import (
    EmployerContributions,
    EmployerRates,
    FederalTaxDetail,
    FssSector,
    PayInput,
    PayResult,
    QuebecTaxDetail,
    YearToDate,
)
from .params import ALLOWED_PERIODS_PER_YEAR, Params, available_years, load_params
from .table import year_table
from .year_to_date import YearToDateEstimate, year_to_date_before_pay

__all__ = [
    "ALLOWED_PERIODS_PER_YEAR",
    "EmployerContributions",
    "EmployerRates",
    "FederalTaxDetail",
    "FssSector",
    "Params",
    "PayInput",
    "PayResult",
    "PayrollInputError",
    "PayrollParamsError",
    "QuebecTaxDetail",
    "YearToDate",
    "YearToDateEstimate",
    "available_years",
    "calculate",
    "fss_rate",
    "gross_for_budget",
    "gross_for_net",
    "load_params",
    "year_table",
    "year_to_date_before_pay",
]
