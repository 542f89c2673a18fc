"""Objects of collection for the permission matrix's world (one case, a decided
dispute, a formal notice), built through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from maille.collection import services
from maille.collection.models import (
    Channel,
    FormalNotice,
    InvoiceDunning,
    Reminder,
    ReminderStatus,
    StepKind,
)
from maille.documents.links import link_token, new_nonce


def matrix_objects(client: Any, invoice: Any, staff: Any) -> dict[str, Any]:
    dispute = services.dispute_raise(
        invoice_id=invoice.pk, what="Quantité", raised_by="Nathalie Roy", acting_user=staff
    )
    services.dispute_decide(dispute=dispute, outcome="rejected", decision="Dû", acting_user=staff)
    case = dispute.case
    today = timezone.localdate()
    notice = FormalNotice.objects.create(
        case=case,
        number="MD-2026-999999",
        date=today,
        deadline=today + dt.timedelta(days=10),
        language="fr",
        principal=invoice.total,
        interest=0,
        link_nonce=new_nonce(),
        created_by=staff,
    )
    notice.invoices.set([invoice])
    letter = Reminder.objects.create(
        dunning=InvoiceDunning.objects.get(invoice=invoice),
        position=99,
        kind=StepKind.FIRM,
        channel=Channel.LETTER,
        status=ReminderStatus.SENT,
        due_on=today,
        created_at=timezone.now(),
        subject="Rappel",
        body="Votre facture est en retard.",
    )
    return {
        "letter": letter.pk,
        "collection_case": case.pk,
        "case_id": case.pk,
        "dispute": dispute.pk,
        "dispute_id": dispute.pk,
        "notice": notice.pk,
        "notice_link": link_token(notice),
        "tomorrow": (today + dt.timedelta(days=1)).isoformat(),
    }
