from __future__ import annotations


class PaymentsError(Exception):
    """A payments or bank operation that cannot be done, with a message for the person."""


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


class PeriodReconciled(PaymentsError):
    """The bank line or payment falls in a reconciled, locked period."""
