"""A batch issue racing single issues in the opposite order: no deadlock reaches anyone.

ISSUE 8, finding 5: 60 drafts issued by staff in one batch while 32 requests
issue the last 32 one by one in reverse order used to deadlock on the
numbering counter (the batch held the counter and waited for a draft that a
single issue held while it waited for the counter) and answer 500. Drafts are
now locked by id before any number is taken, and a deadlock is retried once.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from maille.api.services import api_token_create
from maille.contracts.tests.helpers import lines
from maille.invoicing import services
from maille.invoicing.models import Invoice, InvoiceStatus
from maille.ledger.selectors import ledger_problems
from maille.tests_support.races import RACERS, race, statuses

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between threads need PostgreSQL")


def test_a_batch_and_single_issues_in_reverse_order_never_fail(
    camille, camille_activity, client_qc, sylvie
):
    drafts = [
        services.invoice_create(
            activity=camille_activity,
            client=client_qc,
            acting_user=camille.user,
            lines=lines(("1", f"{100 + i}.00")),
        )
        for i in range(60)
    ]
    _row, token = api_token_create(user=sylvie, name="race")
    singles = list(reversed(drafts))[:RACERS]

    def send(i):
        if i == RACERS:
            return services.invoice_issue_many(invoices=drafts, acting_user=sylvie)
        return Client().post(
            f"/api/v1/invoices/{singles[i].pk}/issue",
            {},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    answers = race(send, n=RACERS + 1)
    *requests, batch = answers
    assert not isinstance(batch, Exception), batch
    assert set(statuses(requests)) <= {200, 409}, statuses(requests)
    issued, failed = batch
    assert len(issued) + statuses(requests)[200] == 60
    assert set(failed) <= {d.pk for d in singles}  # only those a single request issued first
    assert Invoice.objects.filter(status=InvoiceStatus.ISSUED).count() == 60
    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == list(range(1, 61))
    assert ledger_problems() == []
