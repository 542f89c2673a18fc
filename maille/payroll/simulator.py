"""The salary simulator: what an invoice becomes as pay, and what to invoice for a pay.

A member invoices clients through the co-op. The amount invoiced before tax,
less the co-op's mutualized contribution, is the activity's budget; the
budget becomes salary: gross pay + employer contributions + vacation pay
(ARCHITECTURE §2, steps 4-5). The simulator runs that chain for one pay
period with the payroll engine, both ways:

- **from an invoice to a pay**: the invoice's share for one pay (a month's
  invoicing × 12 / P, or a contract ÷ the number of pays it is spread over)
  is rounded *down* to the cent, so a pay never draws more than was
  invoiced; the contribution on it is rounded half-up; what is left is the
  budget, and ``gross_for_budget`` finds the largest gross whose total cost
  fits in it;
- **from a wished net pay to an invoice**: ``gross_for_net`` gives the
  smallest gross that pays it, its total cost is the budget needed, and the
  invoice is the smallest amount (to the cent) whose share after the
  contribution covers it: invoice − contribution ≥ total cost.

Assumptions, stated on the page: one pay early in the year (no year-to-date,
so no annual maximum reached yet), the basic personal amounts (no TD1 or
TP-1015.3 form), and the co-op's own figures in force today: its employer
payroll settings (CNESST rate, total payroll and sector for the Health
Services Fund, training fund; :mod:`maille.payroll.selectors`) and its
contribution policy (``maille.invoicing.models.ContributionPolicy``, SMART's
6.5 % of amounts invoiced before tax, see smart-model.md). Only a database
without any policy falls back to ``settings.MAILLE_CONTRIBUTION_RATE``.

The module also holds what the CLI, the page and the API share: amounts as
JSON strings, the labels of each amount, and the parsing of amounts typed by
a person (``2 500,00`` or ``2,500.00``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation

from babel.numbers import format_percent
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from maille.core.money import babel_locale, money_str
from maille.core.money import parse_amount as parse_amount  # one parser for amounts
from maille.invoicing.models import ContributionPolicy, contribution_on
from maille.payroll.engine import (
    EmployerRates,
    Params,
    PayInput,
    PayResult,
    available_years,
    fss_rate,
    gross_for_budget,
    gross_for_net,
    load_params,
)
from maille.payroll.selectors import employer_rates_on

CENT = Decimal("0.01")
_HUNDRED = Decimal("100")
_MONTHS = Decimal("12")

#: Pay frequencies offered by the simulator (the CLI also takes 27 and 53).
SIMULATOR_PERIODS = (52, 26, 24, 12)
#: Bounds of what a person may ask, so no request can make the solver work for long.
MIN_AMOUNT = Decimal("1.00")
MAX_INVOICED = Decimal("1000000.00")
MAX_NET = Decimal("100000.00")
MAX_PAYS = 53
MAX_VACATION_PERCENT = Decimal("20")


class Basis(enum.StrEnum):
    """What an invoiced amount is for."""

    MONTH = "month"  #: invoiced every month
    CONTRACT = "contract"  #: one contract, paid over a number of pays


class Mode(enum.StrEnum):
    INVOICED = "invoiced"  #: from an invoice to a pay
    NET = "net"  #: from a wished net pay to an invoice


# --------------------------------------------------------------------------- shared helpers


def amounts_as_strings(amounts: Mapping[str, object]) -> dict[str, object]:
    """``PayResult.as_dict()`` (or any nested mapping of Decimal) with money as strings."""
    out: dict[str, object] = {}
    for key, value in amounts.items():
        if isinstance(value, Decimal):
            out[key] = money_str(value)
        elif isinstance(value, Mapping):
            out[key] = amounts_as_strings(value)
        else:
            out[key] = value
    return out


#: The label of each amount of a pay, for the CLI's table and the page.
PAY_LABELS: dict[str, Promise] = {
    "gross": _("Gross pay"),
    "lump_sum": _("Bonus or other lump sum"),
    "qpp": _("Québec Pension Plan (QPP)"),
    "qpp2": _("QPP, second additional contribution"),
    "ei": _("Employment insurance (EI)"),
    "qpip": _("Québec parental insurance plan (QPIP)"),
    "federal_tax": _("Federal income tax"),
    "quebec_tax": _("Québec income tax"),
    "other_deductions": _("Other deductions (pension plan, union dues, labour funds)"),
    "net": _("Net pay"),
    "vacation_pay": _("Vacation pay (accrued, paid with your vacation)"),
    "vacation_pay_employer_contributions": _("Employer contributions on the vacation pay"),
    "total_cost": _("Total cost of the pay"),
}

#: The label of each employer contribution.
EMPLOYER_LABELS: dict[str, Promise] = {
    "qpp": _("Québec Pension Plan (QPP)"),
    "qpp2": _("QPP, second additional contribution"),
    "ei": _("Employment insurance (EI)"),
    "qpip": _("Québec parental insurance plan (QPIP)"),
    "fss": _("Health Services Fund (FSS)"),
    "cnt": _("Labour standards (CNT)"),
    "cnesst": _("Workplace health and safety (CNESST)"),
    "wsdrf": _("Workforce skills development (WSDRF)"),
}


# --------------------------------------------------------------------------- co-op figures


def contribution_rate(on: dt.date | None = None) -> Decimal:
    """The co-op's mutualized contribution on a date (today), a fraction of the amount
    invoiced before tax: the contribution policy in force, else the setting."""
    policy = ContributionPolicy.on(on or timezone.localdate())
    if policy is not None:
        # The column holds five decimals: 0.06500 is shown and sent as 0.065.
        return Decimal(policy.rate).normalize()
    raw = getattr(settings, "MAILLE_CONTRIBUTION_RATE", None)
    if raw is None:
        raise ImproperlyConfigured(
            "No contribution policy is in force: the board sets one in the admin "
            "(or MAILLE_CONTRIBUTION_RATE, a fraction, for a database without any)."
        )
    try:
        rate = Decimal(str(raw))
    except InvalidOperation:
        rate = Decimal("NaN")
    if not rate.is_finite() or not 0 <= rate < 1:
        raise ImproperlyConfigured(
            f"MAILLE_CONTRIBUTION_RATE must be a fraction such as 0.065 (got {raw!r})"
        )
    return rate


def simulation_year(today: dt.date | None = None) -> int:
    """This year if it has payroll parameters, else the latest year before it that has."""
    year = (today or timezone.localdate()).year
    years = available_years()
    if not years or year in years:
        return year
    earlier = [y for y in years if y <= year]
    return earlier[-1] if earlier else years[0]


def percent_text(percent: Decimal) -> str:
    """``6.30`` → ``6,3 %`` in French, ``6.3%`` in English: as many decimals as it has."""
    locale = babel_locale(get_language())
    return str(format_percent(percent / _HUNDRED, locale=locale, decimal_quantization=False))


def statutory_rates(params: Params, employer: EmployerRates | None = None) -> dict[str, Decimal]:
    """The rates the page explains, in percent (6.30 for 6.30 %), from the year's parameters
    and the co-op's figures (its Health Services Fund rate)."""
    rates = {
        "qpp": params.qpp.rate * _HUNDRED,
        "qpp_self_employed": 2 * params.qpp.rate * _HUNDRED,
        "ei": params.ei.employee_rate * _HUNDRED,
        "ei_employer": params.ei.employee_rate * params.ei.employer_multiplier * _HUNDRED,
        "qpip": params.qpip.employee_rate * _HUNDRED,
        "qpip_employer": params.qpip.employer_rate * _HUNDRED,
        "fss": fss_rate(params, employer or EmployerRates()),
        "cnt": params.cnt.rate * _HUNDRED,
        "vacation": params.vacation.default_rate * _HUNDRED,
        "vacation_long_service": params.vacation.long_service_rate * _HUNDRED,
    }
    return rates


# --------------------------------------------------------------------------- the simulation


@dataclass(frozen=True, slots=True)
class Segment:
    """One part of the invoice in the chart: a share of the bar, in user units of 0-1000."""

    key: str
    label: Promise
    amount: Decimal
    percent: str  #: share of the invoice, in the current language ("62,9 %")
    x: Decimal
    width: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class Simulation:
    """One pay funded by an invoice, every amount for that one pay period."""

    mode: Mode
    year: int
    contribution_rate: Decimal
    invoiced: Decimal  #: the invoice's share for this pay, before tax
    contribution: Decimal  #: the co-op's mutualized contribution on it
    pay: PayResult
    basis: Basis = Basis.MONTH
    entered: Decimal  #: the amount the person typed (invoice, or wished net pay)
    pays: int = 1  #: pays a contract is spread over

    @property
    def periods_per_year(self) -> int:
        return self.pay.periods_per_year

    @property
    def budget(self) -> Decimal:
        """What the activity has for this pay: the invoice less the contribution."""
        return self.invoiced - self.contribution

    @property
    def unspent(self) -> Decimal:
        """The cents of the budget the pay leaves: one more cent of gross would not fit."""
        return self.budget - self.pay.total_cost

    @property
    def employer_contributions(self) -> Decimal:
        """All employer contributions, those on the vacation pay included."""
        return self.pay.employer.total + self.pay.vacation_pay_employer_contributions

    @property
    def employee_contributions(self) -> Decimal:
        pay = self.pay
        return pay.qpp + pay.qpp2 + pay.ei + pay.qpip

    @property
    def income_taxes(self) -> Decimal:
        return self.pay.federal_tax + self.pay.quebec_tax

    @property
    def invoiced_per_month(self) -> Decimal:
        """The invoicing a month of such pays takes (rounded up: enough, not almost)."""
        per_month = self.invoiced * self.periods_per_year / _MONTHS
        return per_month.quantize(CENT, rounding=ROUND_UP)

    @property
    def net_per_month(self) -> Decimal:
        return (self.pay.net * self.periods_per_year / _MONTHS).quantize(
            CENT, rounding=ROUND_HALF_UP
        )

    @property
    def contribution_percent(self) -> str:
        return percent_text(self.contribution_rate * _HUNDRED)

    def employer_lines(self) -> list[tuple[Promise, Decimal]]:
        """Each employer contribution of the pay that is not zero, with its label."""
        return [
            (EMPLOYER_LABELS[key], value)
            for key, value in self.pay.employer.as_dict().items()
            if value
        ]

    def segments(self) -> list[Segment]:
        """Where each dollar invoiced goes, in order, for the stacked bar.

        The parts add up to the invoice exactly: contribution + employer
        contributions + employee contributions + income taxes + other
        deductions + vacation pay + net pay + unspent cents.
        """
        parts: list[tuple[str, Promise, Decimal]] = [
            ("contribution", _("Co-op contribution"), self.contribution),
            ("employer", _("Employer contributions"), self.employer_contributions),
            ("contributions", _("Your contributions (QPP, EI, QPIP)"), self.employee_contributions),
            ("taxes", _("Income taxes"), self.income_taxes),
            ("other", _("Other deductions"), self.pay.other_deductions),
            ("vacation", _("Vacation pay"), self.pay.vacation_pay),
            ("net", _("Net pay"), self.pay.net),
            ("unspent", _("Left in the budget"), self.unspent),
        ]
        total = self.invoiced
        segments: list[Segment] = []
        done = Decimal(0)
        tenth = Decimal("0.1")
        for key, label, amount in parts:
            if amount <= 0 or total <= 0:
                continue
            start = (done / total * 1000).quantize(tenth)
            done += amount
            end = (done / total * 1000).quantize(tenth)
            percent = (amount / total * _HUNDRED).quantize(tenth, rounding=ROUND_HALF_UP)
            segments.append(Segment(key, label, amount, percent_text(percent), start, end - start))
        return segments

    def as_dict(self) -> dict[str, object]:
        """For the API: money as strings with two decimals."""
        return {
            "year": self.year,
            "mode": self.mode.value,
            "periods_per_year": self.periods_per_year,
            "contribution_rate": f"{self.contribution_rate:f}",
            "invoiced": money_str(self.invoiced),
            "invoiced_per_month": money_str(self.invoiced_per_month),
            "contribution": money_str(self.contribution),
            "budget": money_str(self.budget),
            "employer_contributions": money_str(self.employer_contributions),
            "unspent": money_str(self.unspent),
            "net_per_month": money_str(self.net_per_month),
            "pay": amounts_as_strings(self.pay.as_dict()),
        }


def invoice_covering(cost: Decimal, rate: Decimal) -> Decimal:
    """The smallest invoice, to the cent, whose share after the contribution covers ``cost``.

    ``invoice − round(invoice × rate)`` never decreases when the invoice
    grows by a cent (rate < 1), so the first estimate is corrected by a
    step or two at most.
    """
    invoice = (cost / (1 - rate)).quantize(CENT, rounding=ROUND_UP)
    while invoice - contribution_on(invoice, rate) < cost:
        invoice += CENT
    while invoice > 0 and (invoice - CENT) - contribution_on(invoice - CENT, rate) >= cost:
        invoice -= CENT
    return invoice


def _base_pay(periods_per_year: int, vacation_rate: Decimal | None, on: dt.date) -> PayInput:
    """The simulated employee: basic personal amounts, no year-to-date, the co-op's figures."""
    return PayInput(
        periods_per_year=periods_per_year,
        gross=Decimal(0),
        vacation_rate=vacation_rate,
        employer=employer_rates_on(on),
    )


def simulate_invoiced(
    *,
    invoiced: Decimal,
    basis: Basis = Basis.MONTH,
    pays: int = 1,
    periods_per_year: int = 26,
    vacation_rate: Decimal | None = None,
    year: int | None = None,
    on: dt.date | None = None,
) -> Simulation:
    """The pay that an invoice funds (see the module's docstring for the rounding).

    ``on`` is the date whose co-op figures apply (default: today).
    """
    on = on or timezone.localdate()
    params = load_params(year or simulation_year(on))
    rate = contribution_rate(on)
    per_pay = invoiced * _MONTHS / periods_per_year if basis is Basis.MONTH else invoiced / pays
    share = per_pay.quantize(CENT, rounding=ROUND_DOWN)
    contribution = contribution_on(share, rate)
    base = _base_pay(periods_per_year, vacation_rate, on)
    pay = gross_for_budget(share - contribution, base, params)
    return Simulation(
        mode=Mode.INVOICED,
        year=params.year,
        contribution_rate=rate,
        invoiced=share,
        contribution=contribution,
        pay=pay,
        basis=basis,
        entered=invoiced,
        pays=pays if basis is Basis.CONTRACT else 1,
    )


def simulate_net(
    *,
    net: Decimal,
    periods_per_year: int = 26,
    vacation_rate: Decimal | None = None,
    year: int | None = None,
    on: dt.date | None = None,
) -> Simulation:
    """The invoice that a wished net pay takes, every pay period (co-op figures of ``on``)."""
    on = on or timezone.localdate()
    params = load_params(year or simulation_year(on))
    rate = contribution_rate(on)
    pay = gross_for_net(net, _base_pay(periods_per_year, vacation_rate, on), params)
    invoiced = invoice_covering(pay.total_cost, rate)
    return Simulation(
        mode=Mode.NET,
        year=params.year,
        contribution_rate=rate,
        invoiced=invoiced,
        contribution=contribution_on(invoiced, rate),
        pay=pay,
        entered=net,
    )


def maxima_reached(result: PayResult, params: Params, months: int) -> list[str]:
    """The employee contributions whose annual maximum this pay reaches."""
    maxima = params.qpp_maxima[months]
    limits = {
        "qpp": (result.qpp, result.ytd.qpp, maxima.contribution),
        "qpp2": (result.qpp2, result.ytd.qpp2, maxima.second_additional),
        "ei": (result.ei, result.ytd.ei, params.ei.max_employee_premium),
        "qpip": (result.qpip, result.ytd.qpip, params.qpip.max_employee_premium),
    }
    return [key for key, (now, after, limit) in limits.items() if now and after >= limit]


def calc_json(
    result: PayResult, extra: dict[str, object], params: Params, months: int
) -> dict[str, object]:
    return {
        "period": result.period,
        "periods_per_year": result.periods_per_year,
        **amounts_as_strings(result.as_dict()),
        "paid": money_str(result.paid),
        "employee_deductions": money_str(result.employee_deductions),
        "ytd": amounts_as_strings(dataclasses.asdict(result.ytd)),
        "maxima_reached": maxima_reached(result, params, months),
        **extra,
    }
