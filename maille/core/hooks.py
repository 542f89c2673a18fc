"""Callbacks that apps above register with an app below it.

An app may not import the apps above it (ARCHITECTURE §4), yet some of its
events concern them: an invoice issued (the guarantee advances it), payslips
posted (the guarantee records the salary paid), a client's credit used
(collection). The app below keeps a ``Hooks`` list; each app above registers
its callback from its ``AppConfig.ready``, once.
"""

from __future__ import annotations

from collections.abc import Iterator


class Hooks[H]:
    def __init__(self) -> None:
        self._hooks: list[H] = []

    def register(self, hook: H) -> None:
        """Add ``hook`` (a second registration of the same one is ignored)."""
        if hook not in self._hooks:
            self._hooks.append(hook)

    def __iter__(self) -> Iterator[H]:
        return iter(list(self._hooks))
