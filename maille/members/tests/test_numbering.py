"""Member numbers and activity codes never collide, even when people act at once."""

import threading

import pytest
from django.db import connection, connections

from maille.members.models import Activity
from maille.members.services import activity_create


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_activities_get_distinct_codes(camille):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises writers)")
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def open_one(i: int) -> None:
        try:
            barrier.wait()
            activity_create(name=f"Parallèle {i}", owners=[camille], acting_user=None)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_one, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    codes = list(
        Activity.objects.filter(name__startswith="Parallèle").values_list("code", flat=True)
    )
    assert len(codes) == len(set(codes)) == 8


@pytest.mark.django_db
def test_numbers_continue_after_the_highest_in_use(camille):
    Activity.objects.create(code="A000041", name="Ancienne", start_date="2025-01-01")
    activity = activity_create(name="Nouvelle", owners=[camille], acting_user=None)
    assert activity.code == "A000042"
