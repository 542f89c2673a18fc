"""Inputs and results of a pay calculation: small frozen records of Decimal.

Names follow the co-op's words; the guides' variable names are given beside
each field so the formulas in :mod:`maille.payroll.engine.calc` can be read
against TP-1015.F 2026 and T4127 (January 2026).

All money is :class:`decimal.Decimal` built from strings, in dollars with at
most two decimals. Annual amounts (claims, authorized deductions) are annual;
everything else is for the pay period.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal

from .rounding import ZERO


class FssSector(enum.StrEnum):
    """The employer's sector for the Health Services Fund rate (TP-1015.F §5)."""

    GENERAL = "general"
    PRIMARY_MANUFACTURING = "primary_manufacturing"
    PUBLIC = "public"


@dataclass(frozen=True, slots=True, kw_only=True)
class EmployerRates:
    """The co-op's own figures: they vary by employer, not by year.

    ``total_payroll`` is the total payroll of the year used for the FSS rate
    (TP-1015.F §5: the previous year's, for an established employer) and for
    the training-fund threshold. ``cnesst_rate`` is in dollars per 100 $ of
    insurable earnings; ``None`` uses the year file's default (marked "check").
    ``wsdrf_applies`` is ``False`` for an employer that spends at least 1 % of
    its payroll on eligible training, and so owes no WSDRF contribution even
    above the threshold (Loi sur les compétences, art. 3); when ``True`` the
    contribution is still due only above the threshold.
    """

    total_payroll: Decimal = ZERO
    fss_sector: FssSector = FssSector.GENERAL
    cnesst_rate: Decimal | None = None
    wsdrf_applies: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class YearToDate:
    """What this employer already paid and withheld this year, before the period.

    Maxima are tracked per employer (TP-1015.F §3.1, §4; T4127 ch. 6-7).
    """

    earnings: Decimal = ZERO  #: all remuneration paid (CNT and CNESST ceilings)
    qpp_earnings: Decimal = ZERO  #: S5, QPP pensionable salary
    qpp: Decimal = ZERO  #: A5 / DQ, base + first additional contribution
    qpp2: Decimal = ZERO  #: A8 / D2Q, second additional contribution
    ei_earnings: Decimal = ZERO  #: insurable earnings (reported; the premium caps EI)
    ei: Decimal = ZERO  #: D1
    qpip_earnings: Decimal = ZERO  #: insurable earnings for QPIP (reported)
    qpip: Decimal = ZERO  #: A6, employee premium
    qpip_employer: Decimal = ZERO  #: A7, employer premium
    lump_sums: Decimal = ZERO  #: B1, bonuses, retroactive pay and other lump sums
    lump_sum_deductions: Decimal = ZERO  #: F4, pension contributions taken from them
    lump_sum_qpp_additional: Decimal = ZERO  #: CSB1 / F5B YTD


@dataclass(frozen=True, slots=True, kw_only=True)
class PayInput:
    """One employee, one pay period.

    ``gross`` is the regular pay of the period (G, I); ``lump_sum`` is any
    bonus, retroactive pay or similar lump sum paid with it (B2, B), taxed by
    TP-1015.F §2.1.2 (second method) and T4127 "bonuses" (option 1).
    ``federal_claim`` is the TD1 total claim (TC); ``None`` means no form:
    the basic personal amount with its high-income reduction (BPAF).
    ``quebec_claim`` is line 10 of TP-1015.3 (E1 + E2); ``None`` means no
    form: the basic personal amount of the year. ``vacation_rate`` ``None``
    means the year's default (4 %). ``vacation_paid``: the vacation pay is
    paid with each pay (the co-op's policy) instead of accrued for later.
    """

    periods_per_year: int  #: P
    period: int = 1
    gross: Decimal  #: G / I, regular pay
    lump_sum: Decimal = ZERO  #: B2 / B
    pension_contribution: Decimal = ZERO  #: F, RPP/RRSP/VRSP/PRPP from regular pay
    pension_contribution_on_lump_sum: Decimal = ZERO  #: F3, from the lump sum
    union_dues: Decimal = ZERO  #: U1 (deductible federally only)
    fonds_ftq: Decimal = ZERO  #: Q, Fonds de solidarité FTQ shares
    fondaction: Decimal = ZERO  #: Q1, Fondaction shares
    federal_claim: Decimal | None = None  #: TC
    quebec_claim: Decimal | None = None  #: E (TP-1015.3 line 10)
    quebec_deductions: Decimal = ZERO  #: J, TP-1015.3 line 19 (annual)
    quebec_authorized_deductions: Decimal = ZERO  #: J1, TP-1016 (annual)
    quebec_authorized_credits: Decimal = ZERO  #: K1, TP-1016 (annual)
    federal_authorized_deductions: Decimal = ZERO  #: F1 (annual)
    federal_authorized_credits: Decimal = ZERO  #: K3 (annual)
    additional_federal_tax: Decimal = ZERO  #: L, TD1
    additional_quebec_tax: Decimal = ZERO  #: L, TP-1017 / TP-1015.3
    months_of_employment: int = 12  #: PM
    vacation_rate: Decimal | None = None
    vacation_paid: bool = False
    ytd: YearToDate = field(default_factory=YearToDate)
    employer: EmployerRates = field(default_factory=EmployerRates)


@dataclass(frozen=True, slots=True, kw_only=True)
class EmployerContributions:
    """The employer's share for the period, each to the cent."""

    qpp: Decimal
    qpp2: Decimal
    ei: Decimal
    qpip: Decimal
    fss: Decimal
    cnt: Decimal
    cnesst: Decimal
    wsdrf: Decimal

    @property
    def total(self) -> Decimal:
        return (
            self.qpp
            + self.qpp2
            + self.ei
            + self.qpip
            + self.fss
            + self.cnt
            + self.cnesst
            + self.wsdrf
        )

    def as_dict(self) -> dict[str, Decimal]:
        return {
            "qpp": self.qpp,
            "qpp2": self.qpp2,
            "ei": self.ei,
            "qpip": self.qpip,
            "fss": self.fss,
            "cnt": self.cnt,
            "cnesst": self.cnesst,
            "wsdrf": self.wsdrf,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class QuebecTaxDetail:
    """Intermediate figures of TP-1015.F §2.1 (to explain a payslip)."""

    worker_deduction: Decimal  #: H
    qpp_additional_deduction: Decimal  #: CS
    qpp_additional_on_salary: Decimal  #: CSA
    qpp_additional_on_lump_sum: Decimal  #: CSB
    annual_taxable_income: Decimal  #: I
    annual_tax: Decimal  #: Y (not rounded)
    personal_credits: Decimal  #: E, rounded to the dollar


@dataclass(frozen=True, slots=True, kw_only=True)
class FederalTaxDetail:
    """Intermediate figures of T4127 option 1 (regular pay)."""

    annual_taxable_income: Decimal  #: A
    claim: Decimal  #: TC (or BPAF)
    personal_credit: Decimal  #: K1
    contribution_credits: Decimal  #: K2Q
    employment_credit: Decimal  #: K4
    basic_tax: Decimal  #: T3
    annual_tax: Decimal  #: T1


@dataclass(frozen=True, slots=True, kw_only=True)
class PayResult:
    """The outcome of one pay period. ``ytd`` is the year-to-date after it."""

    period: int
    periods_per_year: int
    gross: Decimal
    lump_sum: Decimal
    qpp: Decimal
    qpp2: Decimal
    ei: Decimal
    qpip: Decimal
    federal_tax: Decimal  #: on regular pay and lump sum together
    federal_tax_on_lump_sum: Decimal
    quebec_tax: Decimal  #: on regular pay and lump sum together
    quebec_tax_on_lump_sum: Decimal
    other_deductions: Decimal  #: pension, union dues, labour-fund shares withheld
    net: Decimal
    vacation_pay: Decimal  #: accrued this period, or paid with it when ``vacation_paid``
    employer: EmployerContributions
    vacation_pay_employer_contributions: Decimal  #: employer share on the accrued vacation pay
    total_cost: Decimal
    ytd: YearToDate
    quebec_detail: QuebecTaxDetail
    federal_detail: FederalTaxDetail
    vacation_paid: bool = False  #: the vacation pay is paid with this pay, in ``net``

    @property
    def paid(self) -> Decimal:
        """Gross pay actually paid this period: regular pay, lump sum and the
        vacation pay when it is paid with each pay."""
        return self.gross + self.lump_sum + (self.vacation_pay if self.vacation_paid else 0)

    @property
    def employee_deductions(self) -> Decimal:
        """Statutory deductions withheld: QPP, QPP2, EI, QPIP and both income taxes."""
        return self.qpp + self.qpp2 + self.ei + self.qpip + self.federal_tax + self.quebec_tax

    def as_dict(self) -> dict[str, Decimal | dict[str, Decimal]]:
        """Amounts for the CLI, the API and payslips (every value a Decimal)."""
        return {
            "gross": self.gross,
            "lump_sum": self.lump_sum,
            "qpp": self.qpp,
            "qpp2": self.qpp2,
            "ei": self.ei,
            "qpip": self.qpip,
            "federal_tax": self.federal_tax,
            "federal_tax_on_lump_sum": self.federal_tax_on_lump_sum,
            "quebec_tax": self.quebec_tax,
            "quebec_tax_on_lump_sum": self.quebec_tax_on_lump_sum,
            "other_deductions": self.other_deductions,
            "net": self.net,
            "vacation_pay": self.vacation_pay,
            "employer": self.employer.as_dict(),
            "vacation_pay_employer_contributions": self.vacation_pay_employer_contributions,
            "total_cost": self.total_cost,
        }
