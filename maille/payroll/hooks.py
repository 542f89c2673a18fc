"""What apps above payroll do when payslips are posted, in the posting transaction.

The guarantee fund (above payroll, ARCHITECTURE §4) records when the salary an
advance promised was paid; payroll cannot import it, so the guarantee app
registers a callback here in its ``AppConfig.ready`` (as with
``invoicing.hooks``). A callback runs once per chunk of a pay run, after the
chunk's ledger postings and inside its transaction: if it raises, the chunk
rolls back whole and the run can be resumed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from maille.core.hooks import Hooks

if TYPE_CHECKING:
    from maille.payroll.models import Payslip

PostedHook = Callable[[Sequence["Payslip"]], None]

_on_posted: Hooks[PostedHook] = Hooks()


def on_posted(hook: PostedHook) -> None:
    """Call ``hook(payslips)`` after each chunk of payslips is posted (once per registration)."""
    _on_posted.register(hook)


def posted(payslips: Sequence[Payslip]) -> None:
    for hook in _on_posted:
        hook(payslips)
