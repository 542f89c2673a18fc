"""Typed errors of the payroll engine.

Both carry the full list of problems found, not only the first one, so a
person can fix everything at once (see CONVENTIONS.md, "checks that report
everything").
"""

from __future__ import annotations


class PayrollInputError(ValueError):
    """The inputs of a pay calculation are not valid."""

    def __init__(self, problems: list[str] | tuple[str, ...]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__("Invalid payroll input: " + "; ".join(self.problems))


class PayrollParamsError(LookupError):
    """A year's parameter file is missing or malformed."""

    def __init__(self, message: str, problems: list[str] | tuple[str, ...] = ()) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        detail = (": " + "; ".join(self.problems)) if self.problems else ""
        super().__init__(message + detail)
