"""Benchmark of the daily collection run on PostgreSQL (issue 14).

Run from the repository root:

    DATABASE_URL=postgres://postgres@localhost:5432/maille \\
        .venv/bin/python bench/collection.py [--invoices 200000] [--overdue 20000]

It works in a database of the same name ending in ``_bench`` (as
``bench/ledger.py``). It writes ``--invoices`` open invoices, of which
``--overdue`` are past their due date (by 1 to 60 days), with the demo's
bulk generator, then:

1. the day's run (``maille collection run``'s service) on the next working
   day at 9:00: target ≤ 30 s;
2. the same run again: target ≤ 5 s, and it sends nothing.

Emails are not sent (a dummy task backend): the run is what is measured.
Figures only: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maille.settings")

from bench.ledger import bench_database, say


def setup(invoices: int, overdue: int, seed: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings

    # Through ``override_settings``: its signal resets the task backends, which
    # the apps' ``@task`` declarations already built (an assignment would not).
    override_settings(
        TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    ).enable()
    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from maille.demo import clients, invoicing, members
    from maille.invoicing.models import Invoice
    from maille.members.models import Activity

    today = timezone.localdate()
    open_ = Invoice.objects.filter(status__in=["issued", "partially_paid"], kind="invoice")
    have_late = open_.filter(due_date__lt=today).count()
    have = open_.count()
    if not Activity.objects.filter(kind="member").exists():
        members.generate(count=200, seed=seed)
    from maille.clients.models import Client

    if Client.objects.count() < 20_000:
        clients.generate(count=20_000, seed=seed)
    started = time.perf_counter()
    if have_late < overdue:
        say(f"generating {overdue - have_late:,} overdue invoices…")
        # Issued 31 to 90 days ago, due 30 days later: 1 to 60 days overdue.
        invoicing.generate(
            count=overdue - have_late,
            seed=seed + have,
            start=today - dt.timedelta(days=31),
            days=60,
        )
    current = have - have_late
    if current < invoices - overdue:
        say(f"generating {invoices - overdue - current:,} invoices not yet due…")
        invoicing.generate(count=invoices - overdue - current, seed=seed + have + 1, days=29)
    say(f"  set up in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invoices", type=int, default=200_000)
    parser.add_argument("--overdue", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    name = bench_database()
    say(f"database {name}: {args.invoices:,} open invoices, {args.overdue:,} overdue")
    setup(args.invoices, args.overdue, args.seed)
    from django.db import connection
    from django.utils import timezone

    from maille.collection.calendar import next_working_day
    from maille.collection.dunning import collection_run
    from maille.collection.models import InvoiceDunning, Reminder
    from maille.invoicing.models import Invoice

    # A fresh start for the run: what earlier benchmark runs did is forgotten.
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE collection_reminder, collection_caseevent, collection_invoicedunning, "
            "collection_promise, collection_dispute, collection_instalment, "
            "collection_paymentplan_invoices, collection_paymentplan CASCADE"
        )
    day = next_working_day(timezone.localdate())
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    open_ = Invoice.objects.filter(status__in=["issued", "partially_paid"], kind="invoice")
    say(
        f"open invoices: {open_.count():,}; "
        f"overdue on {day}: {open_.filter(due_date__lt=day).count():,}"
    )
    started = time.perf_counter()
    first = collection_run(date=day, now=moment)
    say(f"first run: {time.perf_counter() - started:.1f} s (target ≤ 30 s): {first.as_dict()}")
    started = time.perf_counter()
    second = collection_run(date=day, now=moment)
    say(f"second run: {time.perf_counter() - started:.2f} s (target ≤ 5 s): {second.as_dict()}")
    say(
        f"reminders written: {Reminder.objects.count():,}; invoices followed: "
        f"{InvoiceDunning.objects.count():,}"
    )


if __name__ == "__main__":
    main()
