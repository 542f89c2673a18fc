"""A net still owed, paid at once by a bank file and two cheque clicks: paid once (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.db import connection, connections

from maille.ledger.models import JournalEntry
from maille.payroll import services
from maille.payroll.bankfile import bank_file_create, net_pay_paid_otherwise
from maille.payroll.exceptions import RunConflict
from maille.payroll.models import BankFile, Payslip, RequestBasis
from maille.payroll.tests.helpers import calendar, fund
from maille.payroll.tests.test_nets_owed import JAN_8, JAN_22, NET, _ask, _payable, _run

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between threads need PostgreSQL")


def test_a_bank_file_and_two_cheque_clicks_at_once_pay_the_net_once(
    camille, camille_activity, jerome, jerome_activity, sylvie, anne
):
    calendar()
    camille.bank_account = ""
    camille.save()
    jerome.bank_account = "006-00011-7654321"
    jerome.save()
    fund(camille_activity, "9000.00")
    fund(jerome_activity, "9000.00")
    _ask(camille, camille_activity, JAN_8, basis=RequestBasis.NET, amount=str(NET))
    _ask(jerome, jerome_activity, JAN_8)
    _run(JAN_8, sylvie)
    slip = Payslip.objects.get(member=camille)
    assert slip.bank_excluded and _payable(slip) == -NET
    services.employment_record_update(
        member=camille, acting_user=camille.user, bank_account="815-30001-1112223"
    )
    _ask(jerome, jerome_activity, JAN_22)
    run2 = services.payrun_prepare(pay_date=JAN_22, acting_user=sylvie)
    services.payrun_approve(run=run2, acting_user=sylvie)
    run2 = services.payrun_post(run=run2, acting_user=sylvie)

    start = threading.Barrier(3)

    def act(what):
        try:
            start.wait()
            if what == "file":
                return bank_file_create(run=run2, acting_user=sylvie)
            return net_pay_paid_otherwise(
                payslip=slip, paid_on=JAN_22, reference="CHQ 7", acting_user=anne
            )
        except Exception as exc:  # the test inspects what each thread got
            return exc
        finally:
            connections.close_all()

    with (
        time_machine.travel(dt.datetime(2026, 1, 23, 12, tzinfo=dt.UTC)),
        ThreadPoolExecutor(max_workers=3) as pool,
    ):
        results = list(pool.map(act, ["file", "cheque", "cheque"]))
    assert isinstance(results[0], BankFile), results
    refused = [r for r in results[1:] if isinstance(r, RunConflict)]
    slip.refresh_from_db()
    file2 = BankFile.objects.get(run=run2)
    cheques = JournalEntry.objects.filter(
        idempotency_key=f"payroll:payslip:{slip.pk}:paid-otherwise"
    ).count()
    in_file = f"MAILLE{slip.pk}" in file2.content
    if slip.carried_in_id is not None:  # the file won: both clicks refused
        assert in_file and slip.paid_otherwise_on is None and cheques == 0
        assert len(refused) == 2, results
    else:  # a click won: the file left it out, the other click was refused
        assert not in_file and slip.paid_otherwise_on == JAN_22 and cheques == 1
        assert len(refused) == 1
        assert _payable(slip) == 0
