from __future__ import annotations

from maille.core.exceptions import DomainError
from maille.documents.exceptions import LinkInvalid


class ContractsError(DomainError):
    """A quote operation that cannot be done, with a message for the person."""


class QuoteNotEditable(ContractsError):
    pass


# A tampered, expired or revoked acceptance link: the documents' one exception.
QuoteLinkInvalid = LinkInvalid
