"""Thirty-two staff confirming the same proposal at once: one wins, the others are told.

PostgreSQL only (row locks between threads): each request goes through the
API with its own client and connection.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from maille.api.services import api_token_create
from maille.conftest import login
from maille.invoicing.models import InvoiceStatus
from maille.payments.models import BankLine, LineStatus, Payment
from maille.payments.tests.test_matching import run
from maille.tests_support.races import RACERS, race, statuses

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between threads need PostgreSQL")


def test_a_proposal_confirmed_by_many_at_once_is_confirmed_once(
    operating, issue, camille_activity, client_qc, sylvie
):
    invoice = issue(camille_activity, client_qc)
    (line,) = run(operating, ("2026/06/10", "Virement /QUELQU'UN", "1149.75"))
    assert line.status == LineStatus.SUGGESTED
    _row, token = api_token_create(user=sylvie, name="race")

    def send(_i):
        return Client().post(
            f"/api/v1/bank-lines/{line.pk}/match",
            {"version": line.version, "action": "confirm"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    answers = race(send)
    assert statuses(answers) == {200: 1, 409: RACERS - 1}
    assert all(a.json()["detail"][0]["message"] for a in answers if a.status_code == 409)
    assert Payment.objects.count() == 1
    line = BankLine.objects.get()
    assert line.status == LineStatus.MATCHED and line.version == 2
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.amount_paid == line.amount


def test_the_queue_page_confirmed_by_many_at_once_pays_once(
    operating, issue, camille_activity, client_qc, sylvie
):
    issue(camille_activity, client_qc)
    (line,) = run(operating, ("2026/06/10", "Virement /QUELQU'UN", "1149.75"))
    browsers = [login(sylvie) for _i in range(8)]

    def send(i):
        return browsers[i].post("/bank/lines/confirm/", {f"line-{line.pk}": line.version})

    answers = race(send, n=8)
    assert statuses(answers) == {302: 8}
    assert Payment.objects.count() == 1
    # One audit row names who confirmed it; the others changed nothing.
    assert BankLine.objects.get().history.filter(history_user=sylvie).count() == 1
