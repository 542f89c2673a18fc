from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from maille.clients.models import Client
from maille.contracts.lines import LINE_KEYS, LineIn, line_of
from maille.contracts.models import TAX_TREATMENT_CHOICES, IpOption, Unit
from maille.core.forms import DateInput, DecimalInputField
from maille.core.models import Language
from maille.documents.drafting import LATE_INTEREST_RATE_MAX, PAYMENT_TERM_DAYS_MAX
from maille.members.models import Activity
from maille.taxes.sales import Treatment


class LineForm(forms.Form):
    description = forms.CharField(label=_("description"), max_length=300, required=False)
    quantity = DecimalInputField(
        label=_("quantity"), max_digits=12, decimal_places=3, required=False
    )
    unit = forms.ChoiceField(label=_("unit"), choices=Unit.choices, initial=Unit.HOUR)
    unit_price = DecimalInputField(
        label=_("unit price"), max_digits=14, decimal_places=2, required=False
    )
    tax_treatment = forms.ChoiceField(
        label=_("tax"), choices=TAX_TREATMENT_CHOICES, initial=Treatment.STANDARD.value
    )
    treatment_reason = forms.CharField(label=_("reason for no tax"), max_length=200, required=False)


LineFormSet = forms.formset_factory(LineForm, extra=1, max_num=200, can_delete=True)


def lines_from(formset: Any) -> list[LineIn]:
    """The filled rows of a line formset, as services expect them (empty and
    removed rows skipped)."""
    return [
        cast(LineIn, {key: data[key] for key in LINE_KEYS})
        for data in (form.cleaned_data for form in formset.forms)
        if data and data.get("description") and not data.get("DELETE")
    ]


def initial_lines(lines: Any) -> list[LineIn]:
    return [line_of(line) for line in lines]


class QuoteForm(forms.Form):
    activity = forms.ModelChoiceField(label=_("activity"), queryset=Activity.objects.none())
    client = forms.ModelChoiceField(label=_("client"), queryset=Client.objects.all())
    title = forms.CharField(label=_("title"), max_length=200)
    quote_date = forms.DateField(label=_("quote date"), widget=DateInput)
    valid_until = forms.DateField(label=_("valid until"), widget=DateInput)
    start_date = forms.DateField(label=_("start of work"), widget=DateInput, required=False)
    end_date = forms.DateField(label=_("end of work"), widget=DateInput, required=False)
    deliverables = forms.CharField(
        label=_("deliverables"), widget=forms.Textarea, required=False, max_length=5000
    )
    payment_term_days = forms.IntegerField(
        label=_("payment term (days)"), min_value=0, max_value=PAYMENT_TERM_DAYS_MAX
    )
    late_interest_rate = DecimalInputField(
        label=_("late interest (% a year)"),
        min_value=0,
        max_value=LATE_INTEREST_RATE_MAX,
        decimal_places=2,
    )
    ip_option = forms.ChoiceField(label=_("intellectual property"), choices=IpOption.choices)
    extra_clauses = forms.CharField(
        label=_("additional clauses"), widget=forms.Textarea, required=False, max_length=5000
    )
    language = forms.ChoiceField(label=_("language"), choices=Language.choices)

    def __init__(self, *args: Any, activities: Any = None, **kwargs: Any) -> None:
        """``activities``: the activities a new quote may belong to (None once it exists)."""
        super().__init__(*args, **kwargs)
        if activities is None:
            del self.fields["activity"]
        else:
            self.fields["activity"].queryset = activities  # type: ignore[attr-defined]
        self.fields["payment_term_days"].initial = settings.MAILLE_DEFAULT_PAYMENT_TERM_DAYS
        self.fields["late_interest_rate"].initial = settings.MAILLE_DEFAULT_LATE_INTEREST_RATE


class DecisionForm(forms.Form):
    signer_name = forms.CharField(label=_("Your name"), max_length=200)
    signer_role = forms.CharField(label=_("Your role or title"), max_length=200)
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    document_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    decision = forms.ChoiceField(
        choices=[("accepted", "accepted"), ("refused", "refused")],
        widget=forms.HiddenInput,
        required=False,
    )


class CancelForm(forms.Form):
    cancelled_on = forms.DateField(label=_("cancelled on"), widget=DateInput)
    reason = forms.CharField(label=_("reason"), max_length=300)
