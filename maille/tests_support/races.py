"""Many simultaneous requests, for the "only once" rules (PostgreSQL tests).

``race(n, send)`` starts ``n`` threads that wait at one barrier, then each
calls ``send(i)`` (usually one HTTP request through its own test client and
its own database connection) and returns the answers in thread order. A
thread that raised gives its exception instead of an answer, so the test
sees a server error as a failure it can name.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import connections

RACERS = 32


def race(send: Callable[[int], Any], n: int = RACERS) -> list[Any]:
    barrier = threading.Barrier(n)
    answers: list[Any] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            answers[i] = send(i)
        except Exception as exc:  # the test inspects what each thread got
            answers[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def statuses(answers: list[Any]) -> Counter[int | str]:
    """How many answers of each HTTP status (an exception counts by its name)."""
    return Counter(
        a.status_code if hasattr(a, "status_code") else type(a).__name__ for a in answers
    )
