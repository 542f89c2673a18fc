"""Payslip PDFs rendered by workers after the run, emailed through the shared
document mechanism: a signed link in the member's language, no attachment,
opened only by the member it was sent to."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from maille.payroll import services
from maille.payroll.models import Payslip, PayslipPdf, RequestBasis
from maille.payroll.rendering import payslip_pdfs_refresh, payslip_pdfs_render, pdf_progress
from maille.payroll.tests.helpers import calendar, fund

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(
    camille, camille_activity, jerome, jerome_activity, sylvie, django_capture_on_commit_callbacks
):
    calendar()
    jerome.user.language = "en"
    jerome.user.save()
    for member, activity in ((camille, camille_activity), (jerome, jerome_activity)):
        fund(activity, "6000.00")
        with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)):
            services.salary_request_create(
                member=member,
                activity=activity,
                basis=RequestBasis.GROSS,
                amount=Decimal("2000.00"),
                hours=Decimal("70"),
                acting_user=member.user,
            )
    run = services.payrun_prepare(pay_date=dt.date(2026, 1, 8), acting_user=sylvie)
    services.payrun_approve(run=run, acting_user=sylvie)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = services.payrun_post(run=run, acting_user=sylvie)
    # Posting rendered nothing; it queued the rendering job for after its commit.
    assert len(callbacks) == 1
    assert not PayslipPdf.objects.exists()
    return run


def _link(message):
    return re.search(r"https?://[^/\s]+(/paie/b/\S+/)", message.body).group(1)


def test_workers_render_each_pdf_once_and_email_a_link_in_the_members_language(
    run, camille, jerome, django_capture_on_commit_callbacks
):
    assert pdf_progress(run) == (0, 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert payslip_pdfs_render(run=run, chunk=1) == 2
    assert pdf_progress(run) == (2, 2)
    for pdf in PayslipPdf.objects.all():
        assert bytes(pdf.content).startswith(b"%PDF")
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {camille.user.email, jerome.user.email}
    assert "bulletin de paie" in by_address[camille.user.email].subject.lower()
    assert "payslip" in by_address[jerome.user.email].subject.lower()
    for message in mail.outbox:
        assert message.attachments == []  # only the signed link reaches the PDF
    assert Payslip.objects.filter(sent_at__isnull=False).count() == 2
    # Run again: nothing to render, nobody emailed twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert payslip_pdfs_render(run=run) == 0
    assert len(mail.outbox) == 2


def test_render_again_replaces_the_pdfs_and_sends_no_email(
    run, sylvie, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        payslip_pdfs_render(run=run)
    first = dict(PayslipPdf.objects.values_list("payslip_id", "rendered_at"))
    with django_capture_on_commit_callbacks(execute=True):
        payslip_pdfs_refresh(run=run, acting_user=sylvie)  # the job runs after commit
    assert PayslipPdf.objects.count() == 2
    again = dict(PayslipPdf.objects.values_list("payslip_id", "rendered_at"))
    assert all(again[pk] > first[pk] for pk in first)
    assert pdf_progress(run) == (2, 2)
    assert len(mail.outbox) == 2


def test_the_link_opens_for_its_member_only(
    run, camille, as_camille, as_jerome, as_sylvie, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        payslip_pdfs_render(run=run)
    (message,) = [m for m in mail.outbox if m.to == [camille.user.email]]
    link = _link(message)
    slip = Payslip.objects.get(member=camille)

    anonymous = client.get(link)
    assert anonymous.status_code == 302  # to the sign-in page, then back to the link
    assert "next=" in anonymous["Location"]
    assert as_jerome.get(link).status_code == 404  # a forwarded email opens nothing
    slip.refresh_from_db()
    assert slip.viewed_at is None
    assert as_camille.get(link[:-5] + "AAAA/").status_code == 404  # tampered

    response = as_camille.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == bytes(PayslipPdf.objects.get(payslip=slip).content)
    slip.refresh_from_db()
    assert slip.viewed_at is not None
    # Staff open it too (without marking it viewed again).
    assert as_sylvie.get(link).status_code == 200


def test_the_run_page_shows_the_pdfs_progress(run, as_sylvie, django_capture_on_commit_callbacks):
    page = as_sylvie.get(f"/paie/paies/{run.pk}/")
    assert "0 PDF produits sur 2" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        payslip_pdfs_render(run=run, limit=1)
    page = as_sylvie.get(f"/paie/paies/{run.pk}/?fragment=pdfs", headers={"HX-Request": "true"})
    text = page.content.decode()
    assert 'value="1"' in text and 'max="2"' in text


def test_the_run_page_marks_emailed_and_opened_and_the_api_reads_one_page(
    run,
    camille,
    as_camille,
    as_sylvie,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    with django_capture_on_commit_callbacks(execute=True):
        payslip_pdfs_render(run=run)
    as_camille.get(f"/paie/bulletins/{Payslip.objects.get(member=camille).pk}/pdf/")
    text = as_sylvie.get(f"/paie/paies/{run.pk}/").content.decode()
    assert text.count("· ouvert") == 1 and text.count("· envoyé") == 1
    # The API reads only the page asked for, in a bounded number of queries.
    with django_assert_max_num_queries(12):
        page = as_sylvie.get(f"/api/v1/payroll/payslips?run={run.pk}&limit=1").json()
    assert page["count"] == 2 and len(page["items"]) == 1
