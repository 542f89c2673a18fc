from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maille.clients.models import Client
from maille.contracts.models import QuoteMilestone
from maille.core.forms import DateInput, DecimalInputField
from maille.core.models import Language
from maille.documents.drafting import LATE_INTEREST_RATE_MAX, PAYMENT_TERM_DAYS_MAX
from maille.invoicing.models import ABROAD_DECISION_CHOICES, InvoiceKind, InvoiceStatus, QuoteMode
from maille.invoicing.selectors import internal_buyers
from maille.members.models import Activity


class InvoiceForm(forms.Form):
    client = forms.ModelChoiceField(
        label=_("client"), queryset=Client.objects.all(), required=False
    )
    buyer_activity = forms.ModelChoiceField(
        label=_("or another activity of the co-op (internal invoice)"),
        queryset=Activity.objects.none(),  # set per form: what the API would accept
        required=False,
    )
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    client_reference = forms.CharField(
        label=_("client's reference (PO)"), max_length=100, required=False
    )
    payment_term_days = forms.IntegerField(
        label=_("payment term (days)"), min_value=0, max_value=PAYMENT_TERM_DAYS_MAX, initial=30
    )
    late_interest_rate = DecimalInputField(
        label=_("late interest (% a year)"),
        min_value=0,
        max_value=LATE_INTEREST_RATE_MAX,
        decimal_places=2,
        initial="12.00",
    )
    language = forms.ChoiceField(label=_("language"), choices=Language.choices, required=False)
    notes = forms.CharField(
        label=_("notes printed on the invoice"),
        widget=forms.Textarea,
        required=False,
        max_length=5000,
    )

    def __init__(self, *args: Any, seller: Activity | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        buyers = internal_buyers()
        if seller is not None:
            buyers = buyers.exclude(pk=seller.pk)
        self.fields["buyer_activity"].queryset = buyers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("client")) == bool(data.get("buyer_activity")):
            raise forms.ValidationError(_("Choose a client or another activity, not both."))
        return data


class FromQuoteForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("what to invoice"),
        choices=[
            (QuoteMode.WHOLE, QuoteMode.WHOLE.label),
            (QuoteMode.DEPOSIT, QuoteMode.DEPOSIT.label),
            (QuoteMode.MILESTONE, QuoteMode.MILESTONE.label),
            (QuoteMode.BALANCE, QuoteMode.BALANCE.label),
        ],
    )
    percent = DecimalInputField(
        label=_("deposit (%)"), min_value=0, max_value=100, decimal_places=2, required=False
    )
    milestone = forms.ModelChoiceField(
        label=_("milestone"), queryset=QuoteMilestone.objects.none(), required=False
    )

    def __init__(self, *args: Any, quote: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if quote is not None:
            self.fields["milestone"].queryset = quote.milestones.all()  # type: ignore[attr-defined]


class CreditNoteForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300)


class AbroadForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("tax for a client abroad"), choices=ABROAD_DECISION_CHOICES[1:]
    )


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", _("All statuses")), *InvoiceStatus.choices]
    )
    kind = forms.ChoiceField(
        label=_("kind"), required=False, choices=[("", _("All kinds")), *InvoiceKind.choices]
    )
    client = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )
    activity = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )
    date_from = forms.DateField(label=_("from"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("to"), required=False, widget=DateInput)
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
    q = forms.CharField(label=_("search"), required=False, max_length=100)
