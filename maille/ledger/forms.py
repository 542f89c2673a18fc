from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maille.core.forms import DateInput


class DateRangeForm(forms.Form):
    """The dates of a statement or general ledger (GET parameters)."""

    date_from = forms.DateField(label=_("from"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("to"), required=False, widget=DateInput)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class StatementForm(DateRangeForm):
    account = forms.CharField(label=_("account"), required=False, max_length=10)


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("as of"), required=False, widget=DateInput)


class PeriodCloseForm(forms.Form):
    month = forms.DateField(
        label=_("month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    reason = forms.CharField(label=_("reason"), required=False, max_length=300)


class PeriodReopenForm(forms.Form):
    month = forms.DateField(
        label=_("month"), input_formats=["%Y-%m", "%Y-%m-%d"], widget=forms.HiddenInput
    )
    reason = forms.CharField(label=_("reason"), max_length=300)
