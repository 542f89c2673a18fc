"""32 daily runs at once on PostgreSQL: each step still happens once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from maille.collection.dunning import collection_run
from maille.collection.models import CollectionCase, InvoiceDunning, Reminder
from maille.tests_support.races import RACERS, race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between threads need PostgreSQL")


def test_32_runs_at_once_send_each_reminder_once(issue, camille_activity, client_qc, contact):
    with time_machine.travel(dt.datetime(2026, 3, 2, 17, tzinfo=dt.UTC), tick=False):
        for _ in range(3):
            issue(camille_activity, client_qc)
    day = dt.date(2026, 4, 6)
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    answers = race(lambda i: collection_run(date=day, now=moment))
    assert not [a for a in answers if isinstance(a, Exception)], answers
    assert sum(a.reminders for a in answers) == 3
    assert len(answers) == RACERS
    assert Reminder.objects.count() == 3
    assert InvoiceDunning.objects.count() == 3
    assert CollectionCase.objects.count() == 1
