"""The audit trail shown to staff: who changed what, and when.

Changes are recorded by django-simple-history in the same transaction as the
change itself; services name the acting user explicitly (``_history_user``) so
the CLI, the API and tasks are attributed like the web pages are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Fields whose values never appear in the trail, only the fact they changed.
SECRET_FIELDS = frozenset(
    {"sin", "bank_account", "password", "link_nonce", "document_pdf", "document_sha256"}
)
# Labels of fields declared without a verbose name (bookkeeping fields).
FIELD_LABELS = {
    "series": gettext_lazy("series"),
    "year": gettext_lazy("year"),
    "sequence": gettext_lazy("number in the series"),
    "quote_mode": gettext_lazy("what is invoiced"),
    "regime": gettext_lazy("tax regime"),
    "buyer_name": gettext_lazy("client's name"),
    "buyer_address": gettext_lazy("client's address"),
    "buyer_gst": gettext_lazy("client's GST/HST number"),
    "buyer_qst": gettext_lazy("client's QST number"),
    "buyer_country": gettext_lazy("client's country"),
    "seller_gst": gettext_lazy("co-op's GST/HST number"),
    "seller_qst": gettext_lazy("co-op's QST number"),
    "created_by": gettext_lazy("created by"),
    "created_at": gettext_lazy("created on"),
    "issued_by": gettext_lazy("issued by"),
    "issued_at": gettext_lazy("issued on"),
    "validated_by": gettext_lazy("validated by"),
    "validated_at": gettext_lazy("validated on"),
    "link_nonce": gettext_lazy("client's link"),
    "document_pdf": gettext_lazy("document sent"),
    "document_sha256": gettext_lazy("fingerprint of the document"),
    "user": gettext_lazy("login"),
    "client": gettext_lazy("client"),
    "granted_by": gettext_lazy("granted by"),
    "granted_at": gettext_lazy("granted on"),
    "member": gettext_lazy("member"),
}


@dataclass(frozen=True, slots=True)
class AuditRow:
    when: dt.datetime
    who: str
    kind: str
    changes: list[tuple[str, str, str]]


def set_actor(instance: models.Model, acting_user: Any) -> None:
    """Attribute the next history row of ``instance`` to ``acting_user``."""
    instance._history_user = acting_user  # type: ignore[attr-defined]


def audit_trail(*instances: models.Model, limit: int = 50) -> list[AuditRow]:
    """The merged trail of several records (a member and their login, a client
    and its contacts), newest first."""
    rows = [row for instance in instances for row in _trail(instance, limit)]
    rows.sort(key=lambda row: row.when, reverse=True)
    return rows[:limit]


def _trail(instance: models.Model, limit: int) -> list[AuditRow]:
    manager = instance.history  # type: ignore[attr-defined]
    history = manager.select_related("history_user").order_by("-history_date", "-history_id")
    history = history[: limit + 1]
    records = list(history)
    kinds = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    rows = []
    for i, record in enumerate(records[:limit]):
        previous = records[i + 1] if i + 1 < len(records) else None
        changes: list[tuple[str, str, str]] = []
        if previous is not None and record.history_type == "~":
            value_labels = getattr(type(instance), "AUDIT_VALUE_LABELS", {})
            for change in record.diff_against(previous).changes:
                field = record.instance._meta.get_field(change.field)
                label = _label(field)
                if change.field in SECRET_FIELDS:
                    changes.append((label, "•••", "•••"))
                else:
                    changes.append(
                        (
                            label,
                            _display(field, change.old, value_labels),
                            _display(field, change.new, value_labels),
                        )
                    )
        who = str(record.history_user) if record.history_user else _("system")
        rows.append(
            AuditRow(record.history_date, who, kinds.get(record.history_type, "?"), changes)
        )
    return rows


def _label(field: Any) -> str:
    """The field's translated name (bookkeeping fields have theirs in FIELD_LABELS)."""
    verbose = getattr(field, "verbose_name", None)
    if isinstance(verbose, Promise):
        return str(verbose)
    return str(FIELD_LABELS.get(field.name, verbose or field.name))


def _display(field: Any, value: Any, value_labels: dict[str, Any]) -> str:
    """A value as a person reads it: labels, not codes; local time to the
    minute; numbers in the page's language."""
    if value in (None, ""):
        return "—"
    labels = value_labels.get(field.name)
    if labels is not None:
        return str(labels(value) if callable(labels) else labels.get(value, value))
    choices = dict(getattr(field, "flatchoices", None) or ())
    if choices and value in choices:
        return str(choices[value])
    if getattr(field, "is_relation", False) and field.related_model is not None:
        manager = field.related_model._default_manager
        if isinstance(value, list):  # many-to-many: the through rows, as dicts
            name = field.related_model._meta.model_name
            ids = [row.get(name) for row in value if isinstance(row, dict)]
            return ", ".join(str(obj) for obj in manager.filter(pk__in=ids)) or "—"
        related = manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return str(formats.date_format(moment, "SHORT_DATETIME_FORMAT"))
    if isinstance(value, dt.date):
        return str(formats.date_format(value, "DATE_FORMAT"))
    if isinstance(value, Decimal):
        return str(formats.number_format(value, use_l10n=True, force_grouping=True))
    return str(value)
