"""The audit trail shown to staff: who changed what, and when.

Changes are recorded by django-simple-history in the same transaction as the
change itself; services name the acting user explicitly (``_history_user``) so
the CLI, the API and tasks are attributed like the web pages are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

# Fields whose values never appear in the trail, only the fact they changed.
SECRET_FIELDS = frozenset({"sin", "bank_account", "password"})


@dataclass(frozen=True, slots=True)
class AuditRow:
    when: datetime
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
            for change in record.diff_against(previous).changes:
                field = record.instance._meta.get_field(change.field)
                label = str(getattr(field, "verbose_name", change.field))
                if change.field in SECRET_FIELDS:
                    changes.append((label, "•••", "•••"))
                else:
                    changes.append((label, _display(change.old), _display(change.new)))
        who = str(record.history_user) if record.history_user else _("system")
        rows.append(
            AuditRow(record.history_date, who, kinds.get(record.history_type, "?"), changes)
        )
    return rows


def _display(value: Any) -> str:
    return "—" if value in (None, "") else str(value)
