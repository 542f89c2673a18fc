from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from maille.core.forms import DateInput, DecimalInputField, Form
from maille.core.ratelimit import client_rate_limited
from maille.governance.joining import APPLICATION_FIELDS
from maille.governance.models import Application, PaymentMethod, RistourneBasis, RistourneForm


class ApplicationForm(forms.ModelForm):  # type: ignore[type-arg]
    consent = forms.BooleanField(
        label=_(
            "I consent to the co-op processing my personal information to study my "
            "application and, if I am admitted, to keep the register of members."
        ),
        required=False,
    )

    class Meta:
        model = Application
        fields = list(APPLICATION_FIELDS)


def application_rate_limited(request: HttpRequest) -> bool:
    """One count per client address for the public application, page and API
    alike: ``MAILLE_GOVERNANCE_APPLICATION_POSTS_PER_HOUR`` attempts an hour
    (``core.ratelimit``, as coworking's guest page)."""
    return client_rate_limited(
        request,
        scope="governance-application",
        limit=settings.MAILLE_GOVERNANCE_APPLICATION_POSTS_PER_HOUR,
        window=3600,
    )


class ReviewForm(Form):
    notes = forms.CharField(label=_("adviser's notes"), widget=forms.Textarea, max_length=10_000)


class DecisionForm(Form):
    admit = forms.TypedChoiceField(
        label=_("decision"),
        choices=[("1", _("Admit")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
    )
    date = forms.DateField(label=_("date of the board's decision"), widget=DateInput())
    text = forms.CharField(
        label=_("decision and reasons"), widget=forms.Textarea, max_length=10_000
    )
    directors_present: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(  # type: ignore[type-arg]
        label=_("directors present"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, directors: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["directors_present"].queryset = directors  # type: ignore[attr-defined]


class SubscribeForm(Form):
    shares = forms.IntegerField(label=_("shares"), min_value=1, max_value=100_000)
    method = forms.ChoiceField(
        label=_("how you pay the instalments"),
        choices=[
            (PaymentMethod.TRANSFER, PaymentMethod.TRANSFER.label),
            (PaymentMethod.PAYROLL, PaymentMethod.PAYROLL.label),
        ],
    )


class ReceiptForm(Form):
    code = forms.CharField(label=_("receipt code"), max_length=20)


class RistourneForm_(Form):
    fiscal_year = forms.IntegerField(
        label=_("fiscal year"),
        min_value=2000,
        max_value=2100,
        help_text=_("The year in which it ends, in the by-laws' month (year end)."),
    )
    surplus = DecimalInputField(label=_("surplus of the year"))
    reserve = DecimalInputField(label=_("to the reserve"))
    ristournes = DecimalInputField(label=_("to ristournes"))
    basis = forms.ChoiceField(label=_("basis"), choices=RistourneBasis.choices)
    form = forms.ChoiceField(label=_("paid"), choices=RistourneForm.choices)
