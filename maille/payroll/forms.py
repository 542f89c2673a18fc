"""Forms of the salary simulator: what a person types, bounded, in either language."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from maille.payroll.simulator import (
    MAX_INVOICED,
    MAX_NET,
    MAX_PAYS,
    MIN_AMOUNT,
    Basis,
    Simulation,
    parse_amount,
    simulate_invoiced,
    simulate_net,
)

DEFAULT_PERIODS = 26
#: How often the member is paid, in words ("… net every two weeks").
PERIOD_CHOICES = [
    (52, _("every week")),
    (26, _("every two weeks")),
    (24, _("twice a month")),
    (12, _("every month")),
]
BASIS_CHOICES = [(Basis.MONTH.value, _("per month")), (Basis.CONTRACT.value, _("for a contract"))]
VACATION_CHOICES = [
    ("4", _("4 % (less than 3 years of service)")),
    ("6", _("6 % (3 years of service or more)")),
]


class AmountField(forms.DecimalField):
    """An amount in dollars as a person types it: ``2500``, ``2 500,00``, ``2,500.00``."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("max_digits", 12)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off"}

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        try:
            return parse_amount(str(value))
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


def _percent(value: str) -> Decimal:
    return Decimal(value) / 100


class _SimulationForm(forms.Form):
    periods = forms.TypedChoiceField(
        label=_("I am paid"),
        choices=PERIOD_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        initial=DEFAULT_PERIODS,
    )
    vacation = forms.TypedChoiceField(
        label=_("Vacation pay"),
        choices=VACATION_CHOICES,
        coerce=_percent,
        required=False,
        empty_value=None,
        initial="4",
    )

    def simulate(self) -> Simulation:
        raise NotImplementedError


class InvoicedForm(_SimulationForm):
    """From an invoice (X $ before tax, per month or for a contract) to the pay it funds."""

    invoiced = AmountField(
        label=_("I invoice, before tax ($)"), min_value=MIN_AMOUNT, max_value=MAX_INVOICED
    )
    basis = forms.TypedChoiceField(
        label=_("Invoiced"),
        choices=BASIS_CHOICES,
        coerce=Basis,
        required=False,
        empty_value=Basis.MONTH,
        initial=Basis.MONTH.value,
    )
    pays = forms.IntegerField(
        label=_("A contract is paid over (number of pays)"),
        min_value=1,
        max_value=MAX_PAYS,
        required=False,
        initial=1,
    )

    def simulate(self) -> Simulation:
        data = self.cleaned_data
        return simulate_invoiced(
            invoiced=data["invoiced"],
            basis=data["basis"],
            pays=data["pays"] or 1,
            periods_per_year=data["periods"] or DEFAULT_PERIODS,
            vacation_rate=data["vacation"],
        )


class NetForm(_SimulationForm):
    """From a wished net pay (Y $ every pay) to what to invoice."""

    net = AmountField(label=_("I want, net ($)"), min_value=MIN_AMOUNT, max_value=MAX_NET)

    def simulate(self) -> Simulation:
        data = self.cleaned_data
        return simulate_net(
            net=data["net"],
            periods_per_year=data["periods"] or DEFAULT_PERIODS,
            vacation_rate=data["vacation"],
        )
