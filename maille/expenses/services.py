"""Writes of expenses: claims made, approved or returned; purchases approved and paid.

Posting scheme (ARCHITECTURE §3, "expense claim approved"), through the ledger's
services only, one entry per decision, idempotency keys from the document:

- claim approved: debit Activity expenses [A] (net of credits), ITC receivable
  [COOP] (GST/HST), ITR receivable [COOP] (QST); credit Reimbursements payable
  [A] (the amount);
- its bank file sent (``reimbursements.py``): debit Reimbursements payable [A];
  credit Bank [COOP];
- purchase approved (both approvals): debit Activity expenses [A], ITC and ITR
  receivable [COOP]; credit Suppliers payable [COOP];
- purchase paid (by hand, or its bank file sent): debit Suppliers payable
  [COOP]; credit Bank [COOP].

Budget: a claim reserves its net cost on the activity's budget when it is made
(if the budget holds it), so a salary request cannot spend the same money;
approving checks the available budget (``maille.budgets``) with the activity's
row locked, and refuses a claim the budget does not hold unless staff record
an exception. The reservation is released in the transaction that posts the
cost, or when the claim is returned.

Concurrency: a decision locks the claim's row and checks its status, so two
staff approving at once give one approval and one ``ClaimConflict``; a
mileage claim locks the member's row, so two claims at once count the year's
kilometres one after the other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.budgets.selectors import activity_budget
from maille.budgets.services import activity_lock, reservation_take, reservations_release
from maille.core.dates import near_today_problem
from maille.core.models import User
from maille.core.money import ZERO, format_money
from maille.core.validators import clean_bank_account, clean_gst_number, clean_qst_number
from maille.expenses import rules as rule
from maille.expenses.exceptions import ClaimConflict, ExpensesError, InsufficientBudget
from maille.expenses.models import (
    Category,
    ClaimKind,
    ClaimStatus,
    ExpenseClaim,
    ExpenseRules,
    Purchase,
    PurchaseStatus,
    Receipt,
)
from maille.expenses.receipts import CheckedFile, keep_until, receipt_check, stored_receipt
from maille.ledger import accounts
from maille.ledger.services import LineSpec, entry_post
from maille.members.models import COOP_ACTIVITY_CODE, Activity, ActivityKind, Member
from maille.taxes.sales import TaxError, taxes_included

MAX_AMOUNT = Decimal("999999.99")
MAX_KM_PER_CLAIM = Decimal("5000")


def rules_on(on: dt.date) -> rule.Rules:
    row = ExpenseRules.in_force(on)
    if row is None:
        raise ExpensesError([_("No expense rules are in force on %(date)s.") % {"date": on}])
    return rule.Rules(
        km_rate_first=row.km_rate_first,
        km_rate_after=row.km_rate_after,
        km_threshold=row.km_threshold,
        meals_credit_share=row.meals_credit_share,
        registration_threshold=row.registration_threshold,
    )


def _coop() -> Activity:
    return Activity.objects.get(code=COOP_ACTIVITY_CODE)


def _owns(user: User, activity: Activity) -> bool:
    return activity.owners.filter(user=user).exists()


# --- Checking what a person gives -----------------------------------------------


@dataclass(slots=True)
class Figures:
    """A receipt's figures once checked (taxes proposed when not given)."""

    date: dt.date
    supplier: str
    supplier_province: str
    category: str
    description: str
    amount: Decimal
    gst_hst: Decimal
    qst: Decimal
    supplier_gst_number: str
    supplier_qst_number: str
    itc: Decimal = ZERO
    itr: Decimal = ZERO
    credit_note: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def _money(value: object, name: str, figures_errors: dict[str, list[str]]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).replace(",", ".").replace(" ", "").replace("\u00a0", ""))
    except InvalidOperation:
        figures_errors.setdefault(name, []).append(_("Give an amount such as 12.34."))
        return None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        figures_errors.setdefault(name, []).append(_("Give an amount with at most two decimals."))
        return None
    if amount > MAX_AMOUNT:
        figures_errors.setdefault(name, []).append(_("This amount is too large."))
        return None
    return amount


def _date_problem(date: dt.date | None, today: dt.date) -> str | None:
    if date is None:
        return str(_("This field is required."))
    if date > today:
        return str(_("The date is in the future."))
    return near_today_problem(date)


CREDIT_NOTES = {
    "no_gst_number": _(
        "No GST/HST credit: the receipt is %(threshold)s or more and shows no GST/HST number."
    ),
    "no_qst_number": _(
        "No QST refund: the receipt is %(threshold)s or more and shows no QST number."
    ),
    "meals": _("Meals and entertainment: half of the taxes are recovered."),
}


def figures_check(
    *,
    date: dt.date | None,
    supplier: str,
    supplier_province: str,
    category: str,
    description: str,
    amount: object,
    gst_hst: object,
    qst: object,
    supplier_gst_number: str,
    supplier_qst_number: str,
    today: dt.date,
) -> Figures:
    """Every problem of a receipt's figures at once, and the credits it gives."""
    errors: dict[str, list[str]] = {}
    problem = _date_problem(date, today)
    if problem:
        errors["date"] = [problem]
    if not supplier.strip():
        errors["supplier"] = [str(_("This field is required."))]
    if category not in Category.values or category == Category.MILEAGE:
        errors["category"] = [str(_("Choose one of the categories."))]
    total = _money(amount, "amount", errors)
    if total is None and "amount" not in errors:
        errors["amount"] = [str(_("This field is required."))]
    elif total is not None and total <= 0:
        errors["amount"] = [str(_("The amount must be more than zero."))]
        total = None
    gst = _money(gst_hst, "gst_hst", errors)
    q = _money(qst, "qst", errors)
    numbers = {}
    for name, value, clean in (
        ("supplier_gst_number", supplier_gst_number, clean_gst_number),
        ("supplier_qst_number", supplier_qst_number, clean_qst_number),
    ):
        numbers[name] = ""
        if value.strip():
            try:
                numbers[name] = clean(value)
            except ValidationError as exc:
                errors[name] = [str(m) for m in exc.messages]
    figures = Figures(
        date=date or today,
        supplier=supplier.strip()[:200],
        supplier_province=supplier_province or "QC",
        category=category,
        description=description.strip()[:500],
        amount=total or ZERO,
        gst_hst=gst or ZERO,
        qst=q or ZERO,
        supplier_gst_number=numbers["supplier_gst_number"],
        supplier_qst_number=numbers["supplier_qst_number"],
        errors=errors,
    )
    if total is None or date is None or "date" in errors:
        return figures
    if gst is None or q is None:  # not given: proposed from the amount and the province
        try:
            proposal = {
                t.code: t.amount
                for t in taxes_included(province=figures.supplier_province, on=date, total=total)
            }
        except TaxError:
            figures.error("supplier_province", str(_("Choose the supplier's province.")))
            return figures
        if gst is None and "gst_hst" not in errors:
            figures.gst_hst = proposal.get("GST", proposal.get("HST", ZERO))
        if q is None and "qst" not in errors:
            figures.qst = proposal.get("QST", ZERO)
    for name, code in rule.tax_problems(
        on=date, amount=total, gst_hst=figures.gst_hst, qst=figures.qst
    ).items():
        figures.error(
            name,
            str(_("The taxes cannot be negative."))
            if code == "negative"
            else str(_("This tax is higher than the amount allows.")),
        )
    if figures.errors:
        return figures
    rules_in_force = rules_on(date)
    credits = rule.credits(
        rules=rules_in_force,
        category=category,
        amount=total,
        gst_hst=figures.gst_hst,
        qst=figures.qst,
        gst_number=figures.supplier_gst_number,
        qst_number=figures.supplier_qst_number,
    )
    figures.itc, figures.itr = credits.itc, credits.itr
    threshold = format_money(rules_in_force.registration_threshold)
    figures.credit_note = " ".join(
        str(CREDIT_NOTES[n]) % {"threshold": threshold} for n in credits.notes
    )[:300]
    return figures


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError({k: [ValidationError(m) for m in v] for k, v in errors.items()})


def _check_activity(user: User, activity: Activity | None, *, name: str = "activity") -> list[str]:
    if activity is None:
        return [str(_("This field is required."))]
    if not _owns(user, activity):
        return [str(_("Choose one of your activities."))]
    if not activity.is_open:
        return [str(_("This activity is closed."))]
    return []


def _receipt_row(checked: CheckedFile, name: str, *, on: dt.date, user: User) -> Receipt:
    return Receipt.objects.create(
        file=name,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
        original_name=checked.original_name,
        keep_until=keep_until(on),
        uploaded_by=user,
    )


def _reserve_if_it_fits(claim: ExpenseClaim | Purchase, key: str) -> None:
    activity = activity_lock(claim.activity)
    if activity.kind == ActivityKind.COOP:
        return
    if activity_budget(activity).available >= claim.net_cost:
        reservation_take(
            activity=activity,
            amount=claim.net_cost,
            key=key,
            description=f"{claim.supplier} {claim.date}",
        )


# --- Claims ---------------------------------------------------------------------


def expense_claim_create(
    *,
    acting_user: User,
    activity: Activity | None,
    date: dt.date | None,
    supplier: str,
    category: str,
    amount: object,
    gst_hst: object = None,
    qst: object = None,
    supplier_province: str = "QC",
    supplier_gst_number: str = "",
    supplier_qst_number: str = "",
    description: str = "",
    receipt: IO[bytes] | None,
    receipt_name: str = "",
    today: dt.date | None = None,
) -> ExpenseClaim:
    """A member claims what they paid for one of their activities, with its receipt.

    Raises ``ValidationError`` naming each field that is wrong; nothing is
    written, and no file is left behind, unless the whole claim is saved.
    """
    today = today or timezone.localdate()
    figures = figures_check(
        date=date,
        supplier=supplier,
        supplier_province=supplier_province,
        category=category,
        description=description,
        amount=amount,
        gst_hst=gst_hst,
        qst=qst,
        supplier_gst_number=supplier_gst_number,
        supplier_qst_number=supplier_qst_number,
        today=today,
    )
    errors = figures.errors
    member = Member.objects.filter(user=acting_user).first()
    if member is None:
        raise PermissionError("only members claim expenses")
    activity_problems = _check_activity(acting_user, activity)
    if activity_problems:
        errors["activity"] = activity_problems
    checked = None
    if receipt is None:
        errors["receipt"] = [str(_("Add the receipt (a photo or a PDF)."))]
    else:
        try:
            checked = receipt_check(receipt, name=receipt_name)
        except ValidationError as exc:
            errors["receipt"] = [str(m) for m in exc.messages]
    _raise(errors)
    if activity is None or checked is None:  # _raise has refused both
        raise ExpensesError([_("The claim is incomplete.")])
    with stored_receipt(checked, on=figures.date) as name, transaction.atomic():
        claim = ExpenseClaim.objects.create(
            member=member,
            activity=activity,
            kind=ClaimKind.RECEIPT,
            date=figures.date,
            supplier=figures.supplier,
            supplier_province=figures.supplier_province,
            category=figures.category,
            description=figures.description,
            amount=figures.amount,
            gst_hst=figures.gst_hst,
            qst=figures.qst,
            supplier_gst_number=figures.supplier_gst_number,
            supplier_qst_number=figures.supplier_qst_number,
            itc=figures.itc,
            itr=figures.itr,
            credit_note=figures.credit_note,
            receipt=_receipt_row(checked, name, on=figures.date, user=acting_user),
            created_by=acting_user,
        )
        _reserve_if_it_fits(claim, _key(claim))
    return claim


def mileage_claim_create(
    *,
    acting_user: User,
    activity: Activity | None,
    date: dt.date | None,
    km: object,
    origin: str,
    destination: str,
    purpose: str,
    today: dt.date | None = None,
) -> ExpenseClaim:
    """Kilometres driven for an activity, at the dated rate and the year's threshold."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    problem = _date_problem(date, today)
    if problem:
        errors["date"] = [problem]
    try:
        distance = Decimal(str(km).replace(",", ".")) if km not in (None, "") else None
    except InvalidOperation:
        distance = None
    if distance is None or not distance.is_finite():
        errors["km"] = [str(_("Give the kilometres driven, such as 42.5."))]
    elif distance <= 0 or distance > MAX_KM_PER_CLAIM:
        errors["km"] = [
            str(_("Give between 0.1 and %(max)s kilometres.") % {"max": MAX_KM_PER_CLAIM})
        ]
    elif distance != distance.quantize(Decimal("0.1")):
        errors["km"] = [str(_("Give the kilometres with at most one decimal."))]
    for name, value in (("origin", origin), ("destination", destination), ("purpose", purpose)):
        if not value.strip():
            errors[name] = [str(_("This field is required."))]
    member = Member.objects.filter(user=acting_user).first()
    if member is None:
        raise PermissionError("only members claim expenses")
    activity_problems = _check_activity(acting_user, activity)
    if activity_problems:
        errors["activity"] = activity_problems
    _raise(errors)
    if activity is None or date is None or distance is None:  # _raise has refused them
        raise ExpensesError([_("The claim is incomplete.")])
    rules_in_force = rules_on(date)
    with transaction.atomic():
        # The year's kilometres are counted one claim after the other.
        Member.objects.select_for_update().get(pk=member.pk)
        already = (
            ExpenseClaim.objects.filter(member=member, kind=ClaimKind.MILEAGE, date__year=date.year)
            .exclude(status=ClaimStatus.RETURNED)
            .aggregate(total=Sum("km"))["total"]
            or ZERO
        )
        split = rule.mileage(rules=rules_in_force, km=distance, already_this_year=already)
        claim = ExpenseClaim.objects.create(
            member=member,
            activity=activity,
            kind=ClaimKind.MILEAGE,
            date=date,
            supplier=str(_("Mileage")),
            category=Category.MILEAGE,
            description=f"{origin.strip()} → {destination.strip()}"[:500],
            amount=split.amount,
            itc=ZERO,
            itr=ZERO,
            km=distance,
            km_first=split.km_first,
            km_after=split.km_after,
            km_rate_first=rules_in_force.km_rate_first,
            km_rate_after=rules_in_force.km_rate_after,
            origin=origin.strip()[:200],
            destination=destination.strip()[:200],
            purpose=purpose.strip()[:300],
            created_by=acting_user,
        )
        _reserve_if_it_fits(claim, _key(claim))
    return claim


def _key(claim: ExpenseClaim | Purchase) -> str:
    kind = "claim" if isinstance(claim, ExpenseClaim) else "purchase"
    return f"expenses:{kind}:{claim.pk}"


def _budget_guard(
    claim: ExpenseClaim | Purchase, *, exception_reason: str, acting_user: User
) -> None:
    """Refuse a cost the activity's budget does not hold, unless staff except it."""
    activity = activity_lock(claim.activity)
    if activity.kind == ActivityKind.COOP:
        return
    own = (
        claim.activity.budget_reservations.filter(
            key=_key(claim), released_at__isnull=True
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    available = activity_budget(activity).available + own
    if claim.net_cost <= available:
        return
    if exception_reason.strip():
        if not acting_user.is_staff:
            raise PermissionError("only staff record a budget exception")
        return
    raise InsufficientBudget(
        [
            _(
                "The activity %(activity)s has %(available)s available; this costs %(cost)s. "
                "Staff may record an exception with its reason."
            )
            % {
                "activity": activity.code,
                "available": format_money(available),
                "cost": format_money(claim.net_cost),
            }
        ]
    )


def _cost_lines(claim: ExpenseClaim | Purchase, coop: Activity) -> list[LineSpec]:
    lines = [LineSpec(accounts.ACTIVITY_EXPENSES, claim.activity, claim.net_cost)]
    if claim.itc:
        lines.append(LineSpec(accounts.ITC_RECEIVABLE, coop, claim.itc))
    if claim.itr:
        lines.append(LineSpec(accounts.ITR_RECEIVABLE, coop, claim.itr))
    return lines


ALREADY_APPROVED = (ClaimStatus.APPROVED, ClaimStatus.IN_BANK_FILE, ClaimStatus.PAID)


def _locked_claim(claim: ExpenseClaim, *, expected: str) -> ExpenseClaim:
    locked = ExpenseClaim.objects.select_for_update().select_related("activity").get(pk=claim.pk)
    if locked.status != expected and locked.status in ALREADY_APPROVED:
        raise ClaimConflict(
            [
                _("This claim is already approved (%(status)s).")
                % {"status": locked.get_status_display()}
            ]
        )
    if locked.status != expected:
        raise ClaimConflict(
            [
                _("This claim is no longer waiting for approval: it is %(status)s.")
                % {"status": locked.get_status_display()}
            ]
        )
    return locked


def expense_claim_approve(
    *, claim: ExpenseClaim, acting_user: User, exception_reason: str = ""
) -> ExpenseClaim:
    """Staff approve a claim: its cost is posted and it waits for the next bank file."""
    if not acting_user.is_staff:
        raise PermissionError("only staff approve claims")
    with transaction.atomic():
        claim = _locked_claim(claim, expected=ClaimStatus.SUBMITTED)
        _budget_guard(claim, exception_reason=exception_reason, acting_user=acting_user)
        coop = _coop()
        entry_post(
            date=claim.date,
            description=str(
                _("Expense claim %(n)s: %(supplier)s") % {"n": claim.pk, "supplier": claim.supplier}
            )[:300],
            lines=[
                *_cost_lines(claim, coop),
                LineSpec(accounts.REIMBURSEMENTS_PAYABLE, claim.activity, -claim.amount),
            ],
            idempotency_key=f"{_key(claim)}:approved",
            acting_user=acting_user,
            source=claim,
        )
        reservations_release(keys=[_key(claim)])
        claim.status = ClaimStatus.APPROVED
        claim.budget_exception = exception_reason.strip()[:300]
        claim.decided_by = acting_user
        claim.decided_at = timezone.now()
        claim._history_user = acting_user  # type: ignore[attr-defined]
        claim.save(update_fields=["status", "budget_exception", "decided_by", "decided_at"])
    return claim


def expense_claim_return(*, claim: ExpenseClaim, acting_user: User, reason: str) -> ExpenseClaim:
    """Staff return a claim to the member with a reason; nothing is posted."""
    if not acting_user.is_staff:
        raise PermissionError("only staff return claims")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the claim is returned.")})
    with transaction.atomic():
        claim = _locked_claim(claim, expected=ClaimStatus.SUBMITTED)
        reservations_release(keys=[_key(claim)])
        claim.status = ClaimStatus.RETURNED
        claim.returned_reason = reason.strip()[:500]
        claim.decided_by = acting_user
        claim.decided_at = timezone.now()
        claim._history_user = acting_user  # type: ignore[attr-defined]
        claim.save(update_fields=["status", "returned_reason", "decided_by", "decided_at"])
    return claim


@dataclass(frozen=True, slots=True)
class BulkResult:
    approved: list[ExpenseClaim]
    refused: list[tuple[ExpenseClaim, str]]

    @property
    def total(self) -> Decimal:
        return sum((c.amount for c in self.approved), ZERO)


def expense_claims_approve_many(*, claims: list[ExpenseClaim], acting_user: User) -> BulkResult:
    """Approve each claim in its own transaction: one refused leaves the others approved."""
    approved, refused = [], []
    for claim in claims:
        try:
            approved.append(expense_claim_approve(claim=claim, acting_user=acting_user))
        except ExpensesError as exc:
            refused.append((claim, str(exc)))
    return BulkResult(approved, refused)


# --- Purchases ------------------------------------------------------------------


def purchase_create(
    *,
    acting_user: User,
    activity: Activity | None,
    invoice_number: str,
    date: dt.date | None,
    supplier: str,
    category: str,
    amount: object,
    gst_hst: object = None,
    qst: object = None,
    supplier_province: str = "QC",
    supplier_gst_number: str = "",
    supplier_qst_number: str = "",
    description: str = "",
    due_date: dt.date | None = None,
    supplier_bank_account: str = "",
    document: IO[bytes] | None,
    document_name: str = "",
    today: dt.date | None = None,
) -> Purchase:
    """A supplier invoice to pay for an activity (by one of its members) or for COOP (staff).

    The member who enters it approves it for their activity by doing so. With
    the supplier's bank account, the co-op pays it with the next bank file once
    approved; without, staff pay it and record it (``purchase_pay``).
    Raises ``ValidationError`` naming each field that is wrong; nothing is
    written, and no file is left behind, unless the whole invoice is saved.
    """
    today = today or timezone.localdate()
    figures = figures_check(
        date=date,
        supplier=supplier,
        supplier_province=supplier_province,
        category=category,
        description=description,
        amount=amount,
        gst_hst=gst_hst,
        qst=qst,
        supplier_gst_number=supplier_gst_number,
        supplier_qst_number=supplier_qst_number,
        today=today,
    )
    errors = figures.errors
    owner = activity is not None and _owns(acting_user, activity)
    if activity is None:
        errors["activity"] = [str(_("This field is required."))]
    elif not (owner or acting_user.is_staff):
        errors["activity"] = [str(_("Choose one of your activities."))]
    elif not activity.is_open:
        errors["activity"] = [str(_("This activity is closed."))]
    if not invoice_number.strip():
        errors["invoice_number"] = [str(_("This field is required."))]
    elif (
        Purchase.objects.filter(
            supplier__iexact=figures.supplier, invoice_number=invoice_number.strip()
        )
        .exclude(status=PurchaseStatus.REFUSED)
        .exists()
    ):
        errors["invoice_number"] = [str(_("This supplier invoice is already entered."))]
    bank_account = ""
    if supplier_bank_account.strip():
        try:
            bank_account = clean_bank_account(supplier_bank_account)
        except ValidationError as exc:
            errors["supplier_bank_account"] = [str(m) for m in exc.messages]
    if due_date is not None and date is not None and due_date < date:
        errors["due_date"] = [str(_("The due date is before the invoice's date."))]
    checked = None
    if document is None:
        errors["document"] = [str(_("Add the supplier's invoice (a PDF or a photo)."))]
    else:
        try:
            checked = receipt_check(document, name=document_name)
        except ValidationError as exc:
            errors["document"] = [str(m) for m in exc.messages]
    _raise(errors)
    if activity is None or checked is None:  # _raise has refused both
        raise ExpensesError([_("The claim is incomplete.")])
    now = timezone.now()
    with stored_receipt(checked, on=figures.date) as name, transaction.atomic():
        purchase = Purchase.objects.create(
            activity=activity,
            invoice_number=invoice_number.strip()[:50],
            due_date=due_date,
            date=figures.date,
            supplier=figures.supplier,
            supplier_province=figures.supplier_province,
            category=figures.category,
            description=figures.description,
            amount=figures.amount,
            gst_hst=figures.gst_hst,
            qst=figures.qst,
            supplier_gst_number=figures.supplier_gst_number,
            supplier_qst_number=figures.supplier_qst_number,
            itc=figures.itc,
            itr=figures.itr,
            credit_note=figures.credit_note,
            receipt=_receipt_row(checked, name, on=figures.date, user=acting_user),
            supplier_bank_account=bank_account,
            member_approved_by=acting_user if owner else None,
            member_approved_at=now if owner else None,
            created_by=acting_user,
        )
        _reserve_if_it_fits(purchase, _key(purchase))
    return purchase


def _needs_member(purchase: Purchase) -> bool:
    return purchase.activity.kind != ActivityKind.COOP


def purchase_approve(
    *, purchase: Purchase, acting_user: User, exception_reason: str = ""
) -> Purchase:
    """An owner of the activity, or staff, approve; the second approval posts it."""
    with transaction.atomic():
        purchase = (
            Purchase.objects.select_for_update().select_related("activity").get(pk=purchase.pk)
        )
        if purchase.status != PurchaseStatus.SUBMITTED:
            raise ClaimConflict(
                [
                    _("This purchase is no longer waiting for approvals: it is %(status)s.")
                    % {"status": purchase.get_status_display()}
                ]
            )
        now, fields = timezone.now(), []
        if _owns(acting_user, purchase.activity) and purchase.member_approved_at is None:
            purchase.member_approved_by, purchase.member_approved_at = acting_user, now
            fields += ["member_approved_by", "member_approved_at"]
        elif acting_user.is_staff and purchase.staff_approved_at is None:
            purchase.staff_approved_by, purchase.staff_approved_at = acting_user, now
            fields += ["staff_approved_by", "staff_approved_at"]
        elif acting_user.is_staff or _owns(acting_user, purchase.activity):
            raise ClaimConflict([_("You have already approved this purchase.")])
        else:
            raise PermissionError("neither an owner of the activity nor staff")
        complete = purchase.staff_approved_at is not None and (
            purchase.member_approved_at is not None or not _needs_member(purchase)
        )
        if complete:
            _budget_guard(purchase, exception_reason=exception_reason, acting_user=acting_user)
            coop = _coop()
            entry_post(
                date=purchase.date,
                description=str(
                    _("Supplier invoice %(number)s: %(supplier)s")
                    % {"number": purchase.invoice_number, "supplier": purchase.supplier}
                )[:300],
                lines=[
                    *_cost_lines(purchase, coop),
                    LineSpec(accounts.SUPPLIERS_PAYABLE, coop, -purchase.amount),
                ],
                idempotency_key=f"{_key(purchase)}:approved",
                acting_user=acting_user,
                source=purchase,
            )
            reservations_release(keys=[_key(purchase)])
            purchase.status = PurchaseStatus.APPROVED
            purchase.budget_exception = exception_reason.strip()[:300]
            fields += ["status", "budget_exception"]
        purchase._history_user = acting_user  # type: ignore[attr-defined]
        purchase.save(update_fields=fields)
    return purchase


def purchase_refuse(*, purchase: Purchase, acting_user: User, reason: str) -> Purchase:
    if not (acting_user.is_staff or _owns(acting_user, purchase.activity)):
        raise PermissionError("neither an owner of the activity nor staff")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the purchase is refused.")})
    with transaction.atomic():
        purchase = Purchase.objects.select_for_update().get(pk=purchase.pk)
        if purchase.status != PurchaseStatus.SUBMITTED:
            raise ClaimConflict([_("This purchase is no longer waiting for approvals.")])
        reservations_release(keys=[_key(purchase)])
        purchase.status = PurchaseStatus.REFUSED
        purchase.refused_reason = reason.strip()[:500]
        purchase._history_user = acting_user  # type: ignore[attr-defined]
        purchase.save(update_fields=["status", "refused_reason"])
    return purchase


def purchase_pay(
    *, purchase: Purchase, acting_user: User, paid_on: dt.date, reference: str = ""
) -> Purchase:
    """Staff record the co-op's payment to the supplier (a transfer or a cheque made
    outside Maille): the payable is cleared against the bank, dated ``paid_on``.

    That entry is the movement the bank statement's matching expects
    (``payments.matching``, "expected movement"): the statement's debit line is
    matched to it, at import or when the queue is matched again, so the payment
    is neither recorded twice nor left unexplained."""
    if not acting_user.is_staff:
        raise PermissionError("only staff pay suppliers")
    problem = near_today_problem(paid_on)
    if problem:
        raise ValidationError({"paid_on": problem})
    with transaction.atomic():
        purchase = Purchase.objects.select_for_update().get(pk=purchase.pk)
        if purchase.status == PurchaseStatus.IN_BANK_FILE:
            raise ClaimConflict(
                [
                    _(
                        "This invoice is in bank file %(n)04d: it is paid when the file is "
                        "sent, not by hand."
                    )
                    % {"n": purchase.bank_file.creation_number if purchase.bank_file else 0}
                ]
            )
        if purchase.status == PurchaseStatus.PAID:
            raise ClaimConflict([_("This invoice is already paid.")])
        if purchase.status != PurchaseStatus.APPROVED:
            raise ClaimConflict([_("Only an approved purchase can be paid, once.")])
        if paid_on < purchase.date:
            raise ValidationError({"paid_on": _("The payment is dated before the invoice.")})
        coop = _coop()
        entry_post(
            date=paid_on,
            description=str(
                _("Payment to %(supplier)s, invoice %(number)s")
                % {"supplier": purchase.supplier, "number": purchase.invoice_number}
            )[:300],
            lines=[
                LineSpec(accounts.SUPPLIERS_PAYABLE, coop, purchase.amount),
                LineSpec(accounts.BANK, coop, -purchase.amount),
            ],
            idempotency_key=f"{_key(purchase)}:paid",
            acting_user=acting_user,
            source=purchase,
        )
        purchase.status = PurchaseStatus.PAID
        purchase.paid_on = paid_on
        purchase.payment_reference = reference.strip()[:100]
        purchase._history_user = acting_user  # type: ignore[attr-defined]
        purchase.save(update_fields=["status", "paid_on", "payment_reference"])
    return purchase
