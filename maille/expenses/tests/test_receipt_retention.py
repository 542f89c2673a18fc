"""Receipt files are kept 6 years after the year concerned, then deleted by the daily
job (and ``maille expenses purge-receipts``); the claim, its figures and the ledger
stay. Running it twice deletes nothing more."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from maille.expenses import tasks
from maille.expenses.models import Receipt
from maille.expenses.retention import receipts_purge
from maille.expenses.services import expense_claim_approve, expense_claim_return
from maille.expenses.tests.helpers import claim
from maille.payroll.tests.helpers import fund
from maille.web.management.commands.scheduler import DAILY_JOBS

pytestmark = pytest.mark.django_db


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "receipts"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def settled(camille, camille_activity, sylvie):
    """A claim of March 2026, returned (settled): its receipt is kept until 2032-12-31."""
    c = claim(camille, camille_activity)
    expense_claim_return(claim=c, acting_user=sylvie, reason="Doublon")
    c.refresh_from_db()
    assert c.receipt.keep_until == dt.date(2032, 12, 31)
    return c


def test_kept_until_the_end_of_the_sixth_year(settled):
    assert receipts_purge(on=dt.date(2032, 12, 31)).receipts == []
    assert len(_stored_files()) == 1


def test_deleted_the_day_after_and_the_claim_stays(settled, as_camille):
    path = Path(settings.MEDIA_ROOT) / settled.receipt.file.name
    result = receipts_purge(on=dt.date(2033, 1, 1))
    assert result.receipts == [settled.receipt_id]
    assert not path.exists() and _stored_files() == []
    receipt = Receipt.objects.get(pk=settled.receipt_id)
    assert receipt.purged_on == dt.date(2033, 1, 1) and receipt.file.name == ""
    assert receipt.sha256 and receipt.size  # what it was is still known
    settled.refresh_from_db()
    assert settled.amount == settled.amount and settled.receipt_id == receipt.pk
    # The page says so; the file's address is gone.
    page = as_camille.get(f"/depenses/{settled.pk}/")
    assert page.status_code == 200 and "supprimé" in page.content.decode()
    assert as_camille.get(f"/depenses/justificatifs/{receipt.pk}/").status_code == 404


def test_a_second_run_deletes_nothing_more(settled):
    assert len(receipts_purge(on=dt.date(2033, 1, 1)).receipts) == 1
    assert receipts_purge(on=dt.date(2033, 1, 1)).receipts == []
    assert receipts_purge(on=dt.date(2034, 6, 1)).receipts == []


def test_a_file_already_gone_after_a_crash_is_marked_without_error(settled):
    (Path(settings.MEDIA_ROOT) / settled.receipt.file.name).unlink()
    assert len(receipts_purge(on=dt.date(2033, 1, 1)).receipts) == 1
    assert Receipt.objects.get().purged_on == dt.date(2033, 1, 1)


def test_a_receipt_of_a_claim_still_open_is_kept(camille, camille_activity, sylvie):
    fund(camille_activity, "1000.00")
    waiting = claim(camille, camille_activity)
    approved = claim(camille, camille_activity, supplier="Autre")
    expense_claim_approve(claim=approved, acting_user=sylvie)
    assert receipts_purge(on=dt.date(2040, 1, 1)).receipts == []
    assert len(_stored_files()) == 2
    assert waiting.receipt.purged_on is None


def test_a_dry_run_deletes_nothing(settled):
    assert receipts_purge(on=dt.date(2033, 1, 1), dry_run=True).receipts == [settled.receipt_id]
    assert len(_stored_files()) == 1
    assert Receipt.objects.get().purged_on is None


def test_the_command_and_the_daily_task(settled, capsys):
    call_command("expenses", "purge-receipts", "--date", "2033-01-01", "--json")
    assert json.loads(capsys.readouterr().out) == {"date": "2033-01-01", "purged": 1}
    call_command("expenses", "purge-receipts", "--date", "2033-01-01", "--json")
    assert json.loads(capsys.readouterr().out)["purged"] == 0
    # The scheduler runs it every day, at 3:00.
    job = next(j for j in DAILY_JOBS if j.task is tasks.receipts_purge_expired)
    assert job.at() == dt.time(3, 0)
    assert tasks.receipts_purge_expired.call() == 0


def test_a_bad_date_is_named(capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="demain"):
        call_command("expenses", "purge-receipts", "--date", "demain")
