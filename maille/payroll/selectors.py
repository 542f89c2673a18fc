"""Reads of the payroll app: the co-op's employer figures in force on a date."""

from __future__ import annotations

import datetime as dt

from maille.payroll.engine import EmployerRates
from maille.payroll.models import EmployerPayrollSettings


def employer_rates_on(date: dt.date) -> EmployerRates:
    """The co-op's figures in force on ``date``, for the engine.

    Without any row in force (a fresh database, a date before the first
    one), the engine's defaults: an employer under 1 M$ of payroll in the
    general sector, at the year file's average CNESST rate.
    """
    settings = EmployerPayrollSettings.in_force(date)
    return settings.as_employer_rates() if settings is not None else EmployerRates()
