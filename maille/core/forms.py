from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import get_language

from maille.core.money import parse_amount


class DateInput(forms.DateInput):
    """``<input type="date">`` in every language: browsers accept only ISO
    ``2026-11-29`` in its ``value`` (a French ``29/11/2026`` shows an empty,
    required field). What it submits is ISO too, which every language reads."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DecimalInput(forms.TextInput):
    """A decimal shown as the person reads it: ``12,5`` in French, ``12.5`` in English."""

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal):
            text = format(value, "f")
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            return text.replace(".", ",") if (get_language() or "fr")[:2] == "fr" else text
        formatted: str | None = super().format_value(value)
        return formatted


class DecimalInputField(forms.DecimalField):
    """A number as a person types it, in French or English: ``12,5``, ``12.5``,
    ``1 234,5``. A text box (``inputmode=decimal``), because a browser's number
    box drops a comma it does not expect (``12,5`` became 125); what cannot be
    read is refused, never guessed."""

    widget = DecimalInput

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.pop("min", None)
        attrs.pop("max", None)
        return {**attrs, "inputmode": "decimal", "autocomplete": "off"}

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_amount(str(value))
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


class Form(forms.Form):
    """Maille's forms: labels start with a capital, no ':' suffix (French
    typography wants a space before it; the layout makes it unnecessary)."""

    label_suffix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.label:
                field.label = capfirst(field.label)
