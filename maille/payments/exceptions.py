from __future__ import annotations

from typing import ClassVar

from maille.core.exceptions import DomainError


class PaymentsError(DomainError):
    """A payments or bank operation that cannot be done, with a message for the person."""

    http_status: ClassVar[int] = 422


class PaymentRefused(PaymentsError):
    """A payment, allocation, refund or reversal was refused; ``problems`` lists why."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


class StatementRefused(PaymentsError):
    """A bank statement file was refused whole; ``problems`` name the lines."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


class MatchConflict(PaymentsError):
    """Someone else matched or changed this bank line first (HTTP 409)."""

    http_status: ClassVar[int] = 409


class PeriodReconciled(PaymentsError):
    """The bank line falls in a reconciled, locked period."""

    http_status: ClassVar[int] = 409
