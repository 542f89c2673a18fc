from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from maille.core.money import format_money

register = template.Library()


@register.filter
def money(value: Decimal | str | None) -> str:
    """``{{ amount|money }}`` → ``1 234,56 $`` in French, ``$1,234.56`` in English."""
    if value is None or value == "":
        return ""
    return format_money(Decimal(value), get_language() or "fr")
