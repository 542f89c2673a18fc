from __future__ import annotations

from typing import ClassVar

from maille.core.exceptions import DomainError


class CollectionError(DomainError):
    """A collection operation refused, with every problem found (``problems``)."""

    http_status: ClassVar[int] = 422

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__(" ".join(self.problems))
