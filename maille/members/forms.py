from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from maille.core.forms import DateInput, Form
from maille.core.models import Language
from maille.core.validators import clean_bank_account, clean_postal_code, clean_sin
from maille.members.models import Member, MemberStatus, Province


class MemberProfileForm(Form):
    """What a member may change in their own file (staff may change it too)."""

    first_name = forms.CharField(label=_("first name"), max_length=150)
    last_name = forms.CharField(label=_("last name"), max_length=150)
    language = forms.ChoiceField(label=_("preferred language"), choices=Language.choices)
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    street = forms.CharField(label=_("street address"), max_length=200, required=False)
    city = forms.CharField(label=_("city"), max_length=100, required=False)
    province = forms.ChoiceField(
        label=_("province"), choices=[("", "—"), *Province.choices], required=False
    )
    postal_code = forms.CharField(label=_("postal code"), max_length=10, required=False)
    sin = forms.CharField(
        label=_("social insurance number"),
        required=False,
        help_text=_("Leave empty to keep the number on file."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    bank_account = forms.CharField(
        label=_("bank account for direct deposit"),
        required=False,
        help_text=_("institution-transit-account, e.g. 815-30001-1234567. Leave empty to keep it."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    @classmethod
    def initial_for(cls, member: Member) -> dict[str, Any]:
        user = member.user
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "phone": member.phone,
            "street": member.street,
            "city": member.city,
            "province": member.province,
            "postal_code": member.postal_code,
        }

    def clean_sin(self) -> str:
        value: str = self.cleaned_data["sin"]
        return clean_sin(value) if value.strip() else ""

    def clean_bank_account(self) -> str:
        value: str = self.cleaned_data["bank_account"]
        return clean_bank_account(value) if value.strip() else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "postal_code" in data:
            try:
                data["postal_code"] = clean_postal_code(
                    str(data["postal_code"]), province=str(data.get("province") or "")
                )
            except ValidationError as exc:
                self.add_error("postal_code", exc)
        return data


class MemberAdmitForm(MemberProfileForm):
    email = forms.EmailField(label=_("email address"))
    employment_start = forms.DateField(
        label=_("employment start date"), required=False, widget=DateInput
    )
    field_order = ["email", "first_name", "last_name", "language"]


class MemberStatusForm(Form):
    status = forms.ChoiceField(label=_("new status"), choices=MemberStatus.choices)
    effective_date = forms.DateField(label=_("effective date"), widget=DateInput)
    reason = forms.CharField(label=_("reason"), max_length=300)


class ActivityForm(Form):
    name = forms.CharField(label=_("name"), max_length=200)
    description = forms.CharField(label=_("description"), widget=forms.Textarea, required=False)
    start_date = forms.DateField(label=_("start date"), widget=DateInput)
    end_date = forms.DateField(label=_("end date"), widget=DateInput, required=False)
    owners = forms.ModelMultipleChoiceField(
        label=_("owners"), queryset=Member.objects.none(), required=False
    )

    def __init__(self, *args: Any, owner_choices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owner_choices is None:
            del self.fields["owners"]
        else:
            self.fields["owners"].queryset = owner_choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class ActivityCloseForm(Form):
    end_date = forms.DateField(label=_("end date"), widget=DateInput)
