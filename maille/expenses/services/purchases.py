"""Supplier invoices (purchases): made, approved by both sides, refused, paid."""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.budgets.services import reservations_release
from maille.core.dates import near_today_problem
from maille.core.models import User
from maille.core.validators import clean_bank_account
from maille.expenses.exceptions import ClaimConflict, ExpensesError
from maille.expenses.models import (
    Purchase,
    PurchaseStatus,
)
from maille.expenses.receipts import stored_receipt
from maille.expenses.services.checks import (
    _budget_guard,
    _coop,
    _cost_lines,
    _file_checked,
    _key,
    _owns,
    _raise,
    _receipt_row,
    _reserve_if_it_fits,
    figures_check,
)
from maille.ledger import accounts
from maille.ledger.services import LineSpec, entry_post
from maille.members.models import Activity, ActivityKind

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
    checked = _file_checked(
        document,
        document_name,
        field_name="document",
        missing=str(_("Add the supplier's invoice (a PDF or a photo).")),
        errors=errors,
    )
    _raise(errors)
    if activity is None or checked is None:  # _raise has refused both
        raise ExpensesError([_("The claim is incomplete.")])
    now = timezone.now()
    with stored_receipt(checked, on=figures.date) as name, transaction.atomic():
        purchase = Purchase.objects.create(
            activity=activity,
            invoice_number=invoice_number.strip()[:50],
            due_date=due_date,
            receipt=_receipt_row(checked, name, on=figures.date, user=acting_user),
            supplier_bank_account=bank_account,
            member_approved_by=acting_user if owner else None,
            member_approved_at=now if owner else None,
            created_by=acting_user,
            **figures.columns(),
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
