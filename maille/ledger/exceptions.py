from __future__ import annotations

from maille.core.exceptions import DomainError


class LedgerError(DomainError):
    """A ledger operation that cannot be done, with a message for the person."""

    http_status = 422


class PostingError(LedgerError):
    """An entry was refused. ``problems`` lists every reason, not just the first."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class PeriodError(LedgerError):
    pass


class PeriodAlreadyClosed(PeriodError):
    """Closing a month twice (two people at once, say): a conflict, not bad input."""

    http_status = 409
