"""What apps above invoicing do when an invoice is issued, in the issuing transaction.

The guarantee fund (above invoicing, ARCHITECTURE §4) advances an eligible
invoice's budget at issue; invoicing cannot import it, so the guarantee app
registers a callback here in its ``AppConfig.ready`` (the way document kinds
are declared). A callback runs after the invoice's ledger postings, inside
the same transaction: if it raises, the issue rolls back whole. It must be
cheap for the invoices it does not concern (no query when it can tell from
the invoice row alone).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from maille.core.hooks import Hooks

if TYPE_CHECKING:
    from maille.core.models import User
    from maille.invoicing.models import Invoice

IssueHook = Callable[[Sequence["Invoice"], "User | None"], None]

_on_issue: Hooks[IssueHook] = Hooks()


def on_issue(hook: IssueHook) -> None:
    """Call ``hook(invoices, acting_user)`` after each issue (once per registration)."""
    _on_issue.register(hook)


def issued(invoices: Sequence[Invoice], acting_user: User | None) -> None:
    for hook in _on_issue:
        hook(invoices, acting_user)
