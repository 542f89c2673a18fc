"""``{% collection_todo %}``: collection's part of staff's to-do list on the home page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from maille.collection import selectors

register = template.Library()


@register.inclusion_tag("collection/_todo.html", takes_context=True)
def collection_todo(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    if not user.is_staff:
        return {"todo": None}
    return {"todo": selectors.collection_todo(today=timezone.localdate())}
