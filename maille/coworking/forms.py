"""Forms of the coworking pages. Times are typed as local wall times (Montréal)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from maille.core.models import Province
from maille.coworking.models import PassPrice, Price, Resource, ResourceKind, Rule
from maille.members.models import Activity, Member


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class SlotForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=DateInput)
    start_time = forms.TimeField(label=_("from"), widget=TimeInput)
    end_time = forms.TimeField(label=_("to"), widget=TimeInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end must be after the start."))
        return data


class BookingForm(SlotForm):
    activity = forms.ModelChoiceField(label=_("activity"), queryset=Activity.objects.none())
    weeks = forms.IntegerField(
        label=_("every week, for (weeks)"), min_value=1, max_value=52, initial=1
    )

    def __init__(self, *args: Any, activities: QuerySet[Activity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities  # type: ignore[attr-defined]


class GuestForm(SlotForm):
    resource = forms.ModelChoiceField(label=_("resource"), queryset=Resource.objects.none())
    name = forms.CharField(label=_("your name"), max_length=200)
    email = forms.EmailField(label=_("email"))
    company = forms.CharField(label=_("company (optional)"), max_length=200, required=False)
    province = forms.ChoiceField(label=_("province"), choices=Province.choices, initial="QC")
    postal_code = forms.CharField(label=_("postal code"), max_length=10, required=False)

    def __init__(self, *args: Any, resources: QuerySet[Resource], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = resources  # type: ignore[attr-defined]


class PriceForm(forms.ModelForm[Price]):
    class Meta:
        model = Price
        fields = [
            "valid_from",
            "member_hour",
            "member_half_day",
            "member_day",
            "guest_hour",
            "guest_half_day",
            "guest_day",
        ]
        widgets = {"valid_from": DateInput}


class RuleForm(forms.ModelForm[Rule]):
    class Meta:
        model = Rule
        fields = [
            "valid_from",
            "min_minutes",
            "max_minutes",
            "max_days_ahead",
            "cancel_notice_hours",
            "late_cancel_percent",
            "buffer_minutes",
        ]
        widgets = {"valid_from": DateInput}


class LoanOutForm(forms.Form):
    resource = forms.ModelChoiceField(
        label=_("item"), queryset=Resource.objects.filter(kind=ResourceKind.EQUIPMENT)
    )
    member = forms.ModelChoiceField(
        label=_("member"), queryset=Member.objects.select_related("user")
    )
    due_date = forms.DateField(label=_("due back on"), widget=DateInput)
    due_time = forms.TimeField(label=_("at"), widget=TimeInput, initial=dt.time(17))
    condition = forms.CharField(label=_("condition when lent"), max_length=300, required=False)


class LoanInForm(forms.Form):
    condition = forms.CharField(label=_("condition when returned"), max_length=300)


class PassBuyForm(forms.Form):
    offer = forms.ModelChoiceField(label=_("pass"), queryset=PassPrice.objects.none())
    activity = forms.ModelChoiceField(label=_("activity"), queryset=Activity.objects.none())
    valid_from = forms.DateField(label=_("from"), widget=DateInput)

    def __init__(
        self,
        *args: Any,
        offers: QuerySet[PassPrice],
        activities: QuerySet[Activity],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers  # type: ignore[attr-defined]
        self.fields["activity"].queryset = activities  # type: ignore[attr-defined]
