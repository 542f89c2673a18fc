"""The forward calculation: one employee, one pay period, in Québec.

Order of the calculation (each step a small pure function):

1. Employee contributions on the pay actually paid (regular pay + lump sum):
   QPP base + first additional (C) and second additional (C2) per
   TP-1015.F 2026 §3.1; EI at the Québec rate per T4127 ch. 7; QPIP per
   TP-1015.F §4.1. Annual maxima are respected with the year-to-date amounts
   (QPP maxima prorated by PM/12). When a lump sum is paid, the same
   contributions are also computed on the regular pay alone: the federal
   credits (K2Q) annualize only the regular part (T4127 bonus example, p. 18).
2. Québec income tax, TP-1015.F §2.1.1 (regular pay: I, Y, A with the
   deduction for workers H and the QPP additional-contribution deduction CSA)
   and §2.1.2 second method (lump sum: T × (B2 − CSB); 7 % when annual salary
   and lump sums total at most 18 952 $).
3. Federal income tax, T4127 option 1 for Québec: A with F5A (= CSA), K1
   (TD1 claim or BPAF), K2Q (QPP base share, EI and QPIP annualized, at
   least the year-to-date, replaced by the annual maximum once reached), K4,
   the labour-sponsored funds credit and the 16.5 % Québec abatement;
   bonuses by the difference method (T4127 p. 17, 10 % when A ≤ 5 000 $ in
   Québec).
4. Employer contributions on the pay actually paid: QPP and QPP2 (equal to
   the employee's), EI × 1.4, QPIP (TP-1015.F §4.2), FSS (rate from total
   payroll and sector, §5), CNT 0.06 % up to 103 000 $ (LE-39.0.2), CNESST
   (the co-op's rate per 100 $), WSDRF 1 % when total payroll > 2 M$ (unless
   the employer spends that 1 % on eligible training).
5. Vacation pay accrued (rate × pay paid) and its employer cost: the
   employer contributions are computed as if the vacation pay were paid on
   top of this period's pay (same year-to-date), minus those on the pay
   alone. total cost = pay paid + employer contributions + vacation pay +
   employer contributions on the vacation pay. See
   docs/decisions/0002-payroll-engine.md. When the co-op pays vacation pay
   with each pay (``PayInput.vacation_paid``), it is earnings of the period:
   every contribution and tax is computed on pay + vacation pay, the net
   includes it, and total cost = pay + vacation pay + employer contributions.

Rounding follows :mod:`maille.payroll.engine.rounding`. Intermediate
per-period figures the guides show to the cent (H, CS, CSA, CSB, F5A, F5B)
are rounded to the cent; annualized figures are not. All arithmetic runs in
a local decimal context so a caller's context cannot change the results.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, replace
from decimal import Decimal

from .errors import PayrollInputError
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
from .params import Params
from .rounding import (
    ZERO,
    ZERO_CENTS,
    nonnegative_cents,
    round_cents,
    round_dollar,
    withheld_contribution,
)
from .validation import input_problems

_CONTEXT = decimal.Context(
    prec=34, rounding=decimal.ROUND_HALF_UP, traps=[decimal.InvalidOperation]
)
_HUNDRED = Decimal("100")
_MILLION = Decimal("1000000")


@dataclass(frozen=True, slots=True)
class _Contributions:
    """Employee contributions of the period (each to the cent)."""

    qpp: Decimal  # C
    qpp2: Decimal  # C2
    ei: Decimal
    qpip: Decimal


# --------------------------------------------------------------------------- contributions


def _contributions(params: Params, pay: PayInput, earnings: Decimal) -> _Contributions:
    """QPP, QPP2, EI and QPIP withheld on ``earnings`` paid in the period."""
    ytd = pay.ytd
    qpp = params.qpp
    maxima = params.qpp_maxima[pay.months_of_employment]
    # TP-1015.F §3.1: C = lesser of 4 479.30 × PM/12 − A5 and 0.0630 × [S3 − 3 500/P].
    c = min(
        maxima.contribution - ytd.qpp,
        qpp.rate * (earnings - params.qpp_exemption[pay.periods_per_year]),
    )
    # C2 = lesser of 416 × PM/12 − A8 and 0.04 × (S5 + S3 − W), W = max(S5, YMPE × PM/12).
    w = max(ytd.qpp_earnings, maxima.ympe)
    c2 = min(
        maxima.second_additional - ytd.qpp2,
        qpp.second_additional_rate * (ytd.qpp_earnings + earnings - w),
    )
    # T4127 ch. 7, Québec: EI = lesser of 895.70 − D1 and 0.0130 × IE.
    ei = min(params.ei.max_employee_premium - ytd.ei, params.ei.employee_rate * earnings)
    # TP-1015.F §4.1: Ap = lesser of 442.90 − A6 and 0.00430 × S4.
    qpip = min(params.qpip.max_employee_premium - ytd.qpip, params.qpip.employee_rate * earnings)
    return _Contributions(
        qpp=withheld_contribution(c),
        qpp2=withheld_contribution(c2),
        ei=nonnegative_cents(ei),
        qpip=withheld_contribution(qpip),
    )


def fss_rate(params: Params, employer: EmployerRates) -> Decimal:
    """FSS rate in % (TP-1015.F p. 8 and §5): W = base + slope × S, S in [1, 7.8)."""
    fss = params.fss
    if employer.fss_sector is FssSector.PUBLIC:
        return fss.public_rate
    if employer.total_payroll >= fss.large_payroll:
        # The table on p. 8 gives 4.26 from 7.8 M$ (base + slope × 7.8 = 4.2598).
        return fss.large_payroll_rate
    if employer.fss_sector is FssSector.PRIMARY_MANUFACTURING:
        base, slope = fss.primary_manufacturing_base, fss.primary_manufacturing_slope
    else:
        base, slope = fss.general_base, fss.general_slope
    payroll = max(employer.total_payroll, fss.small_payroll)
    return base + slope * (payroll / _MILLION)


def _share_of_annual(rate: Decimal, before: Decimal, after: Decimal) -> Decimal:
    """This period's part of an annual amount ``rate × base``, rounded cumulatively.

    round(rate × base after the period) − round(rate × base before it): the
    periods of a year then add up to exactly the rounded annual amount, so a
    per-employee ceiling (EI employer maximum, CNT 103 000 $) is never
    exceeded by accumulated half-cents, and the amount never decreases when
    the pay increases.
    """
    return round_cents(rate * after) - round_cents(rate * before)


def _employer_contributions(
    params: Params, pay: PayInput, earnings: Decimal, employee: _Contributions
) -> EmployerContributions:
    """The employer's share on ``earnings`` paid in the period."""
    ytd = pay.ytd
    employer = pay.employer
    # EI: 1.4 × the employee premium (T4127 table 8.7: 1 253.98 = 1.4 × 895.70).
    ei = _share_of_annual(params.ei.employer_multiplier, ytd.ei, ytd.ei + employee.ei)
    # TP-1015.F §4.2: Ap1 = lesser of 620.06 − A7 and 0.00602 × S4.
    qpip = nonnegative_cents(
        min(
            params.qpip.max_employer_premium - ytd.qpip_employer,
            params.qpip.employer_rate * earnings,
        )
    )
    # TP-1015.F §5: D2 = W × S2 for the period, to the cent.
    fss = round_cents(fss_rate(params, employer) * earnings / _HUNDRED)
    # The CNT, CNESST and WSDRF contributions are annual (RLZ-1.S, CNESST
    # statement of wages): each period carries its share, cumulatively rounded.
    before, after = ytd.earnings, ytd.earnings + earnings
    # CNT: 0.06 % of remuneration up to 103 000 $ per employee (LE-39.0.2 lines 29-35).
    cnt_max = params.cnt.max_per_employee
    cnt = _share_of_annual(params.cnt.rate, min(before, cnt_max), min(after, cnt_max))
    cnesst_rate = employer.cnesst_rate
    if cnesst_rate is None:
        cnesst_rate = params.cnesst.default_rate_per_100
    cnesst_max = params.cnesst.max_insurable
    cnesst = _share_of_annual(
        cnesst_rate / _HUNDRED, min(before, cnesst_max), min(after, cnesst_max)
    )
    wsdrf = ZERO_CENTS
    if employer.wsdrf_applies and employer.total_payroll > params.wsdrf.payroll_threshold:
        wsdrf = _share_of_annual(params.wsdrf.rate, before, after)
    return EmployerContributions(
        # TP-1015.F §3.2: the employer's QPP equals the employee's.
        qpp=employee.qpp,
        qpp2=employee.qpp2,
        ei=ei,
        qpip=qpip,
        fss=fss,
        cnt=cnt,
        cnesst=cnesst,
        wsdrf=wsdrf,
    )


# --------------------------------------------------------------------------- Québec tax


def _quebec_tax(
    params: Params, pay: PayInput, total: _Contributions, pensionable: Decimal
) -> tuple[Decimal, Decimal, QuebecTaxDetail]:
    """Québec tax on regular pay and on the lump sum (TP-1015.F §2.1.1, §2.1.2)."""
    qc = params.quebec
    p = pay.periods_per_year
    ytd = pay.ytd
    gross = pay.gross
    lump = pay.lump_sum
    # H = 0.06 × D, up to 1 450 / P.
    h = min(round_cents(qc.worker_deduction_rate * gross), params.worker_deduction_cap[p])
    # CS = C × (0.01 / 0.0630) + C2; CSA = CS × (S3 − B2) / S3; CSB = CS × B2 / S3.
    cs = round_cents(total.qpp * params.qpp.additional_share + total.qpp2)
    if lump and pensionable:
        csa = round_cents(cs * (pensionable - lump) / pensionable)
        csb = round_cents(cs * lump / pensionable)
    else:
        csa, csb = cs, ZERO_CENTS
    claim = pay.quebec_claim if pay.quebec_claim is not None else qc.basic_personal_amount
    e = round_dollar(claim)
    credits = (
        pay.quebec_authorized_credits
        + qc.credit_rate * e
        + qc.ftq_credit_rate * p * pay.fonds_ftq
        + qc.fondaction_credit_rate * p * pay.fondaction
    )
    annual_deductions = pay.quebec_deductions + pay.quebec_authorized_deductions
    regular_base = p * (gross - pay.pension_contribution - h - csa)

    # Regular pay. I = P × (G − F − H − CSA) − J − J1; Y = T × I − K − K1 − 0.14 E − ...
    income = max(regular_base - annual_deductions, ZERO)
    bracket = qc.bracket(income)
    annual_tax = max(bracket.rate * income - bracket.constant - credits, ZERO)
    tax = nonnegative_cents(annual_tax / p + pay.additional_quebec_tax)

    # Lump sum, second method: A = T × (B2 − CSB), T from I including B1 and B2.
    lump_tax = ZERO_CENTS
    if lump:
        lump_net = lump - pay.pension_contribution_on_lump_sum
        if p * gross + ytd.lump_sums + lump <= qc.lump_sum_small_income:
            lump_tax = nonnegative_cents(qc.lump_sum_small_income_rate * lump_net)
        else:
            income_with_lump = max(
                regular_base
                + (ytd.lump_sums - ytd.lump_sum_deductions)
                + lump_net
                - ytd.lump_sum_qpp_additional
                - csb
                - annual_deductions,
                ZERO,
            )
            rate = qc.bracket(income_with_lump).rate
            lump_tax = nonnegative_cents(rate * (lump_net - csb))
    detail = QuebecTaxDetail(
        worker_deduction=h,
        qpp_additional_deduction=cs,
        qpp_additional_on_salary=csa,
        qpp_additional_on_lump_sum=csb,
        annual_taxable_income=income,
        annual_tax=annual_tax,
        personal_credits=e,
    )
    return tax, lump_tax, detail


# --------------------------------------------------------------------------- federal tax


@dataclass(frozen=True, slots=True)
class _FederalCredits:
    """Annual credit bases for K2Q (before × 0.14)."""

    qpp_base: Decimal
    ei: Decimal
    qpip: Decimal


def _k2q_bases(
    params: Params,
    pay: PayInput,
    regular: _Contributions,
    lump: _Contributions | None,
) -> _FederalCredits:
    """Annual bases of the K2Q credits (T4127 p. 15-16).

    Each base is the period's amount annualized (P × C × 0.0530/0.0630,
    P × EI, P × IE × 0.0043), or the year-to-date amount if greater (the
    "greater of P × C and D" recommended on p. 16, applied to QPIP alike), up
    to the annual maximum; once the maximum is reached, in this period or
    before, the base is the maximum. ``lump`` (the contributions on a lump
    sum) is added un-annualized, as in the T4127 bonus example (p. 18); without
    it (regular pay, and the "without the bonus" step) a maximum counts as
    reached only if the regular pay reaches it.
    """
    p = pay.periods_per_year
    ytd = pay.ytd
    maxima = params.qpp_maxima[pay.months_of_employment]
    total = (
        _Contributions(
            qpp=regular.qpp + lump.qpp,
            qpp2=regular.qpp2 + lump.qpp2,
            ei=regular.ei + lump.ei,
            qpip=regular.qpip + lump.qpip,
        )
        if lump
        else regular
    )
    if ytd.qpp + total.qpp >= maxima.contribution:
        qpp_base = maxima.base_contribution
    else:
        qpp = max(p * regular.qpp + (lump.qpp if lump else ZERO), ytd.qpp)
        qpp_base = min(qpp * params.qpp.base_share, maxima.base_contribution)
    ei_max = params.ei.max_employee_premium
    if ytd.ei + total.ei >= ei_max:
        ei = ei_max
    else:
        ei = min(max(p * regular.ei + (lump.ei if lump else ZERO), ytd.ei), ei_max)
    qpip_max = params.qpip.max_employee_premium
    if ytd.qpip + total.qpip >= qpip_max:
        qpip = qpip_max
    else:
        insurable = p * pay.gross + (pay.lump_sum if lump else ZERO)
        qpip = min(max(insurable * params.qpip.employee_rate, ytd.qpip), qpip_max)
    return _FederalCredits(qpp_base=qpp_base, ei=ei, qpip=qpip)


def _federal_annual_tax(
    params: Params,
    pay: PayInput,
    income: Decimal,
    employment_income: Decimal,
    bases: _FederalCredits,
) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal, Decimal]:
    """T1 for annual taxable income A; also TC, K1, K2Q, K4, T3 for the detail."""
    fed = params.federal
    if pay.federal_claim is not None:
        claim = pay.federal_claim
    elif income <= fed.bpa_reduction_start:
        claim = fed.bpa_max
    elif income >= fed.bpa_reduction_end:
        claim = fed.bpa_min
    else:
        # BPAF = 16 452 − (NI − 181 440) × (1 623 / 77 042), to the cent (T4127 p. 10).
        claim = round_cents(
            fed.bpa_max - (income - fed.bpa_reduction_start) * fed.bpa_reduction_slope
        )
    rate = fed.lowest_rate
    k1 = rate * claim
    k2q = rate * (bases.qpp_base + bases.ei + bases.qpip)
    k4 = rate * min(employment_income, fed.canada_employment_amount)
    bracket = fed.bracket(income)
    t3 = bracket.rate * income - bracket.constant - k1 - k2q - pay.federal_authorized_credits - k4
    t3 = max(t3, ZERO)
    # Québec: T1 = [(T3 − P × LCF) − 0.165 × T3], each step floored at 0; P × LCF ≤ 750.
    lcf = min(
        fed.labour_fund_credit_rate * pay.periods_per_year * (pay.fonds_ftq + pay.fondaction),
        fed.labour_fund_credit_max,
    )
    t1 = max(max(t3 - lcf, ZERO) - fed.quebec_abatement * t3, ZERO)
    return t1, claim, k1, k2q, k4, t3


def _federal_tax(
    params: Params,
    pay: PayInput,
    total: _Contributions,
    regular: _Contributions,
    csa: Decimal,
    csb: Decimal,
) -> tuple[Decimal, Decimal, FederalTaxDetail]:
    """Federal tax on regular pay and on the lump sum (T4127 option 1, Québec)."""
    p = pay.periods_per_year
    ytd = pay.ytd
    # A = P × (I − F − F5A − U1) − F1; F5Q = CS, so F5A = CSA and F5B = CSB.
    regular_income = max(
        p * (pay.gross - pay.pension_contribution - csa - pay.union_dues)
        - pay.federal_authorized_deductions,
        ZERO,
    )
    employment_income = p * pay.gross
    bases = _k2q_bases(params, pay, regular, None)
    t1, claim, k1, k2q, k4, t3 = _federal_annual_tax(
        params, pay, regular_income, employment_income, bases
    )
    tax = nonnegative_cents(t1 / p + pay.additional_federal_tax)

    lump_tax = ZERO_CENTS
    if pay.lump_sum:
        fed = params.federal
        previous = max(ytd.lump_sums - ytd.lump_sum_deductions - ytd.lump_sum_qpp_additional, ZERO)
        current = max(pay.lump_sum - pay.pension_contribution_on_lump_sum - csb, ZERO)
        with_lump = regular_income + previous + current
        if with_lump <= fed.lump_sum_small_income:
            lump_net = pay.lump_sum - pay.pension_contribution_on_lump_sum
            lump_tax = nonnegative_cents(fed.lump_sum_small_income_rate * lump_net)
        else:
            lump_part = _Contributions(
                qpp=total.qpp - regular.qpp,
                qpp2=total.qpp2 - regular.qpp2,
                ei=total.ei - regular.ei,
                qpip=total.qpip - regular.qpip,
            )
            bases_with = _k2q_bases(params, pay, regular, lump_part)
            employment = employment_income + ytd.lump_sums
            t1_with = _federal_annual_tax(
                params, pay, with_lump, employment + pay.lump_sum, bases_with
            )[0]
            t1_without = _federal_annual_tax(
                params, pay, regular_income + previous, employment, bases
            )[0]
            lump_tax = nonnegative_cents(t1_with - t1_without)
    detail = FederalTaxDetail(
        annual_taxable_income=regular_income,
        claim=claim,
        personal_credit=k1,
        contribution_credits=k2q,
        employment_credit=k4,
        basic_tax=t3,
        annual_tax=t1,
    )
    return tax, lump_tax, detail


# --------------------------------------------------------------------------- the whole period


def _year_to_date_after(
    pay: PayInput,
    paid: Decimal,
    total: _Contributions,
    employer: EmployerContributions,
    csb: Decimal,
) -> YearToDate:
    ytd = pay.ytd
    return YearToDate(
        earnings=ytd.earnings + paid,
        qpp_earnings=ytd.qpp_earnings + paid,
        qpp=ytd.qpp + total.qpp,
        qpp2=ytd.qpp2 + total.qpp2,
        ei_earnings=ytd.ei_earnings + paid,
        ei=ytd.ei + total.ei,
        qpip_earnings=ytd.qpip_earnings + paid,
        qpip=ytd.qpip + total.qpip,
        qpip_employer=ytd.qpip_employer + employer.qpip,
        lump_sums=ytd.lump_sums + pay.lump_sum,
        lump_sum_deductions=ytd.lump_sum_deductions + pay.pension_contribution_on_lump_sum,
        lump_sum_qpp_additional=ytd.lump_sum_qpp_additional + csb,
    )


def calculate_unchecked(pay: PayInput, params: Params) -> PayResult:
    """:func:`calculate` without input validation (the inverse solvers validate once)."""
    with decimal.localcontext(_CONTEXT):
        return _calculate(pay, params)


def _calculate(pay: PayInput, params: Params) -> PayResult:
    if pay.vacation_paid:
        return _calculate_vacation_paid(pay, params)
    gross = round_cents(pay.gross)  # exact: inputs are validated to the cent
    lump_sum = round_cents(pay.lump_sum)
    paid = gross + lump_sum
    total = _contributions(params, pay, paid)
    regular = _contributions(params, pay, pay.gross) if pay.lump_sum else total

    quebec_tax, quebec_lump_tax, qc_detail = _quebec_tax(params, pay, total, paid)
    csa = qc_detail.qpp_additional_on_salary
    csb = qc_detail.qpp_additional_on_lump_sum
    federal_tax, federal_lump_tax, fed_detail = _federal_tax(params, pay, total, regular, csa, csb)

    employer = _employer_contributions(params, pay, paid, total)
    vacation_rate = pay.vacation_rate
    if vacation_rate is None:
        vacation_rate = params.vacation.default_rate
    vacation_pay = round_cents(vacation_rate * paid)
    vacation_employer = ZERO_CENTS
    if vacation_pay:
        with_vacation = paid + vacation_pay
        employee_with = _contributions(params, pay, with_vacation)
        employer_with = _employer_contributions(params, pay, with_vacation, employee_with)
        vacation_employer = employer_with.total - employer.total

    other = round_cents(
        pay.pension_contribution
        + pay.pension_contribution_on_lump_sum
        + pay.union_dues
        + pay.fonds_ftq
        + pay.fondaction
    )
    federal = federal_tax + federal_lump_tax
    quebec = quebec_tax + quebec_lump_tax
    deductions = total.qpp + total.qpp2 + total.ei + total.qpip + federal + quebec
    return PayResult(
        period=pay.period,
        periods_per_year=pay.periods_per_year,
        gross=gross,
        lump_sum=lump_sum,
        qpp=total.qpp,
        qpp2=total.qpp2,
        ei=total.ei,
        qpip=total.qpip,
        federal_tax=federal,
        federal_tax_on_lump_sum=federal_lump_tax,
        quebec_tax=quebec,
        quebec_tax_on_lump_sum=quebec_lump_tax,
        other_deductions=other,
        net=paid - deductions - other,
        vacation_pay=vacation_pay,
        employer=employer,
        vacation_pay_employer_contributions=vacation_employer,
        total_cost=paid + employer.total + vacation_pay + vacation_employer,
        ytd=_year_to_date_after(pay, paid, total, employer, csb),
        quebec_detail=qc_detail,
        federal_detail=fed_detail,
    )


def _calculate_vacation_paid(pay: PayInput, params: Params) -> PayResult:
    """Vacation pay paid with the pay: regular earnings of the period (taxable,
    pensionable, insurable), so the period is computed on pay + vacation pay."""
    rate = pay.vacation_rate if pay.vacation_rate is not None else params.vacation.default_rate
    gross = round_cents(pay.gross)
    vacation_pay = round_cents(rate * (gross + round_cents(pay.lump_sum)))
    whole = _calculate(
        replace(pay, gross=gross + vacation_pay, vacation_rate=ZERO, vacation_paid=False), params
    )
    return replace(whole, gross=gross, vacation_pay=vacation_pay, vacation_paid=True)


def calculate(pay: PayInput, params: Params) -> PayResult:
    """Compute one pay period. Raise :class:`PayrollInputError` listing every bad input."""
    with decimal.localcontext(_CONTEXT):
        problems = input_problems(pay, params)
        if problems:
            raise PayrollInputError(problems)
        return _calculate(pay, params)
