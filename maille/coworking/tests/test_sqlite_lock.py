"""SQLite's counterpart of a lost race: while another connection holds the
write lock, a booking that cannot take it is told the slot was just taken
(409), never a server error.

Real threads on the test database: SQLite tests run on a shared-cache
in-memory database, which every connection of the process opens; a writer's
lock there is refused at once ("database table is locked", SQLITE_LOCKED)
where a file database waits for its busy timeout and then says "database is
locked" (SQLITE_BUSY, the mapping checked by core/tests/test_lock_conflicts.py).
Both are the same lost race. The bookings here are free (a price of 0): no
ledger posting, whose SQLite triggers refuse the cleanup of a transactional test.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from maille.coworking.models import Booking, Series
from maille.coworking.tests.helpers import at, open_day, resource
from maille.coworking.tests.test_api import body, client_for, post

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock (PostgreSQL: test_races)")


def test_a_booking_that_cannot_take_the_write_lock_is_told_the_slot_was_taken(
    place, camille, camille_activity
):
    free_room = resource(place, name="Salle libre", hour="0.00")
    api = client_for(camille.user)
    # The token's first use writes its "last used" time: done now, before the lock.
    assert api.get("/api/v1/coworking/resources").status_code == 200
    held, release = threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:
        try:
            with transaction.atomic():
                Series.objects.create(description="another writer")
                held.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    other = threading.Thread(target=hold_the_write_lock)
    other.start()
    try:
        assert held.wait(timeout=30)
        day = open_day()
        answer = post(api, body(free_room, camille_activity, at(day, 9), at(day, 10)))
    finally:
        release.set()
        other.join(timeout=30)
    assert answer.status_code == 409, answer.content
    assert "vient d'être réservé" in answer.json()["detail"][0]["message"]
    assert not Booking.objects.exists()
    # The lock released, the same request books.
    assert post(api, body(free_room, camille_activity, at(day, 9), at(day, 10))).status_code == 201
