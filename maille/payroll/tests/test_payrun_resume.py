"""A pay run killed half-way and run again finishes with nothing paid twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from maille.ledger.models import JournalEntry
from maille.payroll import posting, services
from maille.payroll.bankfile import bank_file_create
from maille.payroll.models import Payslip, RequestBasis, RequestStatus, RunStatus, SalaryRequest
from maille.payroll.tests.helpers import calendar, fund
from maille.tests_support import factories

pytestmark = pytest.mark.django_db


class Killed(BaseException):
    """What the worker sees when it is killed: not an Exception anyone catches."""


@pytest.fixture
def five_requests(sylvie):
    calendar()
    members = []
    with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)):
        for i in range(5):
            member = factories.MemberFactory()
            activity = factories.ActivityFactory(owners=[member])
            fund(activity, "3000.00")
            services.salary_request_create(
                member=member,
                activity=activity,
                basis=RequestBasis.GROSS,
                amount=Decimal("1500.00") + i,
                hours=Decimal("60"),
                acting_user=member.user,
            )
            members.append(member)
    run = services.payrun_prepare(pay_date=dt.date(2026, 1, 8), acting_user=sylvie)
    return services.payrun_approve(run=run, acting_user=sylvie)


def test_killed_after_two_chunks_then_run_again(five_requests, sylvie, monkeypatch):
    run = five_requests
    calls = {"n": 0}
    real = posting.entries_post_many

    def dies_on_the_third_chunk(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise Killed
        return real(**kwargs)

    monkeypatch.setattr(posting, "entries_post_many", dies_on_the_third_chunk)
    with pytest.raises(Killed):
        services.payrun_post(run=run, acting_user=sylvie, chunk=2)
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED
    assert run.progress_done == 4
    assert Payslip.objects.count() == 4  # the third chunk rolled back whole
    assert JournalEntry.objects.filter(idempotency_key__startswith="payroll:payslip:").count() == 4

    monkeypatch.setattr(posting, "entries_post_many", real)
    run = services.payrun_post(run=run, acting_user=sylvie, chunk=2)
    assert run.status == RunStatus.POSTED
    assert Payslip.objects.count() == 5
    assert JournalEntry.objects.filter(idempotency_key__startswith="payroll:payslip:").count() == 5
    assert set(Payslip.objects.values_list("request_id", flat=True)) == set(
        SalaryRequest.objects.values_list("id", flat=True)
    )
    assert not SalaryRequest.objects.exclude(status=RequestStatus.PAID).exists()
    bank_file = bank_file_create(run=run, acting_user=sylvie)
    assert bank_file.count == 5
    assert bank_file.content.count("\r\n") == 3  # A, one C record (six payments fit), Z


def test_posting_again_after_the_end_adds_nothing(five_requests, sylvie):
    run = services.payrun_post(run=five_requests, acting_user=sylvie)
    entries = JournalEntry.objects.count()
    services.payrun_post(run=run, acting_user=sylvie)
    assert JournalEntry.objects.count() == entries
    assert Payslip.objects.count() == 5


def _killed_part_way(run, sylvie, monkeypatch):
    real = posting.entries_post_many
    calls = {"n": 0}

    def dies_on_the_second_chunk(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise Killed
        return real(**kwargs)

    monkeypatch.setattr(posting, "entries_post_many", dies_on_the_second_chunk)
    with pytest.raises(Killed):
        services.payrun_post(run=run, acting_user=sylvie, chunk=2)
    monkeypatch.setattr(posting, "entries_post_many", real)
    assert Payslip.objects.count() == 2


def test_staff_resume_a_killed_run_through_the_api_twice_without_duplicates(
    five_requests, sylvie, as_sylvie, monkeypatch, django_capture_on_commit_callbacks
):
    run = five_requests
    _killed_part_way(run, sylvie, monkeypatch)
    url = f"/api/v1/payroll/runs/{run.pk}/resume"
    with django_capture_on_commit_callbacks(execute=True):
        response = as_sylvie.post(url)
    assert response.status_code == 202
    run.refresh_from_db()
    assert run.status == RunStatus.POSTED
    assert Payslip.objects.count() == 5
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = as_sylvie.post(url)
    assert again.status_code == 202
    assert again.json()["status"] == RunStatus.POSTED
    assert callbacks == []  # a posted run: nothing enqueued
    assert Payslip.objects.count() == 5
    assert JournalEntry.objects.filter(idempotency_key__startswith="payroll:payslip:").count() == 5


def test_staff_resume_from_the_run_page(
    five_requests, sylvie, as_sylvie, monkeypatch, django_capture_on_commit_callbacks
):
    run = five_requests
    _killed_part_way(run, sylvie, monkeypatch)
    page = as_sylvie.get(f"/paie/paies/{run.pk}/").content.decode()
    assert f"/paie/paies/{run.pk}/reprendre/" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = as_sylvie.post(f"/paie/paies/{run.pk}/reprendre/")
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.POSTED
    assert Payslip.objects.count() == 5


def test_a_draft_run_cannot_be_resumed(sylvie, as_sylvie):
    calendar()
    run = services.payrun_prepare(pay_date=dt.date(2026, 1, 8), acting_user=sylvie)
    response = as_sylvie.post(f"/api/v1/payroll/runs/{run.pk}/resume")
    assert response.status_code == 409
    assert response.json()["detail"][0]["message"] == "Approuvez la paie avant de la comptabiliser."
