from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from maille.clients.models import Client, ClientKind
from maille.clients.services import client_clean
from maille.core.forms import Form
from maille.core.models import Language, Province
from maille.core.validators import GST_EXAMPLE, QST_EXAMPLE


class ClientForm(Form):
    legal_name = forms.CharField(label=_("legal name"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=ClientKind.choices)
    street = forms.CharField(label=_("street address"), max_length=200, required=False)
    city = forms.CharField(label=_("city"), max_length=100, required=False)
    province = forms.ChoiceField(
        label=_("province"),
        choices=[("", _("— outside Canada —")), *Province.choices],
        required=False,
    )
    postal_code = forms.CharField(label=_("postal code"), max_length=12, required=False)
    country = forms.CharField(label=_("country (ISO code)"), max_length=2, initial="CA")
    gst_number = forms.CharField(
        label=_("GST/HST number"),
        required=False,
        help_text=format_lazy(_("For example: {}"), GST_EXAMPLE),
    )
    qst_number = forms.CharField(
        label=_("QST number"),
        required=False,
        help_text=format_lazy(_("For example: {}"), QST_EXAMPLE),
    )
    neq = forms.CharField(label=_("Québec enterprise number (NEQ)"), required=False)
    language = forms.ChoiceField(label=_("language of documents"), choices=Language.choices)
    notes = forms.CharField(label=_("notes (staff only)"), widget=forms.Textarea, required=False)
    # Shown (as a checkbox) only once a likely duplicate was found.
    confirm_duplicate = forms.BooleanField(
        label=_("This is a different client: create it anyway"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["notes"]

    @classmethod
    def initial_for(cls, client: Client) -> dict[str, Any]:
        return {f: getattr(client, f) for f in cls.base_fields if hasattr(client, f)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            cleaned = client_clean({k: v for k, v in data.items() if k != "confirm_duplicate"})
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                for error in errors:
                    self.add_error(field if field in self.fields else None, error)
            return data
        data.update(cleaned)
        return data


class ClientContactForm(Form):
    name = forms.CharField(label=_("name"), max_length=200)
    title = forms.CharField(label=_("role or title"), max_length=100, required=False)
    email = forms.EmailField(label=_("email"))
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    language = forms.ChoiceField(label=_("language"), choices=Language.choices)
    portal_access = forms.BooleanField(label=_("give a portal login"), required=False)

    def __init__(self, *args: Any, staff: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not staff:
            # Portal logins are staff's to give.
            del self.fields["portal_access"]
