"""A bank deposit that pays a member's shares, matched by staff.

Shares belong to governance, which sits above payments: payments never
imports it. Governance registers a ``SharePaymentHandler`` from its
``AppConfig.ready`` (``share_payment_handler_register``); matching a deposit
to a member then asks the handler to record the payment on that member's
subscription (its own journal entry: Bank / Share subscriptions receivable),
and the line is matched to that entry. Unmatching asks the handler to undo
the payment (a reversing entry and a movement of its own), so the register
and the ledger stay the same facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from maille.core.models import User
from maille.ledger.models import JournalEntry


@dataclass(frozen=True, slots=True)
class MemberOwing:
    """A member who still owes on shares subscribed (what staff choose from)."""

    member_id: int
    label: str  #: number and name
    owing: Decimal


class SharePaymentHandler(Protocol):
    def members_owing(self) -> Sequence[MemberOwing]:
        """The members who owe on their shares, for the matching page."""
        ...

    def payment_record(
        self,
        *,
        member_id: int,
        amount: Decimal,
        date: dt.date,
        bank_account_code: str,
        note: str,
        acting_user: User,
    ) -> JournalEntry:
        """Record the payment (inside the caller's transaction); its journal entry."""
        ...

    def payment_undo(
        self, *, entry: JournalEntry, date: dt.date, reason: str, acting_user: User
    ) -> None:
        """Undo the payment that posted ``entry`` (the line was unmatched)."""
        ...


_handler: list[SharePaymentHandler] = []


def share_payment_handler_register(handler: SharePaymentHandler) -> None:
    """Governance says how a deposit pays shares (idempotent: one handler)."""
    _handler[:] = [handler]


def share_payment_handler() -> SharePaymentHandler | None:
    return _handler[0] if _handler else None
