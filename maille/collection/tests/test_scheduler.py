"""The collection run is one of the scheduler's daily jobs, at its own time (9:00)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from maille.collection import tasks
from maille.collection.models import DunningPolicy
from maille.web.management.commands.scheduler import DAILY_JOBS, next_runs

pytestmark = pytest.mark.django_db
MTL = ZoneInfo("America/Montreal")


def test_the_collection_job_runs_at_the_policys_time():
    job = next(j for j in DAILY_JOBS if j.task is tasks.collection_daily_run)
    assert job.at() == dt.time(9, 0)
    DunningPolicy.objects.update(run_at=dt.time(10, 30))
    assert job.at() == dt.time(10, 30)


def test_each_job_comes_at_its_own_time():
    now = dt.datetime(2026, 4, 6, 3, 0, tzinfo=MTL)
    runs = {job.task.name: when for when, job in next_runs(now)}
    assert runs["collection_daily_run"] == dt.datetime(2026, 4, 6, 9, 0, tzinfo=MTL)
    assert runs["sessions_clear_expired"] == dt.datetime(2026, 4, 7, 2, 0, tzinfo=MTL)
