from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst


class Form(forms.Form):
    """Maille's forms: labels start with a capital, no ':' suffix (French
    typography wants a space before it; the layout makes it unnecessary)."""

    label_suffix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.label:
                field.label = capfirst(field.label)
