"""The embedded default's mailer: each email printed to standard error.

Django's console backend prints to standard output, which is data for the
commands that print JSON (``maille payroll run --json``): posting a run
renders and emails its payslips inline, and those emails landed in the
middle of the JSON. Standard error is where a person reading the console
still sees them.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.mail.backends.console import EmailBackend


class StderrEmailBackend(EmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("stream", sys.stderr)
        super().__init__(fail_silently=fail_silently, **kwargs)
