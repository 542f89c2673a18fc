"""Writes for invoices and credit notes. Views, API, CLI and tasks call these.

Members draft; staff issue. The services are split along their seams —
``drafts``, ``issue``, ``credit_notes``, ``links`` — and gathered here, so a
caller writes ``services.invoice_issue(...)`` whichever module holds it.
Reads are in ``invoicing.selectors``, refusals in ``invoicing.exceptions``.
"""

from maille.invoicing.exceptions import (
    InvoiceAlreadyIssued,
    InvoiceConflict,
    InvoiceLinkInvalid,
    InvoiceNotEditable,
    InvoiceNotIssuable,
    InvoicingError,
)
from maille.invoicing.selectors import credited_by_line, latest_issue_date, quote_invoiced
from maille.invoicing.services.credit_notes import credit_note_create
from maille.invoicing.services.drafts import (
    INVOICE_FIELDS,
    LINE_FIELDS,
    compute_taxes,
    invoice_create,
    invoice_create_final,
    invoice_create_from_quote,
    invoice_create_internal,
    invoice_discard,
    invoice_set_abroad_decision,
    invoice_update,
    tax_preview,
)
from maille.invoicing.services.issue import (
    IssueContext,
    invoice_issue,
    invoice_issue_many,
    invoice_issue_problems,
    issue_date_problems,
    series_of,
)
from maille.invoicing.services.links import (
    invoice_from_token,
    invoice_link_revoke,
    invoice_link_token,
    invoice_mark_sent,
    invoice_mark_viewed,
    invoice_send,
)

__all__ = [
    "INVOICE_FIELDS",
    "LINE_FIELDS",
    "InvoiceAlreadyIssued",
    "InvoiceConflict",
    "InvoiceLinkInvalid",
    "InvoiceNotEditable",
    "InvoiceNotIssuable",
    "InvoicingError",
    "IssueContext",
    "compute_taxes",
    "credit_note_create",
    "credited_by_line",
    "invoice_create",
    "invoice_create_final",
    "invoice_create_from_quote",
    "invoice_create_internal",
    "invoice_discard",
    "invoice_from_token",
    "invoice_issue",
    "invoice_issue_many",
    "invoice_issue_problems",
    "invoice_link_revoke",
    "invoice_link_token",
    "invoice_mark_sent",
    "invoice_mark_viewed",
    "invoice_send",
    "invoice_set_abroad_decision",
    "invoice_update",
    "issue_date_problems",
    "latest_issue_date",
    "quote_invoiced",
    "series_of",
    "tax_preview",
]
