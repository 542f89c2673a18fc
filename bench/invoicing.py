"""Benchmark of invoicing on PostgreSQL: issuing, the staff invoice list, PDFs.

Run from the repository root:

    DATABASE_URL=postgres://postgres@localhost:5432/maille \\
        .venv/bin/python bench/invoicing.py [--invoices 1000000] [--issue 2000] [--pdf 40]

It never touches the database named in DATABASE_URL: it works in a database
of the same name ending in ``_invbench`` on the same server, created and
migrated if missing. The first run fills it with the demo generators
(members, clients, then ``--invoices`` invoices); later runs reuse them.

1. Issuing: ``--issue`` drafts (made first, not timed) issued one by one
   through ``invoice_issue`` — lock, checks, number, taxes, snapshot, ledger
   postings (invoice and contribution), one transaction each. Target ≥ 100/s.
2. The staff invoice list page (``/invoices/`` with its totals) under a mix
   of filters, through Django's test client in this process. Target p95 <
   150 ms.
3. Invoice PDFs (PDF/A-3 + Factur-X) rendered one after the other in this
   process (one core). Target ≥ 8 per second.

Figures only: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maille.settings")
os.environ.setdefault("DEBUG", "0")  # as in production: no query log kept in memory

import dj_database_url
import psycopg


def bench_database() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (postgres://user@host:port/name).")
    config = dj_database_url.parse(url)
    name = config["NAME"] if config["NAME"].endswith("_invbench") else f"{config['NAME']}_invbench"
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


def progress(label: str) -> Any:
    started = time.perf_counter()

    def report(done: int, total: int) -> None:
        if done == total or done % 50_000 < 5000:
            rate = done / max(time.perf_counter() - started, 1e-9)
            sys.stderr.write(f"\r{label}: {done}/{total} ({rate:,.0f}/s)   ")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

    return report


def setup(invoices: int) -> Any:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from maille.clients.models import Client
    from maille.core.models import Role, User
    from maille.demo import clients as clients_demo
    from maille.demo import invoicing as invoicing_demo
    from maille.demo import members as members_demo
    from maille.invoicing.models import Invoice
    from maille.members.models import Member

    call_command("migrate", verbosity=0)
    staff, _created = User.objects.get_or_create(
        email="bench-staff@maille.coop", defaults={"role": Role.STAFF, "first_name": "Bench"}
    )
    if Member.objects.count() < 2000:
        members_demo.generate(count=2000, seed=7, progress=progress("members"))
    if Client.objects.count() < 20000:
        clients_demo.generate(count=20000, seed=7, progress=progress("clients"))
    have = Invoice.objects.count()
    if have < invoices:
        started = time.perf_counter()
        invoicing_demo.generate(count=invoices - have, seed=7 + have, progress=progress("invoices"))
        say(f"generated {invoices - have:,} invoices in {time.perf_counter() - started:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    with connection.cursor() as cursor:
        # The visibility map lets the period totals come from the index alone.
        cursor.execute("VACUUM ANALYZE invoicing_invoice")
    say(f"database: {Invoice.objects.count():,} invoices and credit notes")
    return staff


def bench_issue(staff: Any, count: int) -> None:
    from maille.clients.models import Client
    from maille.contracts.models import Unit
    from maille.invoicing import services
    from maille.members.models import Activity, ActivityKind

    rng = random.Random(11)
    activities = list(
        Activity.objects.filter(kind=ActivityKind.MEMBER, status="open").prefetch_related("owners")[
            :200
        ]
    )
    clients = list(Client.objects.filter(country="CA").order_by("pk")[:500])
    drafts = [
        services.invoice_create(
            activity=rng.choice(activities),
            client=rng.choice(clients),
            acting_user=staff,
            lines=[
                {
                    "description": "Travail",
                    "quantity": str(rng.randint(1, 30)),
                    "unit": Unit.HOUR,
                    "unit_price": f"{rng.randint(50, 150)}.00",
                }
            ],
        )
        for _ in range(count)
    ]
    half = count // 2
    started = time.perf_counter()
    for draft in drafts[:half]:
        services.invoice_issue(invoice=draft, acting_user=staff)
    elapsed = time.perf_counter() - started
    say(
        f"issuing one by one: {half} invoices in {elapsed:.2f} s = {half / elapsed:,.0f}/s "
        "(lock, checks, number, taxes, 2 ledger entries; one transaction each; target >= 100)"
    )
    started = time.perf_counter()
    issued, failed = services.invoice_issue_many(invoices=drafts[half:], acting_user=staff)
    elapsed = time.perf_counter() - started
    say(
        f"issuing as staff do in bulk: {len(issued)} invoices in {elapsed:.2f} s = "
        f"{len(issued) / elapsed:,.0f}/s (100 to a transaction, one ledger call each; "
        f"{len(failed)} refused)"
    )


def bench_list(staff: Any, requests: int) -> None:
    from django.test import Client

    from maille.invoicing.models import Invoice

    client = Client(HTTP_HOST="localhost")
    client.force_login(staff)
    sample = list(
        Invoice.objects.exclude(number=None)
        .order_by("?")
        .values_list("activity_id", "client_id", "number")[:50]
    )
    kinds: dict[str, list[str]] = {
        "default (3 months)": ["/invoices/"],
        "page 3": ["/invoices/?page=3"],
        "status=issued": ["/invoices/?status=issued"],
        "overdue": ["/invoices/?overdue=on"],
        "drafts": ["/invoices/?status=draft"],
        "a quarter": ["/invoices/?date_from=2026-01-01&date_to=2026-03-31"],
        "one activity": [f"/invoices/?activity={a}&date_from=2020-01-01" for a, _c, _n in sample],
        "one client": [f"/invoices/?client={c}&date_from=2020-01-01" for _a, c, _n in sample],
        "number": [f"/invoices/?q={n}&date_from=2020-01-01" for _a, _c, n in sample],
    }
    names = list(kinds)
    for name in names:
        client.get(kinds[name][0])  # warm up
    timings: dict[str, list[float]] = {}
    for i in range(requests):
        kind = names[i % len(names)]
        url = kinds[kind][(i // len(names)) % len(kinds[kind])]
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            say(f"  {url}: HTTP {response.status_code}")
        timings.setdefault(kind, []).append(elapsed)
    every = sorted(t for values in timings.values() for t in values)
    p95 = every[int(len(every) * 0.95) - 1]
    say(
        f"staff invoice list: {len(every)} requests, each filter equally often: p50 "
        f"{statistics.median(every):.0f} ms, p95 {p95:.0f} ms, max {every[-1]:.0f} ms "
        "(target p95 < 150 ms)"
    )
    for kind, values in timings.items():
        values.sort()
        say(
            f"  {kind:<20} n={len(values):<4} p50 {statistics.median(values):6.0f} ms  "
            f"p95 {values[max(int(len(values) * 0.95) - 1, 0)]:6.0f} ms"
        )


def bench_pdf(count: int) -> None:
    from maille.invoicing.documents import invoice_pdf
    from maille.invoicing.models import Invoice

    invoices = list(
        Invoice.objects.exclude(number=None)
        .filter(kind="invoice")
        .select_related("client", "activity", "member__user", "quote")
        .order_by("-pk")[:count]
    )
    invoice_pdf(invoices[0])  # fonts and stylesheet loaded once per process
    for facturx in (True, False):
        started = time.perf_counter()
        for invoice in invoices:
            invoice_pdf(invoice, facturx=facturx)
        elapsed = time.perf_counter() - started
        label = "PDF/A-3 + Factur-X" if facturx else "plain PDF"
        say(
            f"invoice PDFs ({label}): {count} in {elapsed:.2f} s = {count / elapsed:.1f} per "
            "second on one core (target ≥ 8)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--issue", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--pdf", type=int, default=40)
    args = parser.parse_args()
    say(f"bench database: {bench_database()}")
    staff = setup(args.invoices)
    bench_issue(staff, args.issue)
    bench_list(staff, args.requests)
    bench_pdf(args.pdf)


if __name__ == "__main__":
    main()
