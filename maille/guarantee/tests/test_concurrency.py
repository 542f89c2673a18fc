"""32 daily jobs at once advance each invoice once (PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from maille.guarantee import job, services
from maille.guarantee.exceptions import GuaranteeJobBusy
from maille.guarantee.models import Advance
from maille.ledger.models import JournalEntry
from maille.tests_support.races import race

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks between threads need PostgreSQL"
    ),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_thirty_two_runs_at_once_advance_each_invoice_once(
    issue_plain, camille_activity, client_qc, sylvie
):
    invoices = [issue_plain(camille_activity, client_qc, "1", "100.00") for _ in range(3)]
    for n, invoice in enumerate(invoices):
        services.contract_record_signed(
            invoice=invoice, signed_on=dt.date(2026, 6, 12), reference=f"C-{n}", acting_user=sylvie
        )
    answers = race(lambda i: job.guarantee_run(on=dt.date(2026, 6, 15)))
    done = [a for a in answers if isinstance(a, job.RunResult)]
    busy = [a for a in answers if isinstance(a, GuaranteeJobBusy)]
    assert len(done) + len(busy) == 32, [a for a in answers if isinstance(a, Exception)]
    assert sum(a.advanced for a in done) == 3
    assert Advance.objects.count() == 3
    assert JournalEntry.objects.filter(idempotency_key__endswith=":advance").count() == 3
    assert job.guarantee_run(on=dt.date(2026, 6, 15)).advanced == 0
