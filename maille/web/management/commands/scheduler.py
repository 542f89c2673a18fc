"""``maille scheduler``: enqueue the daily jobs at 02:00 (America/Montreal).

    maille scheduler           # runs forever, one enqueue per day
    maille scheduler --once    # enqueue today's jobs now and exit

Instead of the long-running process a cron line does the same:
``0 2 * * *  maille scheduler --once``. Jobs are idempotent, so a double run
is harmless; the task worker (``maille worker``) executes them.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.tasks import Task
from django.utils import timezone

from maille.core import tasks as core_tasks

DAILY_JOBS: list[Task[..., int]] = [
    core_tasks.sessions_clear_expired,
    core_tasks.login_attempts_prune,
]
RUN_AT = dt.time(2, 0)


class Command(BaseCommand):
    help = "Enqueue the daily jobs (reminders, guarantee payouts, housekeeping)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="enqueue now and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            self.enqueue_all()
            return
        while True:  # pragma: no cover — a daemon loop; --once is what tests run
            now = timezone.localtime()
            next_run = timezone.make_aware(dt.datetime.combine(now.date(), RUN_AT))
            if next_run <= now:
                next_run += dt.timedelta(days=1)
            self.stdout.write(f"Next run at {next_run.isoformat()}")
            time.sleep((next_run - now).total_seconds())
            self.enqueue_all()

    def enqueue_all(self) -> None:
        for job in DAILY_JOBS:
            result = job.enqueue()
            self.stdout.write(f"{job.name}: {result.status}")
