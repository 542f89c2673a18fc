"""Forms of the expense pages: what a person types; the services check the rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from maille.core.models import Province
from maille.expenses.models import Category
from maille.members.models import Activity

RECEIPT_CATEGORIES = [(v, label) for v, label in Category.choices if v != Category.MILEAGE]


class DateInput(forms.DateInput):
    input_type = "date"


class _ActivityForm(forms.Form):
    activity = forms.ModelChoiceField(queryset=Activity.objects.none(), label=_("activity"))

    def __init__(self, *args: Any, activities: QuerySet[Activity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["activity"])  # type: ignore[type-arg]
        field.queryset = activities
        if activities.count() == 1:
            field.initial = activities.first()


class ExpenseForm(_ActivityForm):
    receipt = forms.FileField(
        label=_("receipt (photo or PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )
    date = forms.DateField(label=_("date"), widget=DateInput)
    supplier = forms.CharField(label=_("supplier"), max_length=200)
    supplier_province = forms.ChoiceField(
        label=_("supplier's province"), choices=Province.choices, initial="QC"
    )
    category = forms.ChoiceField(label=_("category"), choices=RECEIPT_CATEGORIES)
    amount = forms.CharField(
        label=_("amount, taxes included"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    gst_hst = forms.CharField(
        label=_("GST/HST on the receipt"),
        max_length=20,
        required=False,
        help_text=_("Left empty: proposed from the amount and the province."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    qst = forms.CharField(
        label=_("QST on the receipt"),
        max_length=20,
        required=False,
        help_text=_("Left empty: proposed from the amount and the province."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    supplier_gst_number = forms.CharField(
        label=_("supplier's GST/HST number"), max_length=30, required=False
    )
    supplier_qst_number = forms.CharField(
        label=_("supplier's QST number"), max_length=30, required=False
    )
    description = forms.CharField(label=_("description"), max_length=500, required=False)


class MileageForm(_ActivityForm):
    date = forms.DateField(label=_("date"), widget=DateInput)
    km = forms.CharField(
        label=_("kilometres"), max_length=10, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    origin = forms.CharField(label=_("from"), max_length=200)
    destination = forms.CharField(label=_("to"), max_length=200)
    purpose = forms.CharField(label=_("purpose"), max_length=300)


class PurchaseForm(ExpenseForm):
    invoice_number = forms.CharField(label=_("supplier's invoice number"), max_length=50)
    due_date = forms.DateField(label=_("due date"), widget=DateInput, required=False)
    supplier_bank_account = forms.CharField(
        label=_("supplier's bank account"),
        max_length=30,
        required=False,
        help_text=_(
            "institution-transit-account (815-30001-1234567): the co-op then pays it with "
            "the next bank file. Left empty: staff pay it and record the payment."
        ),
    )
    field_order = ["activity", "receipt", "invoice_number", "date", "due_date", "supplier"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receipt"].label = _("supplier's invoice (PDF or photo)")


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500)


class ApproveForm(forms.Form):
    budget_exception = forms.CharField(
        label=_("budget exception (reason)"),
        max_length=300,
        required=False,
        help_text=_("Only when the activity's budget does not hold the cost."),
    )


class PayForm(forms.Form):
    paid_on = forms.DateField(label=_("paid on"), widget=DateInput)
    reference = forms.CharField(label=_("payment reference"), max_length=100, required=False)


class ExportForm(forms.Form):
    start = forms.DateField(label=_("from"), widget=DateInput)
    end = forms.DateField(label=_("to"), widget=DateInput)
