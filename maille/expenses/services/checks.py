"""What every expense write checks first: the figures a person gives, the activity, the
receipt, the budget; and the lines and keys claims and purchases post with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from maille.budgets.selectors import activity_budget
from maille.budgets.services import activity_lock, reservation_take
from maille.core.dates import near_today_problem
from maille.core.models import User
from maille.core.money import ZERO, format_money
from maille.core.validators import clean_gst_number, clean_qst_number
from maille.expenses import rules as rule
from maille.expenses.exceptions import ExpensesError, InsufficientBudget
from maille.expenses.models import (
    Category,
    ExpenseClaim,
    ExpenseRules,
    Purchase,
    Receipt,
)
from maille.expenses.receipts import CheckedFile, keep_until, receipt_check
from maille.ledger import accounts
from maille.ledger.services import LineSpec
from maille.members.models import COOP_ACTIVITY_CODE, Activity, ActivityKind
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

    def columns(self) -> dict[str, object]:
        """The figures as a claim's or a purchase's columns, to create it with."""
        return {
            "date": self.date,
            "supplier": self.supplier,
            "supplier_province": self.supplier_province,
            "category": self.category,
            "description": self.description,
            "amount": self.amount,
            "gst_hst": self.gst_hst,
            "qst": self.qst,
            "supplier_gst_number": self.supplier_gst_number,
            "supplier_qst_number": self.supplier_qst_number,
            "itc": self.itc,
            "itr": self.itr,
            "credit_note": self.credit_note,
        }


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


def _file_checked(
    file: IO[bytes] | None,
    name: str,
    *,
    field_name: str,
    missing: str,
    errors: dict[str, list[str]],
) -> CheckedFile | None:
    """The receipt or supplier invoice checked, or None with its error under field_name."""
    if file is None:
        errors[field_name] = [missing]
        return None
    try:
        return receipt_check(file, name=name)
    except ValidationError as exc:
        errors[field_name] = [str(m) for m in exc.messages]
        return None


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
