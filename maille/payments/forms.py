"""Forms for payments and the bank (the services do the checking that needs the database)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maille.ledger.models import Account, AccountType
from maille.payments.models import (
    BankAccount,
    OtherKind,
    PaymentMethod,
    RefundMethod,
    StatementFormat,
)


class PaymentForm(forms.Form):
    bank_account = forms.ModelChoiceField(
        label=_("account"), queryset=BankAccount.objects.filter(is_active=True), empty_label=None
    )
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=_("amount"), max_digits=14, decimal_places=2, min_value=0)
    method = forms.ChoiceField(label=_("method"), choices=PaymentMethod.choices)
    payer_name = forms.CharField(label=_("payer"), max_length=200, required=False)
    bank_reference = forms.CharField(label=_("bank reference"), max_length=100, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["date"].initial = timezone.localdate()


class BankAccountForm(forms.Form):
    """One of the co-op's bank accounts (``bank_accounts.bank_account_save`` checks it)."""

    name = forms.CharField(label=_("name"), max_length=100)
    institution = forms.CharField(label=_("institution"), max_length=3, help_text="815")
    transit = forms.CharField(label=_("transit"), max_length=5, help_text="30001")
    number = forms.CharField(label=_("account number"), max_length=12)
    currency = forms.ChoiceField(label=_("currency"), choices=[("CAD", "CAD"), ("USD", "USD")])
    ledger_account = forms.ModelChoiceField(
        label=_("ledger account"),
        queryset=Account.objects.filter(type=AccountType.ASSET, is_open=True).order_by("code"),
    )
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)


class ReverseForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("reason"), max_length=300)


class RefundForm(forms.Form):
    amount = forms.DecimalField(label=_("amount"), max_digits=14, decimal_places=2)
    method = forms.ChoiceField(label=_("method"), choices=RefundMethod.choices)
    reference = forms.CharField(label=_("reference"), max_length=100, required=False)
    payee_account = forms.CharField(
        label=_("client's bank account (a transfer)"),
        max_length=30,
        required=False,
        help_text=_("institution-transit-account, e.g. 815-30001-1234567"),
    )
    payee_name = forms.CharField(label=_("payee (a transfer)"), max_length=100, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("statement file"))
    format = forms.ChoiceField(
        label=_("format"),
        choices=[("auto", _("Detect")), *StatementFormat.choices],
        initial="auto",
    )


class OtherForm(forms.Form):
    kind = forms.ChoiceField(label=_("what it is"), choices=OtherKind.choices)
    transfer_account = forms.ModelChoiceField(
        label=_("other account (a transfer)"),
        queryset=BankAccount.objects.all(),
        required=False,
    )


class ReconcileForm(forms.Form):
    to = forms.DateField(label=_("to"), widget=forms.DateInput(attrs={"type": "date"}))
    closing_balance = forms.DecimalField(
        label=_("bank closing balance"), max_digits=14, decimal_places=2, required=False
    )


class MappingForm(forms.Form):
    """Which column holds what, in this bank's generic CSV (columns counted from 1)."""

    date = forms.IntegerField(label=_("date column"), min_value=1)
    amount = forms.IntegerField(label=_("amount column (signed)"), min_value=1, required=False)
    debit = forms.IntegerField(label=_("withdrawal column"), min_value=1, required=False)
    credit = forms.IntegerField(label=_("deposit column"), min_value=1, required=False)
    description = forms.IntegerField(label=_("description column"), min_value=1)
    reference = forms.IntegerField(label=_("reference column"), min_value=1, required=False)
    date_format = forms.CharField(label=_("date format"), initial="%Y-%m-%d", max_length=20)
    header = forms.BooleanField(label=_("the first line is a header"), required=False)
    delimiter = forms.CharField(label=_("delimiter"), initial=",", max_length=1)
    decimal_comma = forms.BooleanField(label=_("decimal comma"), required=False)
