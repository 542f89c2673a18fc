"""Benchmark of the guarantee fund's daily job and page on PostgreSQL (issue 13).

Run from the repository root:

    DATABASE_URL=postgres://postgres@localhost:5432/maille \\
        .venv/bin/python bench/guarantee.py [--invoices 200000]

It works in a database of the same name ending in ``_bench`` (as
``bench/ledger.py``). It writes ``--invoices`` open invoices (in bulk, with
their ledger entries), records a signed contract for each (so all are
eligible), gives the fund a reserve and a policy whose limits leave room, then:

1. the daily job (``guarantee_run``): target ≤ 30 s for 200 000 open invoices;
2. the daily job again for the same date, nothing new: target ≤ 5 s;
3. the members' fund page (``GET /fonds/``): target < 200 ms.

Figures only: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maille.settings")

from bench.ledger import bench_database, say
from bench.payments import setup


def prepare(on: dt.date) -> int:
    from maille.guarantee.models import Advance, GuaranteePolicy, SignedContract
    from maille.invoicing.models import Invoice
    from maille.ledger import accounts
    from maille.ledger.services import LineSpec, entry_post
    from maille.members.models import Activity

    GuaranteePolicy.objects.update_or_create(
        valid_from=dt.date(2000, 1, 1),
        defaults={
            "client_limit": Decimal("999999999.00"),
            "member_limit": Decimal("999999999.00"),
            "coverage_floor": Decimal("0"),
            "source": "bench",
        },
    )
    GuaranteePolicy.objects.filter(valid_from__gt=dt.date(2000, 1, 1)).delete()
    fonds = Activity.objects.get(code="FONDS")
    entry_post(
        date=on.replace(month=1, day=2),
        description="Bench reserve",
        lines=[
            LineSpec(accounts.BANK, fonds, Decimal("100000000.00")),
            LineSpec(accounts.GUARANTEE_FUND_RESERVE, fonds, Decimal("-100000000.00")),
        ],
        idempotency_key="bench:guarantee:reserve",
        acting_user=None,
    )
    advanced = set(Advance.objects.values_list("invoice_id", flat=True))
    signed = set(SignedContract.objects.values_list("invoice_id", flat=True))
    todo = [
        pk
        for pk in Invoice.objects.filter(
            status__in=["issued", "partially_paid"], kind="invoice", client__isnull=False
        ).values_list("pk", flat=True)
        if pk not in signed and pk not in advanced
    ]
    SignedContract.objects.bulk_create(
        [SignedContract(invoice_id=pk, signed_on=on, reference="bench") for pk in todo],
        batch_size=5000,
    )
    return len(todo)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invoices", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    name = bench_database()
    say(f"database {name}: {args.invoices:,} open invoices")
    setup(args.invoices, args.seed)
    from django.test import Client
    from django.utils import timezone

    from maille.guarantee.job import guarantee_run
    from maille.tests_support import factories

    on = timezone.localdate()
    say(f"signed contracts recorded for {prepare(on):,} invoices")

    def progress(message: str) -> None:
        say(f"  {message}")

    started = time.perf_counter()
    first = guarantee_run(on=on, progress=progress)
    say(f"daily job: {time.perf_counter() - started:.1f} s (target ≤ 30 s): {first.as_json()}")
    started = time.perf_counter()
    again = guarantee_run(on=on)
    say(f"same day again: {time.perf_counter() - started:.2f} s (target ≤ 5 s): {again.as_json()}")

    from maille.core.models import Role, User

    member = User.objects.filter(role=Role.MEMBER).first() or factories.UserFactory(
        role=Role.MEMBER
    )
    browser = Client()
    browser.force_login(member)
    browser.get("/fonds/")  # warm up
    times = []
    for _ in range(5):
        started = time.perf_counter()
        page = browser.get("/fonds/")
        times.append(time.perf_counter() - started)
    say(
        f"fund page: {page.status_code}, best {min(times) * 1000:.0f} ms, "
        f"median {sorted(times)[2] * 1000:.0f} ms (target < 200 ms)"
    )


if __name__ == "__main__":
    main()
