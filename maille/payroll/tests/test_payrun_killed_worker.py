"""A worker process posting a pay run is killed (SIGKILL) in the middle of a
chunk; the run posted again finishes with nothing paid twice (PostgreSQL).

The worker is a real process on the test database. It posts the first chunk
(committed), then starts the second and is held inside that chunk's
transaction (its payslips inserted, waiting for the ledger's counter, which
the test holds). The test kills it there, as the kernel would kill a worker
out of memory: nothing of the second chunk may survive, and posting again
must pay each request exactly once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from maille.ledger.models import Counter, JournalEntry
from maille.ledger.services import ENTRY_COUNTER
from maille.payroll import services
from maille.payroll.models import Payslip, RequestStatus, RunStatus, SalaryRequest
from maille.payroll.tests.test_payrun_resume import five_requests  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[3]

# The worker: posts the run two requests a chunk; after the first chunk it
# says so and waits for the test's word before going on.
WORKER = """
import os, sys
import django
django.setup()
from django.db import connection
from maille.core.models import User
from maille.payroll import services
from maille.payroll.models import PayRun
connection.ensure_connection()
print("backend", connection.connection.info.backend_pid, flush=True)
def progress(done, total):
    print("done", done, flush=True)
    sys.stdin.readline()
run = PayRun.objects.get(pk=int(sys.argv[1]))
staff = User.objects.get(pk=int(sys.argv[2]))
services.payrun_post(run=run, acting_user=staff, chunk=2, progress=progress)
print("finished", flush=True)
"""


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("a second process needs the committed data of a server database")


def _dsn() -> str:
    s = connection.settings_dict
    parts = {
        "dbname": s["NAME"],
        "user": s["USER"],
        "password": s["PASSWORD"],
        "host": s["HOST"],
        "port": s["PORT"],
    }
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)


def _url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


def _wait_for(check, what: str, seconds: float = 60, about=lambda: "") -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {what}\n{about()}")
        time.sleep(0.05)


def test_a_worker_killed_inside_a_chunk_leaves_nothing_half_posted(
    five_requests,  # noqa: F811 (the resume test's run of five)
    sylvie,
    tmp_path,
):
    run = five_requests
    Counter.objects.get_or_create(name=ENTRY_COUNTER)
    env = {**os.environ, "DATABASE_URL": _url(), "DJANGO_SETTINGS_MODULE": "maille.settings"}
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(run.pk), str(sylvie.pk)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=(tmp_path / "worker.err").open("w"),
        text=True,
    )
    assert worker.stdin is not None and worker.stdout is not None
    try:
        backend = int(worker.stdout.readline().split()[1])
        assert worker.stdout.readline().split() == ["done", "2"]  # first chunk committed
        with psycopg.connect(_dsn()) as holder:
            # Hold the ledger's counter: the worker's next chunk stops inside
            # its transaction, its payslips written, before its entries.
            holder.execute(
                f"SELECT value FROM {Counter._meta.db_table} WHERE name = %s FOR UPDATE",  # noqa: S608
                [ENTRY_COUNTER],
            )
            worker.stdin.write("go\n")
            worker.stdin.flush()

            def waiting() -> bool:
                # A connection of its own: a transaction sees pg_stat_activity frozen.
                with psycopg.connect(_dsn(), autocommit=True) as probe:
                    row = probe.execute(
                        "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [backend]
                    ).fetchone()
                return row is not None and row[0] == "Lock"

            _wait_for(
                waiting,
                "the worker to wait inside its second chunk",
                about=lambda: (tmp_path / "worker.err").read_text()[-3000:],
            )
            # It has written to the payslips in that transaction (not committed).
            with psycopg.connect(_dsn(), autocommit=True) as probe:
                writing = probe.execute(
                    "SELECT count(*) FROM pg_locks WHERE pid = %s AND relation = %s::regclass "
                    "AND mode = 'RowExclusiveLock'",
                    [backend, Payslip._meta.db_table],
                ).fetchone()
            assert writing == (1,)
            in_flight = holder.execute(
                f"SELECT count(*) FROM {Payslip._meta.db_table} WHERE run_id = %s",  # noqa: S608
                [run.pk],
            ).fetchone()
            worker.send_signal(signal.SIGKILL)
            assert worker.wait(timeout=30) == -signal.SIGKILL
            holder.rollback()  # the lock goes; the orphaned backend finds its client gone

            def gone() -> bool:
                with psycopg.connect(_dsn(), autocommit=True) as probe:
                    row = probe.execute(
                        "SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend]
                    ).fetchone()
                    return row is None

            _wait_for(gone, "the killed worker's transaction to end")
    finally:
        if worker.poll() is None:
            worker.kill()
    assert in_flight == (2,)  # the holder sees only what was committed

    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED
    assert run.progress_done == 2
    assert Payslip.objects.filter(run=run).count() == 2  # the second chunk left nothing
    keys = JournalEntry.objects.filter(idempotency_key__startswith="payroll:payslip:")
    assert keys.count() == 2

    run = services.payrun_post(run=run, acting_user=sylvie, chunk=2)
    assert run.status == RunStatus.POSTED
    assert Payslip.objects.filter(run=run).count() == 5
    assert keys.count() == 5
    assert sorted(Payslip.objects.values_list("request_id", flat=True)) == sorted(
        SalaryRequest.objects.values_list("id", flat=True)
    )
    assert not SalaryRequest.objects.exclude(status=RequestStatus.PAID).exists()
