"""Checking the lines of a quote or an invoice, reporting every problem at once."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, NotRequired, TypedDict, cast

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from maille.contracts.models import Unit
from maille.core.money import round_half_up, to_money
from maille.taxes.sales import Treatment

MAX_LINES = 200
MAX_QUANTITY = Decimal("1000000")
MAX_UNIT_PRICE = Decimal("10000000")
MAX_LINE_AMOUNT = Decimal("100000000")


class LineIn(TypedDict):
    """One line of a quote or an invoice as it reaches a service (from a page's
    form, the API's schema, a quote's shares): amounts are ``Decimal`` all the way;
    a form leaves what it could not read as ``None`` (``clean_lines`` names it)."""

    description: str
    quantity: Decimal | None
    unit_price: Decimal | None
    unit: NotRequired[str]
    tax_treatment: NotRequired[str]
    treatment_reason: NotRequired[str]


LINE_KEYS = ("description", "quantity", "unit", "unit_price", "tax_treatment", "treatment_reason")


def line_of(line: Any) -> LineIn:
    """The line of a saved document (a quote's, an invoice's) or of the API's
    schema, as a record the services take."""
    return cast(LineIn, {key: getattr(line, key) for key in LINE_KEYS})


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, float):
        value = str(value)  # forms and JSON never give floats; be safe anyway
    try:
        number = to_money(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def clean_lines(lines: Sequence[LineIn], *, allow_empty: bool = False) -> list[dict[str, Any]]:
    """Normalised lines, or one ValidationError naming each bad field (``lines.2.quantity``)."""
    errors: dict[str, list[ValidationError]] = {}

    def problem(field: str, message: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message))

    if not lines and not allow_empty:
        problem("lines", _("Add at least one line."))
    if len(lines) > MAX_LINES:
        problem("lines", _("At most %(n)s lines.") % {"n": MAX_LINES})
    cleaned = []
    for i, raw in enumerate(lines):
        where = f"lines.{i}"
        description = str(raw.get("description") or "").strip()
        if not description:
            problem(f"{where}.description", _("Describe the work on this line."))
        elif len(description) > 300:
            problem(f"{where}.description", _("At most %(n)s characters.") % {"n": 300})
        quantity = _decimal(raw.get("quantity"))
        if quantity is None:
            problem(f"{where}.quantity", _("The quantity must be a number."))
        elif quantity <= 0:
            problem(f"{where}.quantity", _("The quantity must be more than zero."))
        elif quantity > MAX_QUANTITY or quantity != quantity.quantize(Decimal("0.001")):
            problem(
                f"{where}.quantity",
                _("The quantity must be at most 1,000,000 with at most 3 decimals."),
            )
        price = _decimal(raw.get("unit_price"))
        if price is None:
            problem(f"{where}.unit_price", _("The unit price must be an amount."))
        elif price < 0:
            problem(f"{where}.unit_price", _("The unit price cannot be negative."))
        elif price > MAX_UNIT_PRICE or price != price.quantize(Decimal("0.01")):
            problem(
                f"{where}.unit_price",
                _("The unit price must be at most 10,000,000.00 with at most 2 decimals."),
            )
        elif quantity is not None and quantity > 0 and quantity * price > MAX_LINE_AMOUNT:
            problem(f"{where}.unit_price", _("This line's amount is not plausible."))
        unit = raw.get("unit") or Unit.HOUR
        if unit not in Unit.values:
            problem(f"{where}.unit", _("Unknown unit."))
        treatment = raw.get("tax_treatment") or Treatment.STANDARD
        reason = str(raw.get("treatment_reason") or "").strip()
        if treatment not in Treatment:
            problem(f"{where}.tax_treatment", _("Unknown tax treatment."))
        elif treatment != Treatment.STANDARD and not reason:
            problem(
                f"{where}.treatment_reason",
                _("Say why this line is zero-rated or exempt (the law that applies)."),
            )
        if len(reason) > 200:
            problem(f"{where}.treatment_reason", _("At most %(n)s characters.") % {"n": 200})
        cleaned.append(
            {
                "description": description,
                "quantity": quantity,
                "unit": unit,
                "unit_price": price,
                "tax_treatment": treatment,
                "treatment_reason": reason if treatment != Treatment.STANDARD else "",
            }
        )
    if errors:
        raise ValidationError(errors)
    for line in cleaned:
        quantity, price = cast(Decimal, line["quantity"]), cast(Decimal, line["unit_price"])
        line["amount"] = round_half_up(quantity * price)
    return cleaned
