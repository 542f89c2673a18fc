"""The year-to-date before a pay, from what was withheld so far.

One rule for every caller: the ``payroll calc`` command (which takes the
contributions as WebRAS and PDOC ask for them), pay runs (which sum the
payslips already posted this year) and any later simulator or API. Pure
Python over the year's parameters, rounded with the engine's own helpers.

What the engine needs beyond the contributions is the earnings behind them
(QPP2 starts above the YMPE; CNT and CNESST stop at their ceiling) and the
employer's QPIP premiums. When the caller does not know them they are
estimated from the contributions (TP-1015.F §3.1, §4.1; T4127 ch. 6-7):

- QPP pensionable earnings = YMPE + QPP2 / second additional rate if QPP2 was
  withheld, else QPP / QPP rate + one basic exemption per earlier pay;
- earnings = the pensionable earnings, or EI / EI rate or QPIP / QPIP rate if
  one of them implies more;
- employer QPIP = employee QPIP × employer rate / employee rate, up to its
  maximum.

The result says which figures were estimated, so the caller can tell the
person (the command prints it; a pay run, which knows every figure, has none).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .model import YearToDate
from .params import Params
from .rounding import ZERO_CENTS, round_cents


@dataclass(frozen=True, slots=True)
class YearToDateEstimate:
    """The year-to-date for the engine, and the figures that had to be estimated."""

    ytd: YearToDate
    #: QPP pensionable earnings estimated from the contributions, if they were.
    estimated_pensionable_earnings: Decimal | None = None
    #: All earnings estimated from the contributions, if they were.
    estimated_earnings: Decimal | None = None


def year_to_date_before_pay(
    *,
    params: Params,
    periods_per_year: int,
    period: int,
    months_of_employment: int = 12,
    qpp: Decimal = ZERO_CENTS,
    qpp2: Decimal = ZERO_CENTS,
    ei: Decimal = ZERO_CENTS,
    qpip: Decimal = ZERO_CENTS,
    earnings: Decimal | None = None,
    pensionable_earnings: Decimal | None = None,
    qpip_employer: Decimal | None = None,
) -> YearToDateEstimate:
    """The year-to-date before pay number ``period`` of ``periods_per_year``.

    ``qpp``, ``qpp2``, ``ei`` and ``qpip``: the employee contributions already
    withheld this year by this employer. ``earnings`` (all pay this year),
    ``pensionable_earnings`` (QPP pensionable earnings; by default the
    earnings) and ``qpip_employer`` (the employer's QPIP premiums): ``None``
    when unknown, then estimated as the module docstring says.
    ``months_of_employment`` chooses the prorated QPP maxima of a partial year.
    """
    maxima = params.qpp_maxima.get(months_of_employment) or params.qpp_maxima[12]
    pensionable = pensionable_earnings if pensionable_earnings is not None else earnings
    estimated_pensionable: Decimal | None = None
    estimated_earnings: Decimal | None = None
    if pensionable is None and (qpp or qpp2):
        if qpp2:
            pensionable = round_cents(maxima.ympe + qpp2 / params.qpp.second_additional_rate)
        else:
            exemption = params.qpp_exemption.get(periods_per_year, ZERO_CENTS)
            pensionable = round_cents(qpp / params.qpp.rate + exemption * (period - 1))
        estimated_pensionable = pensionable
    if earnings is None and (pensionable or ei or qpip):
        earnings = max(
            pensionable or ZERO_CENTS,
            round_cents(ei / params.ei.employee_rate),
            round_cents(qpip / params.qpip.employee_rate),
        )
        estimated_earnings = earnings
    if qpip_employer is None:
        ratio = params.qpip.employer_rate / params.qpip.employee_rate
        qpip_employer = min(round_cents(qpip * ratio), params.qpip.max_employer_premium)
    earnings = earnings or ZERO_CENTS
    return YearToDateEstimate(
        ytd=YearToDate(
            earnings=earnings,
            qpp_earnings=pensionable or ZERO_CENTS,
            qpp=qpp,
            qpp2=qpp2,
            ei_earnings=min(earnings, params.ei.max_insurable),
            ei=ei,
            qpip_earnings=min(earnings, params.qpip.max_insurable),
            qpip=qpip,
            qpip_employer=qpip_employer,
        ),
        estimated_pensionable_earnings=estimated_pensionable,
        estimated_earnings=estimated_earnings,
    )
