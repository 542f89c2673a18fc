"""``maille scheduler``: enqueue each daily job at its own time (America/Montreal).

    maille scheduler           # runs forever, each job once a day at its time
    maille scheduler --once    # enqueue every job now and exit

Each job in ``DAILY_JOBS`` has its run time: housekeeping at 02:00, the
collection run at the dunning policy's time (9:00 by default: it contacts
clients, so it runs inside the contact window; on a weekend or a holiday it
queues what it would send until the next working day). Instead of the
long-running process, cron lines do the same (``maille scheduler --once``
per job time). Jobs are idempotent, so a double run is harmless; the task
worker (``maille worker``) executes them.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.tasks import Task
from django.utils import timezone

from maille.collection import tasks as collection_tasks
from maille.collection.selectors import daily_run_time
from maille.core import tasks as core_tasks
from maille.coworking import tasks as coworking_tasks
from maille.expenses import tasks as expenses_tasks
from maille.governance import tasks as governance_tasks
from maille.guarantee import tasks as guarantee_tasks


@dataclass(frozen=True)
class DailyJob:
    task: Task[..., int]
    at: Callable[[], dt.time]  #: read at each turn: a policy may move it


def _at(hour: int, minute: int = 0) -> Callable[[], dt.time]:
    return lambda: dt.time(hour, minute)


DAILY_JOBS: list[DailyJob] = [
    DailyJob(core_tasks.sessions_clear_expired, _at(2)),
    DailyJob(core_tasks.login_attempts_prune, _at(2)),
    DailyJob(collection_tasks.collection_daily_run, daily_run_time),
    # Overdue equipment: the member is reminded in the morning, once a day.
    DailyJob(coworking_tasks.coworking_overdue_loans, _at(8)),
    DailyJob(guarantee_tasks.guarantee_daily, _at(2)),
    # Receipt files past their 6-year retention (quebec-operations.md §7).
    DailyJob(expenses_tasks.receipts_purge_expired, _at(3)),
    # A withdrawn member's activities close once their balances are settled.
    DailyJob(governance_tasks.governance_close_settled_activities, _at(3)),
]


def next_runs(now: dt.datetime) -> list[tuple[dt.datetime, DailyJob]]:
    """Each job's next run after ``now``, earliest first."""
    local = timezone.localtime(now)
    runs = []
    for job in DAILY_JOBS:
        moment = timezone.make_aware(dt.datetime.combine(local.date(), job.at()))
        if moment <= local:
            moment += dt.timedelta(days=1)
        runs.append((moment, job))
    runs.sort(key=lambda pair: pair[0])
    return runs


class Command(BaseCommand):
    help = "Enqueue the daily jobs (collection, guarantee payouts, housekeeping), each at its time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="enqueue every job now and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            for job in DAILY_JOBS:
                self.enqueue(job)
            return
        while True:  # pragma: no cover — a daemon loop; --once is what tests run
            now = timezone.localtime()
            runs = next_runs(now)
            moment = runs[0][0]
            self.stdout.write(f"Next run at {moment.isoformat()}")
            time.sleep(max(0.0, (moment - timezone.localtime()).total_seconds()))
            for when, job in runs:
                if when == moment:
                    self.enqueue(job)

    def enqueue(self, job: DailyJob) -> None:
        result = job.task.enqueue()
        self.stdout.write(f"{job.task.name}: {result.status}")
