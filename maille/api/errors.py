"""Errors as JSON that name the field, in the caller's language.

Every error body is ``{"detail": [{"field": "...", "message": "..."}]}`` (a
``field`` of ``null`` for an error about the request as a whole), so a client
can show each message beside its input.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _


def error_body(message: str, field: str | None = None) -> dict[str, Any]:
    return {"detail": [{"field": field, "message": message}]}


def from_django(exc: DjangoValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        items = [
            {"field": None if field == "__all__" else field, "message": str(message)}
            for field, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    else:
        items = [{"field": None, "message": str(m)} for m in exc.messages]
    return {"detail": items}


def _pydantic_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("This field is required."),
        "string_too_long": _("At most %(n)s characters.") % {"n": ctx.get("max_length", "?")},
        "string_too_short": _("At least %(n)s characters.") % {"n": ctx.get("min_length", "?")},
        "string_type": _("A text value is expected."),
        "int_parsing": _("A whole number is expected."),
        "int_type": _("A whole number is expected."),
        "bool_parsing": _("true or false is expected."),
        "bool_type": _("true or false is expected."),
        "date_from_datetime_parsing": _("A date (YYYY-MM-DD) is expected."),
        "date_parsing": _("A date (YYYY-MM-DD) is expected."),
        "date_type": _("A date (YYYY-MM-DD) is expected."),
        "enum": _("Not one of the allowed values."),
        "literal_error": _("Not one of the allowed values."),
        "decimal_parsing": _("An amount as a string with two decimals is expected."),
        "value_error": _("This value is not valid."),
        "end_before_start": _("The end date is before the start date."),
        "json_invalid": _("The request body is not valid JSON."),
        "model_attributes_type": _("A JSON object is expected."),
        "dict_type": _("A JSON object is expected."),
        "extra_forbidden": _("This field is not accepted."),
        "greater_than_equal": _("Too small."),
        "less_than_equal": _("Too large."),
        "int_from_float": _("A whole number is expected."),
    }
    return str(messages.get(kind, error.get("msg", _("This value is not valid."))))


def from_ninja(errors: list[dict[str, Any]]) -> dict[str, Any]:
    items = []
    for error in errors:
        loc = [
            str(p)
            for p in error.get("loc", ())
            if p not in ("body", "query", "path", "payload", "form", "file")
        ]
        items.append({"field": ".".join(loc) or None, "message": _pydantic_message(error)})
    return {"detail": items}
