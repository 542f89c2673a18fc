"""The pay pages answer each role, and only them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from maille.core.money import format_money
from maille.payroll import services
from maille.payroll.models import EmploymentRecord, RequestBasis, SalaryRequest
from maille.payroll.tests.helpers import calendar, fund

pytestmark = pytest.mark.django_db


@pytest.fixture
def posted_run(camille, camille_activity, sylvie):
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
    run = services.payrun_prepare(pay_date=dt.date(2026, 1, 8), acting_user=sylvie)
    services.payrun_approve(run=run, acting_user=sylvie)
    return services.payrun_post(run=run, acting_user=sylvie)


@time_machine.travel(dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC))
def test_member_pages(as_camille, as_jerome, posted_run, camille):
    page = as_camille.get("/paie/")
    assert page.status_code == 200
    assert format_money(Decimal("2000.00")) in page.content.decode()
    payslip = camille.payslips.get()
    pdf = as_camille.get(f"/paie/bulletins/{payslip.pk}/pdf/")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert as_jerome.get(f"/paie/bulletins/{payslip.pk}/pdf/").status_code == 404
    assert as_camille.get("/").status_code == 200


@time_machine.travel(dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC))
def test_staff_pages(as_sylvie, as_camille, posted_run, camille):
    for url in (
        "/paie/paies/",
        f"/paie/paies/{posted_run.pk}/",
        "/paie/demandes/",
        "/paie/dossiers/",
        f"/paie/dossiers/{camille.pk}/",
        "/paie/remises/?year=2026",
    ):
        assert as_sylvie.get(url).status_code == 200, url
        assert as_camille.get(url).status_code == 404, url
    made = as_sylvie.post(f"/paie/paies/{posted_run.pk}/fichier-bancaire/")
    assert made.status_code == 302
    download = as_sylvie.get(f"/paie/paies/{posted_run.pk}/fichier-bancaire.txt")
    assert download.content.startswith(b"A000000001")


@time_machine.travel(dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC))
def test_member_updates_claims_and_bank_account_staff_are_told(
    as_camille, camille, sylvie, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_camille.post(
            "/paie/dossier/",
            {
                "federal_claim": "16452.00",
                "quebec_claim": "",
                "quebec_deductions": "0",
                "additional_federal_tax": "0",
                "additional_quebec_tax": "10.00",
                "bank_account": "815-30001-7777777",
            },
        )
    assert response.status_code == 302
    record = EmploymentRecord.objects.get(member=camille)
    assert record.federal_claim == Decimal("16452.00")
    assert record.additional_quebec_tax == Decimal("10.00")
    camille.refresh_from_db()
    assert camille.bank_account == "815-30001-7777777"
    assert [m.to for m in mailoutbox] == [["sylvie@maille.test"]]
    assert "7777" in mailoutbox[0].body
    assert "815-30001-7777777" not in mailoutbox[0].body
    # The member also sees what staff keep on the record, without a field to change it.
    record.job_title, record.union_dues = "Illustratrice", Decimal("12.50")
    record.save()
    page = as_camille.get("/paie/dossier/").content.decode()
    kept = page.split("Tenu par le personnel de la coop")[1].split("Ce que vous pouvez modifier")[0]
    assert "Illustratrice" in kept and "12,50" in kept
    assert 'name="job_title"' not in page and 'name="union_dues"' not in page
    bad = as_camille.post(
        "/paie/dossier/",
        {
            "bank_account": "12345",
            "quebec_deductions": "0",
            "additional_federal_tax": "0",
            "additional_quebec_tax": "0",
        },
    )
    assert bad.status_code == 200
    camille.refresh_from_db()
    assert camille.bank_account == "815-30001-7777777"


@time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC))
def test_staff_records_an_exception_beyond_the_budget(as_sylvie, camille, camille_activity):
    calendar()
    fund(camille_activity, "100.00")
    response = as_sylvie.post(
        "/paie/demandes/",
        {
            "activity": camille_activity.pk,
            "basis": "gross",
            "amount": "1000.00",
            "hours": "40",
            "spread": "1",
            "exception_reason": "Décision du CA du 4 janvier",
        },
    )
    assert response.status_code == 302
    request = SalaryRequest.objects.get()
    assert request.is_exception
    assert request.exception_reason == "Décision du CA du 4 janvier"
