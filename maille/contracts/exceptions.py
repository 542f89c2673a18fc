from __future__ import annotations

from maille.core.exceptions import DomainError


class ContractsError(DomainError):
    """A quote operation that cannot be done, with a message for the person."""


class QuoteNotEditable(ContractsError):
    pass


class QuoteLinkInvalid(ContractsError):
    """A tampered, expired or revoked acceptance link."""
