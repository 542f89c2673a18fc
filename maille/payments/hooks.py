"""Other uses of a client's credit, declared by apps above payments.

A client's credit (money received and not allocated to an invoice) may be put
to a use that payments does not know: late interest collected on a case
(collection, above payments in ARCHITECTURE §4). Payments cannot import
those apps, so each registers here, in its ``AppConfig.ready``, a function
that says how much of each payment it used (the way invoicing's issue hooks
work). ``payment_credit`` and ``client_credit`` subtract those uses, so the
same money is never allocated, refunded or used twice, and a payment with a
use is not reversed before the use is undone.

The using app posts its own entry out of ``Client credits`` and locks the
payment (``select_for_update``) while it checks and writes, as payments'
own services do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from maille.core.hooks import Hooks
from maille.core.money import ZERO

#: ``provider(payment_ids)`` → {payment id: amount of its credit used}.
CreditUse = Callable[[Sequence[int]], dict[int, Decimal]]

_uses: Hooks[CreditUse] = Hooks()


def on_credit_used(provider: CreditUse) -> None:
    """Register ``provider`` (once per registration)."""
    _uses.register(provider)


def credit_used(payment_ids: Sequence[int]) -> dict[int, Decimal]:
    """Per payment, the credit other apps used (zero when none)."""
    used = dict.fromkeys(payment_ids, ZERO)
    if not payment_ids:
        return used
    for provider in _uses:
        for pk, amount in provider(payment_ids).items():
            used[pk] = used.get(pk, ZERO) + amount
    return used
