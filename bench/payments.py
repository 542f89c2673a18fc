"""Benchmark of statement import and matching on PostgreSQL (issue 11).

Run from the repository root:

    DATABASE_URL=postgres://postgres@localhost:5432/maille \\
        .venv/bin/python bench/payments.py [--lines 100000] [--invoices 200000]

It works in a database of the same name ending in ``_bench`` (as
``bench/ledger.py``). It writes ``--invoices`` open invoices to one client
each (in bulk, with their ledger entries), then a Desjardins CSV of
``--lines`` lines: 40 % name an open invoice's number (certain matches), 20 %
come from a client for the exact open amount of its one invoice (certain),
15 % from unknown payers for an amount no invoice owes (unmatched), 10 % are
fees (proposed), 15 % withdrawals without a clue. Then:

1. import and match it (``maille bank import``'s service), in a process of
   its own: target ≤ 20 s, peak memory (that process's peak resident set)
   < 400 MB;
2. import the same file again: target ≤ 5 s, nothing new (recognised by
   its bytes);
3. import the same lines in another file (the month exported again, the
   lines in another order): nothing new either, each line recognised by its
   fingerprint (account, date, amount, reference, normalised description).

Figures only: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maille.settings")
# As in production: the members' "your client paid" emails are queued for the
# task workers (the database queue), not sent inside the import.
os.environ.setdefault("MAILLE_TASKS_DB", "1")

from bench.ledger import bench_database, say


def setup(invoices: int, seed: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from maille.invoicing.models import Invoice

    have = Invoice.objects.filter(status__in=["issued", "partially_paid"]).count()
    if have >= invoices:
        return
    from maille.demo import clients, invoicing, members

    say(f"generating {invoices - have:,} open invoices…")
    started = time.perf_counter()
    from maille.members.models import Activity

    if not Activity.objects.filter(kind="member").exists():
        members.generate(count=200, seed=seed)
    run = seed + have  # a second run tops up with fresh clients and numbers
    clients.generate(count=invoices - have, seed=run)
    invoicing.generate(count=invoices - have, seed=run, days=25, post_ledger=True)
    say(f"  in {time.perf_counter() - started:.0f} s")


def statement(lines: int, seed: int) -> bytes:
    from maille.invoicing.models import Invoice
    from maille.invoicing.settlement import credited_totals, open_amount

    rng = random.Random(seed)
    rows = list(
        Invoice.objects.filter(status="issued", kind="invoice")
        .select_related("client")
        .order_by("?")[: lines * 2]
    )
    credited = credited_totals(r.pk for r in rows)
    from django.utils import timezone

    today = timezone.localdate()
    out = []
    used = 0
    for n in range(1, lines + 1):
        day = today - dt.timedelta(days=rng.randrange(20))
        roll = rng.random()
        if roll < 0.60 and used < len(rows):
            invoice = rows[used]
            used += 1
            amount = open_amount(invoice, credited=credited.get(invoice.pk, Decimal(0)))
            if roll < 0.40:
                text = f"Virement reçu /PAIEMENT {invoice.number}"
            else:
                text = f"Virement reçu /{invoice.client.legal_name}"[:120]
        elif roll < 0.75:
            amount = Decimal(rng.randint(100, 99999)) / 100 + Decimal("0.01")
            text = f"Virement Interac /PERSONNE {n}"
        elif roll < 0.85:
            amount = -Decimal("4.95")
            text = "Frais de service /FRAIS"
        else:
            amount = -Decimal(rng.randint(100, 99999)) / 100
            text = f"Retrait /FOURNISSEUR {n}"
        withdrawal, deposit = (f"{-amount:.2f}", "") if amount < 0 else ("", f"{amount:.2f}")
        text = text.replace('"', "")
        out.append(
            f'815-30001,1234567,EOP,{day:%Y/%m/%d},{n},"{text}",,{withdrawal},{deposit},,,,,\r\n'
        )
    return "".join(out).encode("cp1252", errors="replace")


def account():  # type: ignore[no-untyped-def]
    from maille.ledger.models import Account
    from maille.payments.models import BankAccount

    bank, _created = BankAccount.objects.get_or_create(
        institution="815",
        transit="30001",
        number="1234567",
        defaults={"name": "Bench", "ledger_account": Account.objects.get(code="1000")},
    )
    return bank


def peak_memory_mb() -> float:
    """This process's peak resident set: ``VmHWM`` where Linux gives it (Linux
    carries ``ru_maxrss`` over from the parent across exec)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def imports(path: str) -> None:
    """The three timed imports, in a process of their own: its peak resident
    memory is the import's, not the setup's (which holds the invoices it
    picked to write the statement)."""
    import django

    django.setup()
    from maille.payments.importing import statement_import

    data = Path(path).read_bytes()
    bank = account()
    started = time.perf_counter()
    result = statement_import(bank_account=bank, data=data, filename="bench.csv", acting_user=None)
    elapsed = time.perf_counter() - started
    peak = peak_memory_mb()
    say(
        f"import + matching: {elapsed:.1f} s (target ≤ 20 s), peak resident memory "
        f"{peak:.0f} MB (target < 400 MB): {result.as_dict()}"
    )
    started = time.perf_counter()
    again = statement_import(bank_account=bank, data=data, filename="bench.csv", acting_user=None)
    say(f"same file again: {time.perf_counter() - started:.2f} s (target ≤ 5 s): {again.as_dict()}")
    lines = data.split(b"\r\n")
    other = b"\r\n".join(reversed([line for line in lines if line])) + b"\r\n"
    started = time.perf_counter()
    overlap = statement_import(
        bank_account=bank, data=other, filename="bench-again.csv", acting_user=None
    )
    say(
        f"same lines in another file: {time.perf_counter() - started:.2f} s "
        f"(target ≤ 5 s): {overlap.as_dict()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--invoices", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--import-file", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    name = bench_database()
    if args.import_file:
        imports(args.import_file)
        return
    say(f"database {name}: {args.lines:,} statement lines against {args.invoices:,} invoices")
    setup(args.invoices, args.seed)
    from django.db import connection

    data = statement(args.lines, args.seed + int(time.time()))
    account()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have, on books that grew over months
    connection.close()
    with tempfile.NamedTemporaryFile(suffix=".csv") as file:
        file.write(data)
        file.flush()
        subprocess.run(  # noqa: S603 — this script, with its own arguments
            [sys.executable, __file__, "--import-file", file.name], check=True, env=os.environ
        )


if __name__ == "__main__":
    main()
