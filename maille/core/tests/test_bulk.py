"""``bulk_insert``: every row in, in order, with its id, its defaults and the
same values read back, on SQLite (bulk_create) and PostgreSQL (COPY)."""

from __future__ import annotations

import datetime as dt

import pytest

from maille.core.bulk import bulk_insert
from maille.members.models import Activity, ActivityKind, ActivityStatus
from maille.payments.models import BankAccount

pytestmark = pytest.mark.django_db


def test_rows_go_in_with_their_ids_and_defaults():
    rows = [
        {"code": f"BULK{i:03d}", "name": f"Bulk {i}", "start_date": dt.date(2026, 1, 1 + i)}
        for i in range(3)
    ]
    rows[2]["status"] = ActivityStatus.CLOSED
    made = bulk_insert(Activity, rows)
    assert [a.code for a in made] == ["BULK000", "BULK001", "BULK002"]
    assert all(a.pk is not None for a in made)
    stored = {a.pk: a for a in Activity.objects.filter(code__startswith="BULK")}
    assert set(stored) == {a.pk for a in made}
    for a in made:
        back = stored[a.pk]
        assert (back.code, back.name, back.start_date) == (a.code, a.name, a.start_date)
        assert back.kind == a.kind == Activity._meta.get_field("kind").get_default()
        assert back.status == a.status
    assert stored[made[2].pk].status == ActivityStatus.CLOSED
    assert stored[made[0].pk].status == Activity._meta.get_field("status").get_default()
    assert made[0].kind in ActivityKind.values


def test_nothing_to_insert():
    assert bulk_insert(Activity, []) == []


def test_a_model_with_a_json_field_is_refused():
    with pytest.raises(TypeError, match="csv_mapping"):
        bulk_insert(BankAccount, [{"name": "x"}])
