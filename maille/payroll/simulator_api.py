"""Payroll API: the salary simulator, public like its page.

``GET /api/v1/payroll/simulate?invoiced=5000.00&periods=26`` (the pay an
invoice funds) or ``?net=1500.00&periods=26`` (what to invoice for a net
pay). Every input is bounded, so no query can make the solver run long or
fail: bad input is a 422 naming the field. Mounted on the payroll router
(``maille.payroll.api``).
"""

import enum
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from maille.core.schemas import ErrorOut, Money
from maille.payroll.simulator import (
    MAX_INVOICED,
    MAX_NET,
    MAX_PAYS,
    MAX_VACATION_PERCENT,
    MIN_AMOUNT,
    Basis,
    simulate_invoiced,
    simulate_net,
)

router = Router(tags=["payroll"])

InvoicedAmount = Annotated[
    Decimal, Field(ge=MIN_AMOUNT, le=MAX_INVOICED, max_digits=10, decimal_places=2)
]
NetAmount = Annotated[Decimal, Field(ge=MIN_AMOUNT, le=MAX_NET, max_digits=9, decimal_places=2)]
VacationPercent = Annotated[
    Decimal, Field(ge=0, le=MAX_VACATION_PERCENT, max_digits=4, decimal_places=2)
]
Pays = Annotated[int, Field(ge=1, le=MAX_PAYS)]


class PayPeriods(enum.IntEnum):
    """Pays per year (an enum, so that "26" in a query string is accepted)."""

    WEEKLY = 52
    EVERY_TWO_WEEKS = 26
    TWICE_A_MONTH = 24
    MONTHLY = 12


class EmployerOut(Schema):
    qpp: Money
    qpp2: Money
    ei: Money
    qpip: Money
    fss: Money
    cnt: Money
    cnesst: Money
    wsdrf: Money


class PayOut(Schema):
    """The pay, with the same keys as ``maille payroll calc --json``."""

    gross: Money
    lump_sum: Money
    qpp: Money
    qpp2: Money
    ei: Money
    qpip: Money
    federal_tax: Money
    federal_tax_on_lump_sum: Money
    quebec_tax: Money
    quebec_tax_on_lump_sum: Money
    other_deductions: Money
    net: Money
    vacation_pay: Money
    employer: EmployerOut
    vacation_pay_employer_contributions: Money
    total_cost: Money


class SimulationOut(Schema):
    year: int
    mode: Literal["invoiced", "net"]
    periods_per_year: int
    contribution_rate: str = Field(description="fraction of the invoice, e.g. 0.065")
    invoiced: Money = Field(description="the invoice's share for one pay, before tax")
    invoiced_per_month: Money
    contribution: Money = Field(description="the co-op's mutualized contribution on it")
    budget: Money = Field(description="invoiced less the contribution: what the pay may cost")
    employer_contributions: Money = Field(description="all of them, vacation pay included")
    unspent: Money = Field(description="cents of the budget one more cent of gross would exceed")
    net_per_month: Money
    pay: PayOut


@router.get(
    "/simulate",
    auth=None,
    response={200: SimulationOut, 422: ErrorOut},
    summary="Salary simulator: from an invoice to a pay, or from a net pay to an invoice",
)
def simulate(
    request: HttpRequest,
    invoiced: InvoicedAmount | None = None,
    net: NetAmount | None = None,
    periods: PayPeriods = PayPeriods.EVERY_TWO_WEEKS,
    basis: Literal["month", "contract"] = "month",
    pays: Pays = 1,
    vacation_rate: VacationPercent | None = None,
) -> dict[str, object]:
    """Give ``invoiced`` (per month, or with ``basis=contract`` a contract paid
    over ``pays`` pays) or ``net`` (wished net pay per pay), not both.
    ``vacation_rate`` is in percent (default: the year's, 4). One pay early in
    the year, basic personal amounts, and the co-op's contribution policy and
    payroll settings (CNESST rate, Health Services Fund) in force today.
    """
    vacation = None if vacation_rate is None else vacation_rate / 100
    if invoiced is not None and net is not None:
        raise ValidationError(
            {"net": [_("Give either an invoiced amount or a net pay, not both.")]}
        )
    if invoiced is not None:
        simulation = simulate_invoiced(
            invoiced=invoiced,
            basis=Basis(basis),
            pays=pays,
            periods_per_year=int(periods),
            vacation_rate=vacation,
        )
    elif net is not None:
        simulation = simulate_net(net=net, periods_per_year=int(periods), vacation_rate=vacation)
    else:
        raise ValidationError({"invoiced": [_("Give an invoiced amount or a net pay.")]})
    return simulation.as_dict()
