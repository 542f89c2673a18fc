"""Benchmark of a pay run on PostgreSQL: 20 000 members computed, posted, stored; payslip PDFs.

Run from the repository root:

    DATABASE_URL=postgres://postgres@localhost:5432/maille \\
        .venv/bin/python bench/payroll_run.py [--members 20000] [--pdf 40] [--workers 1]

It never touches the database named in DATABASE_URL: it works in a database
of the same name ending in ``_paybench`` on the same server, created and
migrated if missing. Set-up (not timed): the demo generator's members, a
guarantee advance on each activity, and one approved salary request per
member for the next pay date (solved by the engine, reserved on the budget),
made in bulk. Each run of the script uses the next pay date of the calendar.

1. The run: prepare, approve and post (``payrun_post``: payslips, their
   year-to-date, ledger entries, reservations released), by ``--workers``
   processes sharing the run (SKIP LOCKED). Target: at most 60 s with two
   workers and a peak resident memory under 500 MB. ``--profile`` prints the
   hot spots of one worker's posting (cProfile) and its queries per payslip.
2. Payslip PDFs rendered as the task workers do (``payslip_pdfs_render``:
   chunks claimed, PDFs stored, emails queued), on one worker. Target ≥ 8/s.

Tasks go to the database queue (``MAILLE_TASKS_DB``), as in production: the
run's rendering job is queued, not run inline by the posting.

Figures only: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maille.settings")
os.environ.setdefault("DEBUG", "0")  # as in production: no query log kept in memory
os.environ.setdefault("MAILLE_TASKS_DB", "1")  # jobs queued as in production, not run inline

import dj_database_url
import psycopg


def bench_database() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (postgres://user@host:port/name).")
    config = dj_database_url.parse(url)
    name = config["NAME"] if config["NAME"].endswith("_paybench") else f"{config['NAME']}_paybench"
    admin = psycopg.connect(
        host=config["HOST"] or "localhost",
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    base = url.rsplit("/", 1)[0]
    os.environ["DATABASE_URL"] = f"{base}/{name}"
    return name


def say(text: str) -> None:
    print(text, flush=True)


def peak_mb() -> float:
    """The largest resident set of this process or of a worker it started, in MB."""
    mine = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(mine, workers) / 1024


def _cpu_seconds() -> float:
    mine = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + workers.ru_utime + workers.ru_stime


def setup(count: int) -> tuple[Any, dt.date]:
    import logging

    import django

    django.setup()
    for noisy in ("weasyprint", "fontTools", "django.tasks"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    from django.core.management import call_command
    from django.db import transaction

    from maille.budgets.models import BudgetReservation
    from maille.core.models import Role, User
    from maille.demo import members as members_demo
    from maille.ledger import accounts
    from maille.ledger.services import EntrySpec, LineSpec, entries_post_many
    from maille.members.models import Activity, ActivityKind, Member, MemberStatus
    from maille.payroll.calendar import pay_periods
    from maille.payroll.engine import YearToDate, calculate, load_params
    from maille.payroll.models import (
        PayrollOperationsSettings,
        PayRun,
        RequestBasis,
        RequestStatus,
        SalaryRequest,
    )
    from maille.payroll.pay import pay_input
    from maille.payroll.selectors import employer_rates_on

    call_command("migrate", verbosity=0)
    staff, _created = User.objects.get_or_create(
        email="bench-staff@maille.coop", defaults={"role": Role.STAFF, "first_name": "Bench"}
    )
    PayrollOperationsSettings.objects.get_or_create(
        valid_from=dt.date(2020, 1, 1),
        defaults={
            "first_pay_date": dt.date(2026, 1, 8),
            "originator_id": "0000012345",
            "originator_short_name": "COOP MAILLE",
            "originator_long_name": "COOPERATIVE MAILLE",
            "return_account": "815-30001-0000001",
        },
    )
    started = time.perf_counter()
    while (have := Member.objects.filter(status=MemberStatus.ACTIVE).count()) < count:
        # The generator makes some applicants and former members too.
        members_demo.generate(count=int((count - have) * 1.3) + 10, seed=11 + have)
        say(f"members: {have:,} active after {time.perf_counter() - started:.0f} s")
    members = list(Member.objects.filter(status=MemberStatus.ACTIVE).order_by("pk")[:count])
    activity_of = dict(
        Activity.objects.filter(kind=ActivityKind.MEMBER, owners__in=members).values_list(
            "owners", "pk"
        )
    )
    used = set(PayRun.objects.values_list("pay_date", flat=True))
    period = next(p for y in (2026, 2027, 2028) for p in pay_periods(y) if p.pay_date not in used)
    params = load_params(period.pay_date.year)
    employer = employer_rates_on(period.pay_date)
    fonds = Activity.objects.get(code="FONDS")
    started = time.perf_counter()
    with transaction.atomic():
        by_pk = {a.pk: a for a in Activity.objects.filter(pk__in=activity_of.values())}
        entries_post_many(
            entries=[
                EntrySpec(
                    date=period.pay_date - dt.timedelta(days=10),
                    description="Avance du fonds (banc d'essai)",
                    lines=[
                        LineSpec(accounts.BANK, fonds, Decimal("5000.00")),
                        LineSpec(accounts.GUARANTEED_BUDGET, by_pk[pk], Decimal("-5000.00")),
                    ],
                    idempotency_key=f"bench:advance:{pk}:{period.pay_date}",
                )
                for pk in by_pk
            ],
            acting_user=staff,
        )
        requests = []
        for i, member in enumerate(members):
            gross = Decimal(1500 + (i * 37) % 2500)
            pay = pay_input(
                record=None,
                member=member,
                period=period,
                params=params,
                employer=employer,
                ytd=YearToDate(),
                gross=gross,
            )
            cost = calculate(pay, params).total_cost
            requests.append(
                SalaryRequest(
                    member=member,
                    activity_id=activity_of[member.pk],
                    pay_date=period.pay_date,
                    basis=RequestBasis.GROSS,
                    amount=gross,
                    hours=Decimal("70"),
                    gross=gross,
                    total_cost=cost,
                    budget_at_request=Decimal("5000.00"),
                    status=RequestStatus.APPROVED,
                    created_by=staff,
                )
            )
        made = SalaryRequest.objects.bulk_create(requests, batch_size=2000)
        BudgetReservation.objects.bulk_create(
            [
                BudgetReservation(
                    activity_id=r.activity_id, amount=r.total_cost, key=r.reservation_key
                )
                for r in made
            ],
            batch_size=2000,
        )
    say(
        f"set-up: {len(made):,} requests for {period.pay_date} "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return staff, period.pay_date


def _post_worker(ids: tuple[int, int]) -> int:
    from django.db import connections

    from maille.core.models import User
    from maille.payroll import services
    from maille.payroll.models import PayRun

    connections.close_all()
    run = services.payrun_post(
        run=PayRun.objects.get(pk=ids[0]), acting_user=User.objects.get(pk=ids[1])
    )
    return run.progress_done


def bench_run(staff: Any, pay_date: dt.date, workers: int = 1) -> Any:
    from maille.payroll import services

    before = peak_mb()
    started = time.perf_counter()
    cpu_before = _cpu_seconds()
    run = services.payrun_prepare(pay_date=pay_date, acting_user=staff)
    services.payrun_approve(run=run, acting_user=staff)

    def progress(done: int, total: int) -> None:
        sys.stderr.write(f"\rposting: {done}/{total}   ")
        sys.stderr.flush()

    if workers > 1:
        # Several worker processes share the run: each claims chunks of requests
        # with SKIP LOCKED (maille.payroll.services.payrun_post).
        import multiprocessing

        from django.db import connections

        connections.close_all()
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            pool.map(_post_worker, [(run.pk, staff.pk)] * workers)
        run.refresh_from_db()
    else:
        run = services.payrun_post(run=run, acting_user=staff, progress=progress)
    elapsed = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_before
    sys.stderr.write("\n")
    say(
        f"CPU time of the posting processes: {cpu:.1f} s "
        f"(the database server's is not counted; load average now {os.getloadavg()[0]:.1f})"
    )
    say(
        f"pay run of {run.progress_done:,} payslips, {workers} worker(s): {elapsed:.1f} s "
        f"({run.progress_done / elapsed:,.0f}/s; target ≤ 60 s for 20 000), "
        f"peak memory {peak_mb():.0f} MB (before the run {before:.0f} MB; target < 500 MB)"
    )
    return run


def bench_pdf(run: Any, count: int) -> None:
    from maille.payroll.rendering import payslip_pdfs_render

    payslip_pdfs_render(run=run, limit=1)  # fonts and templates loaded once, as in a worker
    started, cpu = time.perf_counter(), time.process_time()
    done = payslip_pdfs_render(run=run, limit=count)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    # The CPU time is what the worker itself spent: on a machine shared with
    # other work, the wall-clock rate falls with the load, not this one.
    say(
        f"payslip PDFs: {done} rendered and stored in {elapsed:.1f} s, "
        f"{done / elapsed:.1f}/s on one worker (target ≥ 8/s); "
        f"{cpu / done * 1000:.0f} ms of CPU each ({done / cpu:.1f}/s of CPU time)"
    )


def profile_chunk(staff: Any, pay_date: dt.date, chunk: int) -> None:
    """Post one chunk of the run under cProfile, counting its queries."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from maille.payroll import services

    run = services.payrun_prepare(pay_date=pay_date, acting_user=staff)
    if run.status == "draft":
        services.payrun_approve(run=run, acting_user=staff)
    profiler = cProfile.Profile()

    class Stop(Exception):
        pass

    def stop_after_one(done: int, total: int) -> None:
        raise Stop

    with CaptureQueriesContext(connection) as queries:
        profiler.enable()
        with contextlib.suppress(Stop):
            services.payrun_post(run=run, acting_user=staff, chunk=chunk, progress=stop_after_one)
        profiler.disable()
    say(f"one chunk of {chunk}: {len(queries)} queries ({len(queries) / chunk:.2f} per payslip)")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=20000)
    parser.add_argument("--pdf", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2, help="worker processes posting the run")
    parser.add_argument(
        "--profile",
        type=int,
        metavar="CHUNK",
        help="profile one chunk of CHUNK payslips, then stop",
    )
    options = parser.parse_args()
    say(f"database: {bench_database()}")
    staff, pay_date = setup(options.members)
    if options.profile:
        profile_chunk(staff, pay_date, options.profile)
        return
    run = bench_run(staff, pay_date, options.workers)
    bench_pdf(run, options.pdf)


if __name__ == "__main__":
    main()
