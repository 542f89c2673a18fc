"""The bank pages: staff import with a progress page, work the queue, reconcile;
members and clients never see a bank line."""

from __future__ import annotations

from pathlib import Path

import pytest

from maille.payments.models import BankLine, LineStatus, StatementImport

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "statements"


def test_staff_upload_a_statement_and_see_its_progress_page(
    as_sylvie, operating, issue, camille_activity, client_qc, django_capture_on_commit_callbacks
):
    issue(camille_activity, client_qc)
    with (
        (FILES / "desjardins_2026_06.csv").open("rb") as f,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = as_sylvie.post(f"/bank/{operating.pk}/import/", {"file": f, "format": "auto"})
    record = StatementImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bank/imports/{record.pk}/"
    assert record.status == "done" and record.new == 5
    page = as_sylvie.get(f"/bank/imports/{record.pk}/").content.decode()
    assert 'id="progress"' in page
    fragment = as_sylvie.get(f"/bank/imports/{record.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.strip().startswith('<section id="progress"')
    for url in (
        "/bank/",
        f"/bank/{operating.pk}/",
        "/bank/lines/",
        "/bank/lines/?status=suggested",
    ):
        assert as_sylvie.get(url).status_code == 200, url
    line = BankLine.objects.filter(status=LineStatus.SUGGESTED).first()
    assert as_sylvie.get(f"/bank/lines/{line.pk}/?q=Fleuve").status_code == 200
    response = as_sylvie.post("/bank/lines/confirm/", {f"line-{line.pk}": line.version})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.status in {"matched", "other"}
    page = as_sylvie.get(f"/bank/{operating.pk}/reconcile/?to=2026-06-30").content.decode()
    assert "difference" in page.lower() or "écart" in page.lower()


def test_a_running_import_polls_its_progress(as_sylvie, operating):
    record = StatementImport.objects.create(
        bank_account=operating, filename="big.csv", sha256="", format="", total=1000, done=250
    )
    page = as_sylvie.get(f"/bank/imports/{record.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="250"' in page


def test_members_and_clients_never_see_bank_pages(as_camille, as_nathalie, operating):
    for client in (as_camille, as_nathalie):
        for url in ("/bank/", f"/bank/{operating.pk}/", "/bank/lines/", "/payments/"):
            assert client.get(url).status_code == 404, url
