"""The guarantee fund's refusals; each declares how the API answers it (``DomainError``)."""

from __future__ import annotations

from maille.core.exceptions import DomainError


class GuaranteeError(DomainError):
    """A guarantee operation that cannot be done, with a message for the person."""


class GuaranteeInputError(GuaranteeError):
    """Bad input: each problem names its field (HTTP 422)."""

    http_status = 422

    def __init__(self, problems: dict[str, list[str]]) -> None:
        super().__init__(" ".join(m for messages in problems.values() for m in messages))
        self.problems = problems


class GuaranteeJobBusy(GuaranteeError):
    """The daily job is already running (HTTP 409): nothing was done by this call."""


class NoGuaranteePolicy(GuaranteeError):
    """No policy is in force on the date asked."""
