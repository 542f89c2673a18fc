"""The case file for a lawyer (a demand through the courts): one ZIP with the evidence.

- ``dossier.csv``: the timeline (date, kind, invoice, text, who);
- ``factures/<number>.pdf``: each open invoice as printed;
- ``soumissions/<number>.pdf`` and ``<number>-acceptation.txt``: the exact
  quote the client accepted (frozen when sent) and its acceptance record
  (who, role, when, from where, the document's SHA-256);
- ``mises-en-demeure/<number>.pdf`` with their sent, viewed and registered
  mail traces in ``mises-en-demeure/traces.csv``.
"""

from __future__ import annotations

import csv
import io
import zipfile

from maille.collection.models import CollectionCase
from maille.invoicing.models import OPEN_STATUSES, Invoice, InvoiceKind


def case_zip(case: CollectionCase) -> bytes:
    from maille.collection.notices import notice_pdf
    from maille.invoicing.documents import invoice_pdf

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        timeline = io.StringIO()
        writer = csv.writer(timeline)
        writer.writerow(["date", "kind", "invoice", "text", "by"])
        for event in case.events.select_related("invoice", "created_by").order_by("created_at"):
            writer.writerow(
                [
                    event.on.isoformat(),
                    event.get_kind_display(),
                    event.invoice.number if event.invoice else "",
                    event.text,
                    str(event.created_by or ""),
                ]
            )
        archive.writestr("dossier.csv", timeline.getvalue())
        invoices = Invoice.objects.filter(
            client_id=case.client_id, kind=InvoiceKind.INVOICE, status__in=OPEN_STATUSES
        ).select_related("quote")
        quotes = {}
        for invoice in invoices:
            archive.writestr(f"factures/{invoice.number}.pdf", invoice_pdf(invoice))
            if invoice.quote is not None and invoice.has_accepted_quote:
                quotes[invoice.quote.pk] = invoice.quote
        for quote in quotes.values():
            if quote.document_pdf:
                archive.writestr(f"soumissions/{quote.number}.pdf", bytes(quote.document_pdf))
            decision = getattr(quote, "decision", None)
            if decision is not None:
                archive.writestr(
                    f"soumissions/{quote.number}-acceptation.txt",
                    "\n".join(
                        [
                            f"quote: {quote.number}",
                            f"decision: {decision.decision}",
                            f"decided_at: {decision.decided_at.isoformat()}",
                            f"signer: {decision.signer_name} ({decision.signer_role})",
                            f"ip_address: {decision.ip_address or ''}",
                            f"user_agent: {decision.user_agent}",
                            f"document_sha256: {decision.document_sha256}",
                        ]
                    ),
                )
        traces = io.StringIO()
        trace_writer = csv.writer(traces)
        trace_writer.writerow(["notice", "date", "sent_at", "viewed_at", "registered_mail"])
        for notice in case.notices.all():
            archive.writestr(f"mises-en-demeure/{notice.number}.pdf", notice_pdf(notice))
            trace_writer.writerow(
                [
                    notice.number,
                    notice.date.isoformat(),
                    notice.sent_at.isoformat() if notice.sent_at else "",
                    notice.viewed_at.isoformat() if notice.viewed_at else "",
                    f"{notice.registered_mail_on or ''} {notice.registered_mail_ref}".strip(),
                ]
            )
        archive.writestr("mises-en-demeure/traces.csv", traces.getvalue())
    return buffer.getvalue()
