"""Domain exceptions of payroll: each carries every problem, in the user's language.

The edges turn them into form errors, JSON 4xx (``status``) or CLI errors.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from maille.core.exceptions import DomainError


class PayrollError(DomainError):
    """Something payroll refuses to do. ``problems`` are sentences for the person."""

    http_status: ClassVar[int] = 422

    def __init__(self, problems: list[str], *, field: str = "") -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.field = field


class InsufficientBudget(PayrollError):
    """The pay asked for costs more than the activity's available budget."""

    def __init__(self, problems: list[str], *, fits: Decimal, field: str = "amount") -> None:
        super().__init__(problems, field=field)
        self.fits = fits


class RunConflict(PayrollError):
    """Someone else changed the pay run first (approved it, posted it)."""

    http_status: ClassVar[int] = 409
