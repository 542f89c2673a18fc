"""The demo co-op's guarantee fund, through the guarantee's services.

    load_small(staff)     # after payments, before payroll (its pay run pays the advances)

The fund gets an opening reserve (a board decision, an equity entry on
``FONDS``), then the daily job advances the invoices issued from quotes the
clients accepted online (invoices without one stay not covered); one client
defaults: its advanced invoice is written off and the fund absorbs the loss,
staff exclude it from the guarantee, and the pooled history marks it risky.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from maille.core.models import User
from maille.guarantee import job, services
from maille.guarantee.models import Advance
from maille.invoicing.models import OPEN_STATUSES
from maille.invoicing.settlement import open_amount
from maille.ledger import accounts
from maille.ledger.services import LineSpec, entry_post
from maille.members.models import FUND_ACTIVITY_CODE, Activity

RESERVE = Decimal("25000.00")


def load_small(staff: User) -> None:
    today = timezone.localdate()
    fonds = Activity.objects.get(code=FUND_ACTIVITY_CODE)
    entry_post(
        date=today.replace(month=1, day=2),
        description="Réserve d'ouverture du fonds de garantie (décision du conseil)",
        lines=[
            LineSpec(accounts.BANK, fonds, RESERVE),
            LineSpec(accounts.GUARANTEE_FUND_RESERVE, fonds, -RESERVE),
        ],
        idempotency_key="demo:guarantee:reserve",
        acting_user=staff,
    )
    job.guarantee_run(on=today, acting_user=staff)
    # One client never pays: the last advanced invoice still open is written
    # off; the fund bears it and staff exclude the client.
    advance = (
        Advance.objects.filter(invoice__status__in=OPEN_STATUSES)
        .select_related("invoice", "invoice__client")
        .order_by("-invoice__issue_date", "-pk")
        .first()
    )
    if advance is None:
        return
    invoice = advance.invoice
    services.absorb_loss(
        invoice=invoice,
        amount=open_amount(invoice),
        acting_user=staff,
        on=today - dt.timedelta(days=1),
    )
    if invoice.client_id is not None:
        services.client_exclude(
            client_id=invoice.client_id,
            reason="Défaut de paiement : facture radiée, perte absorbée par le fonds",
            on=today,
            acting_user=staff,
        )
