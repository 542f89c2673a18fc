"""Two staff approving (and preparing) the same run at once give one run (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import time_machine
from django.db import connection, connections

from maille.payroll import services
from maille.payroll.exceptions import RunConflict
from maille.payroll.models import PayRun, Payslip, RequestBasis, RunStatus
from maille.payroll.tests.helpers import calendar, fund
from maille.tests_support import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between threads need PostgreSQL")


def _in_thread(fn):
    def run(*args):
        try:
            return fn(*args)
        except Exception as exc:  # the test inspects what each thread got
            return exc
        finally:
            connections.close_all()

    return run


def test_two_staff_approving_at_once_give_one_approval_and_one_posting(
    camille, camille_activity, sylvie, anne
):
    calendar()
    fund(camille_activity, "4000.00")
    with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)):
        services.salary_request_create(
            member=camille,
            activity=camille_activity,
            basis=RequestBasis.GROSS,
            amount=Decimal("2000.00"),
            hours=Decimal("70"),
            acting_user=camille.user,
        )
    start = threading.Barrier(4)
    staff = [sylvie, anne, sylvie, anne]

    @_in_thread
    def prepare(user):
        start.wait()
        return services.payrun_prepare(pay_date=dt.date(2026, 1, 8), acting_user=user)

    with ThreadPoolExecutor(max_workers=4) as pool:
        runs = list(pool.map(prepare, staff))
    assert {r.pk for r in runs} == {PayRun.objects.get().pk}

    again = threading.Barrier(4)

    @_in_thread
    def approve_and_post(user):
        run = PayRun.objects.get()
        again.wait()
        try:
            services.payrun_approve(run=run, acting_user=user)
        except RunConflict as exc:
            return exc
        return services.payrun_post(run=run, acting_user=user)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(approve_and_post, staff))
    conflicts = [r for r in results if isinstance(r, RunConflict)]
    assert len(conflicts) == 3
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, RunConflict)]
    assert PayRun.objects.get().status == RunStatus.POSTED
    assert Payslip.objects.count() == 1


def test_two_workers_posting_one_run_pay_each_request_once(sylvie):
    calendar()
    with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)):
        for _ in range(12):
            member = factories.MemberFactory()
            activity = factories.ActivityFactory(owners=[member])
            fund(activity, "2500.00")
            services.salary_request_create(
                member=member,
                activity=activity,
                basis=RequestBasis.ALL,
                amount=None,
                hours=Decimal("60"),
                acting_user=member.user,
            )
    run = services.payrun_prepare(pay_date=dt.date(2026, 1, 8), acting_user=sylvie)
    services.payrun_approve(run=run, acting_user=sylvie)
    start = threading.Barrier(3)

    @_in_thread
    def worker(_):
        start.wait()
        return services.payrun_post(run=PayRun.objects.get(), acting_user=sylvie, chunk=2)

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(worker, range(3)))
    assert not [r for r in results if isinstance(r, Exception)]
    assert Payslip.objects.count() == 12
    assert PayRun.objects.get().status == RunStatus.POSTED
