"""The payroll API's input and output schemas (``maille.payroll.api``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from maille.core.money import money_str
from maille.core.schemas import Money
from maille.payroll.models import PayRun, SalaryRequest
from maille.payroll.rendering import pdf_progress
from maille.payroll.selectors import run_totals

ClaimAmount = Annotated[Decimal, Field(ge=0, le=1_000_000, max_digits=9, decimal_places=2)]
BankAccount = Annotated[str, Field(max_length=30)]
RequestAmount = Annotated[Decimal, Field(gt=0, le=250_000, max_digits=9, decimal_places=2)]
Hours = Annotated[Decimal, Field(gt=0, le=336, max_digits=5, decimal_places=2)]


class EmploymentOut(Schema):
    member: str
    employment_start: dt.date | None
    job_title: str
    pay_frequency: str
    federal_claim: Money | None
    quebec_claim: Money | None
    quebec_deductions: Money
    additional_federal_tax: Money
    additional_quebec_tax: Money
    union_dues: Money
    fonds_ftq: Money
    fondaction: Money
    pension_contribution: Money
    cnesst_unit_code: str
    bank_account_masked: str
    bank_account_returned: bool
    sin_on_file: bool


class EmploymentPatch(Schema):
    federal_claim: ClaimAmount | None = None
    quebec_claim: ClaimAmount | None = None
    quebec_deductions: ClaimAmount | None = None
    additional_federal_tax: ClaimAmount | None = None
    additional_quebec_tax: ClaimAmount | None = None
    bank_account: BankAccount | None = None


class BudgetOut(Schema):
    activity: str
    available: Money
    pay_date: dt.date | None
    total_cost: Money
    gross: Money
    net: Money
    employer_contributions: Money
    withheld: Money = Field(description="withheld after tax from the net (share instalments)")
    net_paid: Money = Field(description="the net less what is withheld: what reaches the bank")


class RequestOut(Schema):
    id: int
    member: str
    activity: str
    pay_date: dt.date
    kind: str
    basis: str
    amount: Money | None
    hours: Money
    gross: Money
    total_cost: Money
    status: str
    is_exception: bool
    exception_reason: str

    @staticmethod
    def resolve_member(obj: SalaryRequest) -> str:
        return obj.member.number

    @staticmethod
    def resolve_activity(obj: SalaryRequest) -> str:
        return obj.activity.code

    @staticmethod
    def resolve_amount(obj: SalaryRequest) -> str | None:
        return None if obj.amount is None else money_str(obj.amount)

    @staticmethod
    def resolve_hours(obj: SalaryRequest) -> str:
        return money_str(obj.hours)

    @staticmethod
    def resolve_gross(obj: SalaryRequest) -> str:
        return money_str(obj.gross)

    @staticmethod
    def resolve_total_cost(obj: SalaryRequest) -> str:
        return money_str(obj.total_cost)


class RequestIn(Schema):
    activity: Annotated[int, Field(ge=1, le=2**63 - 1)]
    basis: Literal["gross", "net", "cost", "all"]
    amount: RequestAmount | None = None
    hours: Hours
    pay_date: dt.date | None = None
    kind: Literal["regular", "off_cycle"] = "regular"
    spread: Annotated[int, Field(ge=1, le=26)] = 1
    member: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = Field(
        None, description="staff only: the member asking"
    )
    exception_reason: Annotated[str, Field(max_length=300)] = Field(
        "", description="staff only: accept beyond the budget, for this reason"
    )


class RunOut(Schema):
    id: int
    pay_date: dt.date
    kind: str
    period: int
    periods_per_year: int
    period_start: dt.date
    period_end: dt.date
    status: str
    progress_done: int
    progress_total: int
    pdfs: dict[str, int]
    totals: dict[str, object]

    @staticmethod
    def resolve_pdfs(obj: PayRun) -> dict[str, int]:
        """Payslip PDFs rendered by the workers after posting: ready and total."""
        ready, total = pdf_progress(obj)
        return {"ready": ready, "total": total}

    @staticmethod
    def resolve_totals(obj: PayRun) -> dict[str, object]:
        return {
            k: (money_str(v) if isinstance(v, Decimal) else v) for k, v in run_totals(obj).items()
        }


class RunIn(Schema):
    pay_date: dt.date
    kind: Literal["regular", "off_cycle"] = "regular"


class PreviewLineOut(Schema):
    request: int
    member: str
    name: str
    activity: str
    gross: Money
    net: Money
    total_cost: Money
    warnings: list[str]


class PreviewHeldOut(Schema):
    request: int
    member: str
    name: str
    activity: str
    reason: str


class PreviewOut(Schema):
    run: int
    payslips: int
    totals: dict[str, Money]
    warnings: list[str]
    lines: list[PreviewLineOut]
    #: Requests the run holds: the budget left no longer pays them (not paid).
    held: list[PreviewHeldOut]


class ReturnsOut(Schema):
    returned: list[int] = Field(description="payslips recorded as returned by this file")
    already: list[int] = Field(description="payslips already recorded (the file read before)")
    problems: list[str] = Field(description="items left for staff, with why")


class NetOwedOut(Schema):
    payslip: int
    run: int
    member: str
    name: str
    pay_date: dt.date
    net: Money
    reason: str = Field(description="why it was not paid: no valid account, or returned")
    carried_next: bool = Field(description="the next bank file will carry it")
    problem_now: str = Field(description="why the next bank file cannot carry it, or ''")


class PaidOtherwiseIn(Schema):
    paid_on: dt.date
    reference: Annotated[str, Field(min_length=1, max_length=60)]


class PaidOtherwiseOut(Schema):
    payslip: int
    net: Money
    paid_on: dt.date
    reference: str


class RemittanceOut(Schema):
    agency: str
    period_start: dt.date
    period_end: dt.date
    due_date: dt.date
    owed: Money
    paid: Money
    paid_on: dt.date | None


class RemittanceIn(Schema):
    agency: Literal["rq", "cra"]
    period_start: dt.date
    paid_on: dt.date
    reference: Annotated[str, Field(max_length=60)] = ""
