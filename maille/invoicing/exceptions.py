"""Invoicing's refusals; each declares how the API answers it (``DomainError``)."""

from __future__ import annotations

from maille.core.exceptions import DomainError
from maille.documents.exceptions import LinkInvalid


class InvoicingError(DomainError):
    """An invoicing operation that cannot be done, with a message for the person."""


class InvoiceNotEditable(InvoicingError):
    pass


class InvoiceAlreadyIssued(InvoicingError):
    pass


class InvoiceConflict(InvoicingError):
    """A simultaneous change won the race; trying again may work (HTTP 409)."""


class InvoiceNotIssuable(InvoicingError):
    http_status = 422

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


# A tampered, expired or revoked link: the documents' one exception.
InvoiceLinkInvalid = LinkInvalid
