"""The root of every domain refusal, and how the edge answers it.

Each app's exceptions (``ContractsError``, ``InvoicingError``, ``LedgerError``,
``MembersError``…) derive from ``DomainError`` and say, once, how the API
answers them; the API maps them all in one handler (``maille/api/urls.py``),
and pages turn them into form errors. A service that refuses because the
person may not act raises ``PermissionError`` (answered 403).
"""

from __future__ import annotations

from typing import ClassVar


class DomainError(Exception):
    """An operation a rule of the co-op refuses, with a message for the person.

    ``http_status``: 409 when it conflicts with the state of things (a quote
    already sent, an invoice already issued); 422 when the input is what is
    wrong (an activity that cannot close on that date).
    """

    http_status: ClassVar[int] = 409
