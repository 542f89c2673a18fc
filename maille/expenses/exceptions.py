"""Domain refusals of expenses: each carries every problem, in the user's language."""

from __future__ import annotations

from typing import ClassVar

from maille.core.exceptions import DomainError


class ExpensesError(DomainError):
    """Something the expense rules refuse. ``problems`` are sentences for the person."""

    http_status: ClassVar[int] = 422

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class InsufficientBudget(ExpensesError):
    """The claim costs more than the activity's available budget (staff may except it)."""


class ClaimConflict(ExpensesError):
    """Someone decided first (approved, returned, paid)."""

    http_status: ClassVar[int] = 409
