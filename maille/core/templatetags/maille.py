from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import get_language

from maille.core.money import format_money

register = template.Library()


@register.filter
def money(value: Decimal | str | None, language: str | None = None) -> str:
    """``{{ amount|money }}`` → ``1 234,56 $`` in French, ``$1,234.56`` in English (the
    page's language); ``{{ amount|money:language }}`` in a given one (a PDF's)."""
    if value is None or value == "":
        return ""
    return format_money(Decimal(value), language or get_language() or "fr")


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any], number: int) -> str:
    """The current list's URL at another page, keeping every filter."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + str(query.urlencode())
