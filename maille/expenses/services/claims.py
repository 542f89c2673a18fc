"""Expense and mileage claims: made, approved (one by one or in bulk) or returned."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.budgets.services import reservations_release
from maille.core.models import User
from maille.core.money import ZERO
from maille.expenses import rules as rule
from maille.expenses.exceptions import ClaimConflict, ExpensesError
from maille.expenses.models import (
    Category,
    ClaimKind,
    ClaimStatus,
    ExpenseClaim,
)
from maille.expenses.receipts import stored_receipt
from maille.expenses.services.checks import (
    MAX_KM_PER_CLAIM,
    _budget_guard,
    _check_activity,
    _coop,
    _cost_lines,
    _date_problem,
    _file_checked,
    _key,
    _raise,
    _receipt_row,
    _reserve_if_it_fits,
    figures_check,
    rules_on,
)
from maille.ledger import accounts
from maille.ledger.services import LineSpec, entry_post
from maille.members.models import Activity, Member

ALREADY_APPROVED = (ClaimStatus.APPROVED, ClaimStatus.IN_BANK_FILE, ClaimStatus.PAID)


# --- Claims ---------------------------------------------------------------------


def _claimant(user: User, activity: Activity | None, errors: dict[str, list[str]]) -> Member:
    """The member who claims (only members claim); what is wrong with the activity goes
    in ``errors``."""
    member = Member.objects.filter(user=user).first()
    if member is None:
        raise PermissionError("only members claim expenses")
    activity_problems = _check_activity(user, activity)
    if activity_problems:
        errors["activity"] = activity_problems
    return member


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
    member = _claimant(acting_user, activity, errors)
    checked = _file_checked(
        receipt,
        receipt_name,
        field_name="receipt",
        missing=str(_("Add the receipt (a photo or a PDF).")),
        errors=errors,
    )
    _raise(errors)
    if activity is None or checked is None:  # _raise has refused both
        raise ExpensesError([_("The claim is incomplete.")])
    with stored_receipt(checked, on=figures.date) as name, transaction.atomic():
        claim = ExpenseClaim.objects.create(
            member=member,
            activity=activity,
            kind=ClaimKind.RECEIPT,
            receipt=_receipt_row(checked, name, on=figures.date, user=acting_user),
            created_by=acting_user,
            **figures.columns(),
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
    member = _claimant(acting_user, activity, errors)
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
