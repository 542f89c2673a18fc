"""A lost lock race is recognised on both databases: PostgreSQL's deadlock and
serialization codes, and SQLite's "database is locked" (a real one, made by
two connections to one file) — other operational errors are not."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import OperationalError

from maille.core.db import is_lock_conflict


def _wrapped(cause: Exception) -> OperationalError:
    """As Django's database wrapper raises it: its own class, the driver's error as cause."""
    try:
        raise OperationalError(*cause.args) from cause
    except OperationalError as exc:
        return exc


def test_sqlite_database_is_locked_is_a_lock_conflict(tmp_path):
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as locked:
        other.execute("BEGIN IMMEDIATE")
    holder.execute("ROLLBACK")
    holder.close()
    other.close()
    assert "database is locked" in str(locked.value)
    assert is_lock_conflict(_wrapped(locked.value))


def test_other_sqlite_errors_are_not(tmp_path):
    db = sqlite3.connect(tmp_path / "plain.sqlite3")
    with pytest.raises(sqlite3.OperationalError) as missing:
        db.execute("SELECT * FROM nowhere")
    db.close()
    assert not is_lock_conflict(_wrapped(missing.value))
