"""Forms of the salary simulator: what a person types, bounded, in either language."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from maille.members.models import Activity
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


# --- Employment records, salary requests, pay runs, remittances --------------------


class _ClaimsMixin(forms.Form):
    federal_claim = forms.DecimalField(
        label=_("TD1 total claim amount (federal)"),
        required=False,
        min_value=0,
        max_value=1_000_000,
        decimal_places=2,
        help_text=_("Empty: no form given, the basic personal amount applies."),
    )
    quebec_claim = forms.DecimalField(
        label=_("TP-1015.3 line 10 (Québec)"),
        required=False,
        min_value=0,
        max_value=1_000_000,
        decimal_places=2,
        help_text=_("Empty: no form given, the basic personal amount applies."),
    )
    quebec_deductions = forms.DecimalField(
        label=_("TP-1015.3 line 19 deductions (annual)"),
        min_value=0,
        max_value=1_000_000,
        decimal_places=2,
        initial=0,
    )
    additional_federal_tax = forms.DecimalField(
        label=_("additional federal tax per pay"),
        min_value=0,
        max_value=100_000,
        decimal_places=2,
        initial=0,
    )
    additional_quebec_tax = forms.DecimalField(
        label=_("additional Québec tax per pay"),
        min_value=0,
        max_value=100_000,
        decimal_places=2,
        initial=0,
    )
    bank_account = forms.CharField(
        label=_("bank account for direct deposit"),
        required=False,
        max_length=30,
        help_text=_("institution-transit-account, e.g. 815-30001-1234567. Empty: keep it."),
    )

    def clean_bank_account(self) -> str:
        from maille.core.validators import clean_bank_account

        value: str = self.cleaned_data["bank_account"]
        return clean_bank_account(value) if value.strip() else ""


class EmploymentMemberForm(_ClaimsMixin):
    """What a member changes on their own record: their tax forms and bank account."""


class EmploymentStaffForm(_ClaimsMixin):
    employment_start = forms.DateField(
        label=_("employment start date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For seniority: 6 % vacation pay from three years of service."),
    )
    job_title = forms.CharField(label=_("job title"), max_length=120, required=False)
    cnesst_unit_code = forms.CharField(
        label=_("CNESST classification unit"), max_length=10, required=False
    )
    union_dues = forms.DecimalField(
        label=_("union dues per pay"), min_value=0, max_value=100_000, decimal_places=2, initial=0
    )
    fonds_ftq = forms.DecimalField(
        label=_("Fonds de solidarité FTQ shares per pay"),
        min_value=0,
        max_value=100_000,
        decimal_places=2,
        initial=0,
    )
    fondaction = forms.DecimalField(
        label=_("Fondaction shares per pay"),
        min_value=0,
        max_value=100_000,
        decimal_places=2,
        initial=0,
    )
    pension_contribution = forms.DecimalField(
        label=_("RRSP/RPP contribution per pay"),
        min_value=0,
        max_value=100_000,
        decimal_places=2,
        initial=0,
    )


BASIS_FORM_CHOICES = [
    ("all", _("everything available")),
    ("net", _("a net pay")),
    ("gross", _("a gross pay")),
    ("cost", _("a total cost to the activity")),
]


class SalaryRequestForm(forms.Form):
    activity: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("activity"), queryset=Activity.objects.none()
    )
    basis = forms.ChoiceField(label=_("I ask for"), choices=BASIS_FORM_CHOICES)
    amount = AmountField(
        label=_("amount"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal("250000"),
        help_text=_("Not needed for everything available."),
    )
    hours = forms.DecimalField(
        label=_("hours worked in the period"),
        min_value=Decimal("0.25"),
        max_value=336,
        decimal_places=2,
    )
    spread = forms.IntegerField(
        label=_("spread over how many pay dates"), min_value=1, max_value=26, initial=1
    )
    off_cycle_date = forms.DateField(
        label=_("off-cycle pay date (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("A bank business day between regular pay dates (guarantee delay)."),
    )

    def __init__(self, *args: Any, activities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("basis") != "all" and not data.get("amount"):
            self.add_error("amount", _("Give the amount."))
        return data


class StaffRequestForm(SalaryRequestForm):
    exception_reason = forms.CharField(
        label=_("exception: reason to accept beyond the budget"),
        max_length=300,
        required=False,
        help_text=_("A co-op decision, recorded with the request."),
    )


class RunPrepareForm(forms.Form):
    pay_date = forms.DateField(label=_("pay date"), widget=forms.DateInput(attrs={"type": "date"}))
    off_cycle = forms.BooleanField(label=_("off-cycle run"), required=False)


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("reason for the reversal"), max_length=200)


class ReturnForm(forms.Form):
    reason_code = forms.ChoiceField(
        label=_("return reason"),
        choices=[
            ("901", _("901 — insufficient funds")),
            ("902", _("902 — account not found")),
            ("905", _("905 — account closed")),
            ("912", _("912 — invalid account number")),
            ("914", _("914 — incorrect payee name")),
            ("922", _("922 — returned by the customer")),
        ],
    )


class RemittanceForm(forms.Form):
    agency = forms.ChoiceField(choices=[("rq", "rq"), ("cra", "cra")], widget=forms.HiddenInput)
    period_start = forms.DateField(widget=forms.HiddenInput)
    paid_on = forms.DateField(label=_("paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("reference"), max_length=60, required=False)
