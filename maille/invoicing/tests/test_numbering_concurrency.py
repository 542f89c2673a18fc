"""Numbers stay gapless and unique when staff issue many invoices at once (PostgreSQL)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from maille.contracts.tests.helpers import lines
from maille.invoicing import services
from maille.invoicing.models import Invoice, InvoiceStatus

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between threads need PostgreSQL")


def _drafts(n, member, activity, client):
    return [
        services.invoice_create(
            activity=activity,
            client=client,
            acting_user=member.user,
            lines=lines(("1", f"{100 + i}.00")),
        )
        for i in range(n)
    ]


def _in_thread(fn):
    def run(*args):
        try:
            return fn(*args)
        except Exception as exc:  # the test inspects what each thread got
            return exc
        finally:
            connections.close_all()

    return run


def test_concurrent_issues_give_gapless_unique_numbers(
    camille, camille_activity, client_qc, sylvie
):
    drafts = _drafts(40, camille, camille_activity, client_qc)
    start = threading.Barrier(8)

    @_in_thread
    def issue_batch(batch):
        start.wait()
        return services.invoice_issue_many(invoices=batch, acting_user=sylvie)

    batches = [drafts[i::8] for i in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(issue_batch, batches))
    assert not [r for r in results if isinstance(r, Exception)]
    sequences = sorted(Invoice.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 41))
    assert Invoice.objects.filter(status=InvoiceStatus.ISSUED).count() == 40


def test_issuing_the_same_invoice_twice_at_once_gives_one_invoice(
    camille, camille_activity, client_qc, sylvie
):
    (draft,) = _drafts(1, camille, camille_activity, client_qc)
    start = threading.Barrier(4)

    @_in_thread
    def issue(_):
        start.wait()
        return services.invoice_issue(invoice=draft, acting_user=sylvie)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(issue, range(4)))
    issued = [r for r in results if isinstance(r, Invoice)]
    refused = [r for r in results if isinstance(r, services.InvoiceAlreadyIssued)]
    assert (len(issued), len(refused)) == (1, 3)
    assert Invoice.objects.get().sequence == 1
    if __import__("importlib").util.find_spec("maille.ledger.services"):
        from maille.ledger.models import JournalEntry

        assert JournalEntry.objects.filter(idempotency_key__startswith="invoicing:").count() == 2
