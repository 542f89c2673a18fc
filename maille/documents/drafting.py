"""What every document with lines shares while it is written: its row locked, its
lines rewritten in order, and the bounds of its terms (stated here once, read by
the services, the forms and the API's schemas).

A new kind of document with lines (a payslip's, a booking's) locks and writes
them with these two functions and checks its terms with ``term_problems``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

# The bounds of a document's terms (a quote's, an invoice's), stated once.
PAYMENT_TERM_DAYS_MAX = 120
LATE_INTEREST_RATE_MAX = 60
LANGUAGES = ("fr", "en")


def lock[M: models.Model](document: M) -> M:
    """The document's row again, locked (``SELECT … FOR UPDATE``) until the transaction ends."""
    manager: models.Manager[M] = type(document)._default_manager
    return manager.select_for_update().get(pk=document.pk)


def write_lines(
    document: models.Model,
    lines: Iterable[Mapping[str, Any]],
    *,
    fields: Iterable[str],
    optional: Iterable[str] = (),
) -> None:
    """Replace the document's ``lines`` with ``lines``, numbered from 0 in order.

    ``fields`` are read from every line; ``optional`` ones default to ``None``.
    """
    related = document.lines  # type: ignore[attr-defined]
    related.all().delete()
    model: type[models.Model] = related.model
    parent = related.field.name
    fields, optional = tuple(fields), tuple(optional)
    model._default_manager.bulk_create(
        [
            model(
                **{parent: document, "position": i},
                **{k: line[k] for k in fields},
                **{k: line.get(k) for k in optional},
            )
            for i, line in enumerate(lines)
        ]
    )


def term_problems(fields: Mapping[str, Any]) -> dict[str, str]:
    """The field and message of each term out of its bounds (those absent are not checked)."""
    problems = {}
    term = fields.get("payment_term_days")
    if term is not None and not (0 <= int(term) <= PAYMENT_TERM_DAYS_MAX):
        problems["payment_term_days"] = _("The payment term must be between 0 and 120 days.")
    rate = fields.get("late_interest_rate")
    if rate is not None and not (Decimal(0) <= Decimal(rate) <= LATE_INTEREST_RATE_MAX):
        problems["late_interest_rate"] = _("The late interest must be between 0 and 60 % a year.")
    if fields.get("language") not in (None, *LANGUAGES):
        problems["language"] = _("Not one of the allowed values.")
    return problems
