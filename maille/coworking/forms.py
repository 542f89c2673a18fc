"""Forms of the coworking pages. Times are typed as local wall times (Montréal)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from maille.core.models import Province
from maille.coworking.models import PassPrice, Price, Resource, ResourceKind, Rule, Site
from maille.members.models import Activity, Member


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format or "%H:%M")  # what <input type=time> reads


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
    province = forms.ChoiceField(
        label=_("province"),
        choices=Province.choices,
        initial="QC",
        help_text=_("Of your address, for the invoice. The taxes are those of the space's site."),
    )
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


WEEKDAYS = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


class SiteForm(forms.ModelForm[Site]):
    """A site, its address and opening hours (closed on Québec statutory holidays)."""

    open_days = forms.MultipleChoiceField(
        label=_("open days"), choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Site
        fields = [
            "name",
            "street",
            "city",
            "province",
            "postal_code",
            "opens_at",
            "closes_at",
            "open_days",
            "closed_on_holidays",
            "is_active",
        ]
        widgets = {"opens_at": TimeInput, "closes_at": TimeInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["open_days"] = list(self.instance.open_days)

    def clean_open_days(self) -> str:
        return "".join(sorted(set(self.cleaned_data["open_days"])))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The site closes after it opens."))
        return data


class ResourceForm(forms.ModelForm[Resource]):
    """A desk, a room (capacity, equipment) or an equipment item (serial number, condition)."""

    class Meta:
        model = Resource
        fields = [
            "site",
            "kind",
            "name",
            "capacity",
            "equipment",
            "serial_number",
            "condition",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        serial = (data.get("serial_number") or "").strip()
        if data.get("kind") == ResourceKind.EQUIPMENT and not serial:
            self.add_error("serial_number", _("An equipment item has a serial number."))
        if data.get("kind") == ResourceKind.ROOM and not data.get("capacity"):
            self.add_error("capacity", _("Say how many people the room holds."))
        return data


FIELD_NAMES = {"activity_id": "activity", "resource_id": "resource"}


def add_refusal(form: Any, exc: Exception) -> None:
    """A service's refusal as form errors, on the field it names when it names one."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            name = FIELD_NAMES.get(field, field)
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
        return
    form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))


def day_param(value: str | None, default: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default
    return day if abs((day - default).days) < 3 * 366 else default
