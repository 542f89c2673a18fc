"""Benchmark of the ledger on PostgreSQL: bulk posting, balances, trial balance.

Run from the repository root:

    DATABASE_URL=postgres://postgres@localhost:5432/maille \\
        .venv/bin/python bench/ledger.py [--lines 10000000] [--activities 20000]

It never touches the database named in DATABASE_URL: it works in a database
of the same name ending in ``_bench`` on the same server, created (and
migrated) if missing; ``--fresh`` empties its journal first, otherwise a
second run reuses the lines already there.

1. Bulk posting: ``--entries`` entries of 4 lines (an invoice: receivable,
   revenue, GST, QST) through ``entries_post_many``, ``--batch`` per
   transaction, with every trigger on. Target: 10 000 entries per second
   (issue 11; 3 000–4 300 before the COPY path of ``entries_post_many``,
   5 200–5 400 before the balances were summed by the database, 6 300–6 900 after).
   The same work by the database alone (``floor``): the same entries,
   transactions and statements, but each entry and line made by the server
   from generate_series, so that no application code runs; once with every
   rule on, once with the triggers and foreign keys off. The first shows
   how much of the posting's time is the database's; the gap to the second,
   what its rules cost.
2. Fill the journal up to ``--lines`` lines with INSERT … SELECT
   generate_series (balanced entries, triggers off for the load only), then
   rebuild the running balances and ANALYZE.
3. Balance of one activity (target < 20 ms) and the trial balance
   (target < 1 s), through the selectors the pages use, as of today and as
   of a day inside a month.

Figures only: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maille.settings")

import dj_database_url
import psycopg

START = dt.date(2025, 1, 1)
DAYS = 730  # two years of books


def bench_database() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (postgres://user@host:port/name).")
    config = dj_database_url.parse(url)
    name = config["NAME"] if config["NAME"].endswith("_bench") else f"{config['NAME']}_bench"
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


def setup_django(activities: int, fresh: bool) -> list[int]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from maille.members.models import Activity

    call_command("migrate", verbosity=0)
    if fresh:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE ledger_balance, ledger_journalline, ledger_journalentry, "
                "ledger_periodevent, ledger_period CASCADE"  # and what refers to entries
            )
            cursor.execute("UPDATE ledger_counter SET value = 0")
    have = Activity.objects.filter(code__startswith="B").count()
    if have < activities:
        Activity.objects.bulk_create(
            [
                Activity(code=f"B{i:07d}", name="Bench", start_date=START)
                for i in range(have, activities)
            ],
            batch_size=5000,
        )
    return list(
        Activity.objects.filter(code__startswith="B")
        .order_by("code")
        .values_list("pk", flat=True)[:activities]
    )


def bulk_posting(entries: int, batch: int, activity_ids: list[int]) -> float:
    from maille.ledger import accounts as acc
    from maille.ledger.models import JournalLine
    from maille.ledger.services import EntrySpec, LineSpec, entries_post_many
    from maille.members.models import Activity
    from maille.taxes import sales as taxes

    rng = random.Random(1)
    run = time.time_ns()  # fresh keys on every run: a replay would write nothing
    size = JournalLine.objects.count()
    pool = list(Activity.objects.filter(pk__in=activity_ids[:2000]))
    specs = []
    for i in range(entries):
        activity = rng.choice(pool)
        net = Decimal(rng.randint(10_000, 500_000)) / 100
        day = START + dt.timedelta(days=i % DAYS)
        # A Québec client's GST and QST from the dated rates (one source).
        sales = taxes.compute(lines=[taxes.TaxLine(net)], on=day, province="QC")
        gst, qst = sales.amount("GST"), sales.amount("QST")
        specs.append(
            EntrySpec(
                day,
                f"Invoice {i}",
                [
                    LineSpec(acc.AR, activity, net + gst + qst),
                    LineSpec(acc.REVENUE, activity, -net),
                    LineSpec(acc.GST_PAYABLE, activity, -gst),
                    LineSpec(acc.QST_PAYABLE, activity, -qst),
                ],
                f"bench:{run}:{i}",
            )
        )
    started = time.perf_counter()
    for start in range(0, entries, batch):
        entries_post_many(entries=specs[start : start + batch], acting_user=None)
    elapsed = time.perf_counter() - started
    rate = entries / elapsed
    say(
        f"bulk posting into {size:,} lines: {entries} entries ({entries * 4} lines) "
        f"in {elapsed:.2f} s "
        f"= {rate:,.0f} entries/s (batches of {batch}; target 10 000)"
    )
    return rate


def floor(entries: int, batch: int, activity_ids: list[int], *, rules: bool = True) -> float:
    """The database's own speed (module docstring, 1.): the same entries,
    transactions and statements as the bulk posting (the counter locked and
    moved, the entries, their lines, the running balances, the commit with its
    deferred checks), but each entry and line made by the server itself from
    ``generate_series``, so that no application code runs. ``rules=False``
    turns the triggers and foreign keys off for the session, as ``fill`` does
    (the entries are balanced by construction)."""
    from django.db import connection, transaction

    from maille.ledger import accounts as acc
    from maille.ledger.models import Account
    from maille.ledger.services import ENTRY_COUNTER, _add_lines_to_balances, _lock_ledger

    accounts = [
        Account.objects.get(code=code).pk
        for code in (acc.AR, acc.REVENUE, acc.GST_PAYABLE, acc.QST_PAYABLE)
    ]
    run = time.time_ns()
    with connection.cursor() as cursor:
        cursor.execute(f"SET session_replication_role = {'origin' if rules else 'replica'}")
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS bench_floor_activity AS "
            "SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM members_activity "
            "WHERE id = ANY(%s)",
            [activity_ids[:2000]],
        )
        started = time.perf_counter()
        for start in range(0, entries, batch):
            n = min(batch, entries - start)
            with transaction.atomic():
                first = _lock_ledger().value + 1
                cursor.execute(
                    "INSERT INTO ledger_journalentry (number, date, description, "
                    "idempotency_key, line_count, posted_at) "
                    "SELECT i, %s::date + (i %% %s)::int, 'Invoice ' || i, "
                    "'bench:floor:' || %s || ':' || i, 4, now() "
                    "FROM generate_series(%s::bigint, %s::bigint) AS i RETURNING id",
                    [START, DAYS, run, first, first + n - 1],
                )
                new_ids = [row[0] for row in cursor.fetchall()]
                cursor.execute(
                    "INSERT INTO ledger_journalline "
                    "(entry_id, account_id, activity_id, amount, date, memo) "
                    "SELECT e.id, x.account, a.id, x.amount, e.date, '' "
                    "FROM ledger_journalentry e "
                    "JOIN bench_floor_activity a ON a.n = e.number %% 2000, LATERAL (VALUES "
                    "(%s, 114.98), (%s, -100.00), (%s, -5.00), (%s, -9.98)) "
                    "AS x(account, amount) WHERE e.id = ANY(%s)",
                    [*accounts, new_ids],
                )
                cursor.execute(
                    "UPDATE ledger_counter SET value = value + %s WHERE name = %s",
                    [n, ENTRY_COUNTER],
                )
                _add_lines_to_balances(new_ids)
        elapsed = time.perf_counter() - started
        cursor.execute("SET session_replication_role = origin")
    rate = entries / elapsed
    say(
        f"the same work by the database alone, "
        f"{'every rule on' if rules else 'triggers and foreign keys off'}: {entries} entries "
        f"in {elapsed:.2f} s = {rate:,.0f} entries/s (batches of {batch})"
    )
    return rate


def fill(lines: int, activity_ids: list[int]) -> None:
    """Add balanced 4-line entries with generate_series until ``lines`` lines."""
    from django.db import connection

    from maille.ledger import accounts as acc
    from maille.ledger.models import Account
    from maille.taxes import sales as taxes

    # A Québec client's GST and QST rates on the first day, from the dated rates.
    rates = {
        t.code: t.rate
        for t in taxes.compute(lines=[taxes.TaxLine(Decimal(100))], on=START, province="QC").taxes
    }
    ids = {
        a.code: a.pk
        for a in Account.objects.filter(
            code__in=[acc.AR, acc.REVENUE, acc.GST_PAYABLE, acc.QST_PAYABLE]
        )
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ledger_journalline")
        have = cursor.fetchone()[0]
        todo = max(0, (lines - have) // 4)
        if not todo:
            return
        cursor.execute("SELECT value FROM ledger_counter WHERE name = 'journal_entry'")
        first = cursor.fetchone()[0] + 1
        say(f"filling: {todo:,} entries ({todo * 4:,} lines) with generate_series…")
        # A synthetic load of entries balanced by construction: the triggers
        # (and foreign-key checks) are off for this session only, and
        # `maille ledger verify` can prove the result afterwards.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "CREATE TEMP TABLE bench_activity AS "
            "SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM members_activity "
            "WHERE id = ANY(%s)",
            [activity_ids],
        )
        n_activities = len(activity_ids)
        chunk = 250_000
        started = time.perf_counter()
        for lo in range(first, first + todo, chunk):
            hi = min(lo + chunk, first + todo) - 1
            cursor.execute(
                "INSERT INTO ledger_journalentry (number, date, description, idempotency_key, "
                "line_count, posted_at) "
                "SELECT i, %s::date + (i %% %s)::int, 'Invoice ' || i, 'bench:fill:' || i, 4, "
                "now() "
                "FROM generate_series(%s::bigint, %s::bigint) AS i",
                [START, DAYS, lo, hi],
            )
            cursor.execute(
                "WITH e AS ("
                "  SELECT id, number, date, "
                "         (100 + number %% 4900 + (number %% 100) / 100.0)::numeric(14,2) AS net "
                "  FROM ledger_journalentry WHERE number BETWEEN %s AND %s"
                "), t AS ("
                "  SELECT e.*, round(net * %s, 2) AS gst, round(net * %s, 2) AS qst, "
                "         a.id AS activity_id "
                "  FROM e JOIN bench_activity a ON a.n = e.number %% %s"
                ") "
                "INSERT INTO ledger_journalline "
                "(entry_id, account_id, activity_id, amount, date, memo) "
                "SELECT id, x.account, activity_id, x.amount, date, '' FROM t, LATERAL (VALUES "
                "  (%s, net + gst + qst), (%s, -net), (%s, -gst), (%s, -qst)) "
                "AS x(account, amount)",
                [
                    lo,
                    hi,
                    rates["GST"],
                    rates["QST"],
                    n_activities,
                    ids[acc.AR],
                    ids[acc.REVENUE],
                    ids[acc.GST_PAYABLE],
                    ids[acc.QST_PAYABLE],
                ],
            )
            done = hi - first + 1
            rate = done / (time.perf_counter() - started)
            say(
                f"  {done * 4:>12,} / {todo * 4:,} lines ({100 * done // todo} %), "
                f"{rate * 4:,.0f} lines/s"
            )
        cursor.execute(
            "UPDATE ledger_counter SET value = %s WHERE name = 'journal_entry'", [first + todo - 1]
        )
        cursor.execute("SET session_replication_role = origin")
    say("rebuilding running balances…")
    from maille.ledger.services import balances_rebuild

    started = time.perf_counter()
    rows = balances_rebuild()
    say(f"  {rows:,} balance rows in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ledger_journalline")
        cursor.execute("ANALYZE ledger_journalentry")
        cursor.execute("ANALYZE ledger_balance")


def timed(fn: Any, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def reads(activity_ids: list[int]) -> None:
    from django.db import connection

    from maille.ledger import accounts as acc
    from maille.ledger.selectors import balance, trial_balance
    from maille.members.models import Activity

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ledger_journalline")
        total = cursor.fetchone()[0]
    say(f"reads over {total:,} lines:")
    rng = random.Random(2)
    activities = list(Activity.objects.filter(pk__in=rng.sample(activity_ids, 50)))
    mid = dt.date(2026, 6, 17)

    def one_activity() -> None:
        balance(activity=rng.choice(activities))

    def one_activity_mid() -> None:
        balance(activity=rng.choice(activities), as_of=mid)

    def one_pair() -> None:
        balance(account=acc.AR, activity=rng.choice(activities), as_of=mid)

    for label, fn, runs in [
        ("balance of one activity", one_activity, 200),
        ("balance of one activity as of a day in a month", one_activity_mid, 200),
        ("balance of (account, activity) as of a day", one_pair, 200),
        (
            "balance of one account (1100) as of a day",
            lambda: balance(account=acc.AR, as_of=mid),
            10,
        ),
        ("trial balance", lambda: trial_balance(), 5),
        ("trial balance as of a day in a month", lambda: trial_balance(as_of=mid), 5),
    ]:
        median, worst = timed(fn, runs)
        say(f"  {label:<48} median {median:8.2f} ms   max {worst:8.2f} ms")
    say("  targets: one activity < 20 ms; trial balance < 1 000 ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000, help="journal size to reach")
    parser.add_argument("--activities", type=int, default=20_000)
    parser.add_argument("--entries", type=int, default=30_000, help="entries for bulk posting")
    parser.add_argument("--batch", type=int, default=1_000, help="entries per transaction")
    parser.add_argument("--verify", action="store_true", help="run `ledger verify` at the end")
    parser.add_argument(
        "--fresh", action="store_true", help="empty the bench database's journal first"
    )
    args = parser.parse_args()
    name = bench_database()
    say(f"database {name}: {args.activities:,} activities, target {args.lines:,} lines")
    activity_ids = setup_django(args.activities, args.fresh)
    bulk_posting(args.entries, args.batch, activity_ids)
    fill(args.lines, activity_ids)
    bulk_posting(args.entries, args.batch, activity_ids)
    floor(args.entries, args.batch, activity_ids)
    floor(args.entries, args.batch, activity_ids, rules=False)
    reads(activity_ids)
    if args.verify:
        from maille.ledger.selectors import ledger_problems

        started = time.perf_counter()
        problems = ledger_problems()
        say(f"verify: {len(problems)} problem(s) in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
