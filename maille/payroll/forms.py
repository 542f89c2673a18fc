"""Forms of the salary simulator: what a person types, bounded, in either language."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from maille.members.models import Activity
from maille.payroll.cpa005 import RETURN_REASONS
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


def _amount(label: Any, *, maximum: int = 100_000, **kwargs: Any) -> forms.DecimalField:
    """A non-negative amount in dollars (per pay unless the label says otherwise)."""
    kwargs.setdefault("initial", 0)
    return forms.DecimalField(
        label=label, min_value=0, max_value=maximum, decimal_places=2, **kwargs
    )


def _claim(label: Any) -> forms.DecimalField:
    """A tax form's claim amount; empty when the member gave no form."""
    return _amount(
        label,
        maximum=1_000_000,
        required=False,
        initial=None,
        help_text=_("Empty: no form given, the basic personal amount applies."),
    )


def _date(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


class EmploymentMemberForm(forms.Form):
    """What a member changes on their own record: their tax forms and bank account."""

    federal_claim = _claim(_("TD1 total claim amount (federal)"))
    quebec_claim = _claim(_("TP-1015.3 line 10 (Québec)"))
    quebec_deductions = _amount(_("TP-1015.3 line 19 deductions (annual)"), maximum=1_000_000)
    additional_federal_tax = _amount(_("additional federal tax per pay"))
    additional_quebec_tax = _amount(_("additional Québec tax per pay"))
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


class EmploymentStaffForm(EmploymentMemberForm):
    """Staff edit the whole record: the member's fields and the employer's."""

    employment_start = _date(
        _("employment start date"),
        required=False,
        help_text=_("For seniority: 6 % vacation pay from three years of service."),
    )
    job_title = forms.CharField(label=_("job title"), max_length=120, required=False)
    cnesst_unit_code = forms.CharField(
        label=_("CNESST classification unit"), max_length=10, required=False
    )
    union_dues = _amount(_("union dues per pay"))
    fonds_ftq = _amount(_("Fonds de solidarité FTQ shares per pay"))
    fondaction = _amount(_("Fondaction shares per pay"))
    pension_contribution = _amount(_("RRSP/RPP contribution per pay"))


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
    off_cycle_date = _date(
        _("off-cycle pay date (optional)"),
        required=False,
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
    pay_date = _date(_("pay date"))
    off_cycle = forms.BooleanField(label=_("off-cycle run"), required=False)


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("reason for the reversal"), max_length=200)


class ReturnForm(forms.Form):
    reason_code = forms.ChoiceField(
        label=_("return reason"),
        choices=[(code, f"{code} — {label}") for code, label in RETURN_REASONS.items()],
    )


class PaidOtherwiseForm(forms.Form):
    paid_on = forms.DateField(label=_("paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("cheque or payment reference"), max_length=60)


class ReturnFileForm(forms.Form):
    file = forms.FileField(
        label=_("the bank's return file (CPA-005)"),
        help_text=_("Deposits the bank could not make: each net pay becomes payable again."),
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        if file.size > 10 * 2**20:
            raise ValidationError(_("The file is larger than 10 MB."))
        return file


class RemittanceForm(forms.Form):
    agency = forms.ChoiceField(choices=[("rq", "rq"), ("cra", "cra")], widget=forms.HiddenInput)
    period_start = forms.DateField(widget=forms.HiddenInput)
    paid_on = _date(_("paid on"))
    reference = forms.CharField(label=_("reference"), max_length=60, required=False)
