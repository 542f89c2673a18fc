from __future__ import annotations

from maille.core.exceptions import DomainError


class DocumentError(DomainError):
    """A document operation that cannot be done, with a message for the person."""


class LinkInvalid(DocumentError):
    """A signed link that is tampered with, expired or revoked (the message says which)."""

    http_status = 404
