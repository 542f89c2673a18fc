"""Lost races between transactions: recognise them, retry once, then say so.

Two transactions that lock the same rows in opposite orders deadlock; the
database aborts one of them (PostgreSQL SQLSTATE 40P01). Every service locks
in one order (documents by id, then their quote, then the numbering counter,
then the ledger's counter), which leaves only rare cases; for those the
aborted transaction is retried once from the start, and a second loss is
reported to the person as a conflict (HTTP 409), never as a server error.
SQLite has no deadlocks (its writers queue on one lock, ``transaction_mode``
IMMEDIATE), but a writer that waited past the busy timeout gets "database is
locked": the same lost race, answered the same way.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext as _

from maille.core.exceptions import DomainError

# deadlock_detected, serialization_failure, lock_not_available
LOCK_CONFLICT_STATES = frozenset({"40P01", "40001", "55P03"})
# SQLite: SQLITE_BUSY ("database is locked": another writer kept the lock past
# the busy timeout) and SQLITE_LOCKED ("database table is locked": a lock of a
# shared cache, not waited for), whatever their extended code (the low byte).
SQLITE_LOCK_CODES = frozenset({5, 6})


class ConcurrentChange(DomainError):
    """Another person's simultaneous change won; the caller may try again (409)."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("Someone else changed this at the same moment. Try again."))


def is_lock_conflict(exc: BaseException) -> bool:
    """A lost lock race reported by the database: on PostgreSQL a deadlock, a
    serialization failure or a lock not available; on SQLite a lock not taken."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__ or exc.__context__
    state = getattr(cause, "sqlstate", None) or getattr(exc, "sqlstate", None)
    if state in LOCK_CONFLICT_STATES:
        return True
    code = getattr(cause, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in SQLITE_LOCK_CODES


def run_retrying_once[T](work: Callable[[], T]) -> T:
    """Run ``work`` in its own transaction; retry once after a lost lock race.

    Inside a caller's transaction there is nothing to retry (the database has
    aborted the caller's whole transaction): the conflict is reported at once.
    """
    attempts = 1 if connection.in_atomic_block else 2
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                return work()
        except OperationalError as exc:
            if not is_lock_conflict(exc):
                raise
            if attempt == attempts - 1:
                raise ConcurrentChange from exc
    raise AssertionError("unreachable")
