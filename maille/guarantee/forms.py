"""Forms of the guarantee pages (staff decisions, the board's simulation)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from maille.clients.models import Client


class ContractForm(forms.Form):
    signed_on = forms.DateField(
        label=_("signed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(label=_("reference of the signed contract"), max_length=200)


class ExclusionForm(forms.Form):
    on = forms.DateField(label=_("from"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)


class StressForm(forms.Form):
    clients = forms.ModelMultipleChoiceField(
        label=_("these clients never pay"),
        queryset=Client.objects.order_by("legal_name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    largest = forms.IntegerField(
        label=_("or the N largest exposures never pay"), min_value=0, max_value=100, required=False
    )
    rate_multiplier = forms.DecimalField(
        label=_("default rate multiplied by"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=6,
        decimal_places=2,
        required=False,
        initial=Decimal(2),
    )
