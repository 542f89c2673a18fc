"""Aging against the ledger, DSO, a member's own aging; the case file's evidence,
payment plans followed, and the formal notice's trace."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal as D

import pytest
import time_machine
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from maille.collection import services
from maille.collection.dunning import collection_run
from maille.collection.export import case_zip
from maille.collection.models import EventKind, FormalNotice, PlanStatus
from maille.collection.notices import notice_create
from maille.collection.selectors import BUCKETS, aging, dso_series
from maille.collection.writeoff import write_off
from maille.ledger import accounts
from maille.ledger.models import Account
from maille.ledger.selectors import balance
from maille.payments import services as payments
from maille.payments.models import BankAccount
from maille.payments.services import AllocationSpec
from maille.tests_support import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 16, tzinfo=dt.UTC)  # Monday, noon in Montréal


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def bank(db):
    return BankAccount.objects.create(
        name="Desjardins",
        institution="815",
        transit="30001",
        number="1234567",
        currency="CAD",
        ledger_account=Account.objects.get(code="1000"),
    )


@pytest.fixture
def book(issue, camille_activity, jerome_activity, client_qc, sylvie, bank):
    """Three open invoices at three ages, one partly paid, one partly written off."""
    other = factories.ClientFactory(legal_name="Autre inc.")
    # Issued in date order (an invoice series never goes back in time).
    late = issue(camille_activity, other, day=dt.date(2026, 5, 16), term=0)  # 30 days late
    old = issue(camille_activity, client_qc, day=dt.date(2026, 5, 20), term=0)  # 26 days late
    recent = issue(jerome_activity, other, day=dt.date(2026, 6, 1), term=30)  # not due
    payments.payment_record(
        bank_account=bank,
        client=client_qc,
        date=dt.date(2026, 6, 5),
        amount=D("149.75"),
        method="transfer",
        acting_user=sylvie,
        allocations=[AllocationSpec(old, D("149.75"))],
    )
    write_off(invoice_id=late.pk, amount=D("100.00"), reason="Rabais", acting_user=sylvie)
    return old, recent, late


def test_aging_totals_match_the_receivable_in_the_ledger(book, sylvie):
    report = aging(user=sylvie, by="client")
    assert report.ledger_receivable == balance(account=accounts.AR)
    assert report.total == report.ledger_receivable and report.difference == D("0.00")
    assert report.totals["current"] == D("1149.75")
    assert report.totals["1-30"] == D("1000.00") + D("1049.75")
    for by in ("member", "activity"):
        assert aging(user=sylvie, by=by).total == report.total
    assert set(report.totals) == set(BUCKETS)


def test_a_member_sees_only_their_own_aging(book, camille, jerome):
    mine = aging(user=camille.user)
    assert mine.total == D("1000.00") + D("1049.75")
    assert mine.ledger_receivable is None  # the co-op's ledger is staff's
    assert aging(user=jerome.user).total == D("1149.75")


def test_dso_reads_the_ledger_receivable_at_each_month_end(book):
    points = dso_series(months=3)
    assert [p.month_end for p in points] == [
        dt.date(2026, 4, 30),
        dt.date(2026, 5, 31),
        dt.date(2026, 6, 15),
    ]
    assert points[-1].receivable == balance(account=accounts.AR)
    assert points[0].dso is None  # no sales yet
    assert points[-1].dso == (points[-1].receivable / points[-1].sales * 90).quantize(D("0.1"))


def test_the_aging_page_draws_the_dso_chart(book, as_sylvie, as_camille):
    page = as_sylvie.get("/collection/aging/").content.decode()
    assert '<svg class="money-chart"' in page
    assert as_camille.get("/collection/aging/").status_code == 200


def test_a_missed_instalment_breaks_the_plan_and_the_steps_resume(
    issue, camille_activity, client_qc, sylvie
):
    invoice = issue(camille_activity, client_qc, day=dt.date(2026, 5, 20), term=10)
    half = D("574.87")
    plan = services.plan_create(
        case=services.case_for(invoice),
        invoice_ids=[invoice.pk],
        instalments=[(dt.date(2026, 6, 20), half), (dt.date(2026, 7, 20), invoice.total - half)],
        acting_user=sylvie,
    )
    invoice.dunning.refresh_from_db()
    assert invoice.dunning.paused_until == dt.date(2026, 7, 20)
    day = dt.date(2026, 6, 22)
    with time_machine.travel(dt.datetime(2026, 6, 22, 13, tzinfo=dt.UTC), tick=False):
        result = collection_run(date=day, now=timezone.now())
    plan.refresh_from_db()
    assert plan.status == PlanStatus.BROKEN and result.plans_broken == 1
    invoice.dunning.refresh_from_db()
    assert invoice.dunning.paused_until is None
    assert invoice.dunning.case.events.filter(kind=EventKind.PLAN, text__icontains="06-20").exists()


def test_the_case_file_holds_the_accepted_quote_and_its_acceptance_record(
    issue_from_quote, camille_activity, client_qc, sylvie
):
    with time_machine.travel(dt.datetime(2026, 5, 20, 15, tzinfo=dt.UTC), tick=False):
        invoice = issue_from_quote(camille_activity, client_qc, day=dt.date(2026, 5, 20))
    case = services.case_for(invoice)
    with zipfile.ZipFile(io.BytesIO(case_zip(case))) as archive:
        names = archive.namelist()
        assert f"factures/{invoice.number}.pdf" in names
        record = archive.read(f"soumissions/{invoice.quote.number}-acceptation.txt").decode()
    assert "signer: Nathalie Roy (Directrice)" in record and "document_sha256:" in record


def test_the_formal_notice_is_emailed_with_its_pdf_and_its_opening_is_traced(
    issue, camille_activity, client_qc, contact, sylvie, client
):
    invoice = issue(camille_activity, client_qc, day=dt.date(2026, 5, 20), term=10)
    with TestCase.captureOnCommitCallbacks(execute=True):
        notice = notice_create(
            case=services.case_for(invoice),
            invoice_ids=[invoice.pk],
            date=timezone.localdate(),
            acting_user=sylvie,
        )
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.viewed_at is None
    [message] = [m for m in mail.outbox if "comptes@fleuve.test" in m.to]
    assert message.attachments[0][2] == "application/pdf"
    link = next(w for w in message.body.split() if "/mn/" in w)
    assert client.get(link[link.index("/mn/") :]).status_code == 200
    notice.refresh_from_db()
    assert notice.viewed_at is not None
    assert FormalNotice.objects.count() == 1
