"""``maille ledger export`` and ``maille ledger verify``: what the accountants get."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data
from django.core.management import call_command

from maille.ledger import accounts as acc
from maille.ledger.export import beancount_account
from maille.ledger.models import Account, Balance
from maille.ledger.selectors import trial_balance
from maille.ledger.services import entry_reverse
from maille.ledger.tests.conftest import line, post

pytestmark = pytest.mark.django_db

BEAN_CHECK = Path(sys.executable).parent / "bean-check"


@pytest.fixture
def books(camille_activity, jerome_activity, coop, fonds, sylvie):
    a = camille_activity
    post(
        line(acc.AR, a, "1149.75"),
        line(acc.REVENUE, a, "-1000.00"),
        line(acc.GST_PAYABLE, a, "-50.00"),
        line(acc.QST_PAYABLE, a, "-99.75"),
        date=dt.date(2026, 1, 15),
        description='Facture 2026-0001 « Éditions du "Fleuve" »',
        source=a,
    )
    post(
        line(acc.CONTRIBUTION_EXPENSE, a, "65.00"),
        line(acc.CONTRIBUTION_INCOME, coop, "-55.00"),
        line(acc.CONTRIBUTION_INCOME, fonds, "-10.00"),
        date=dt.date(2026, 1, 15),
        description="Contribution",
    )
    post(
        line(acc.BANK, a, "1149.75"),
        line(acc.AR, a, "-1149.75"),
        date=dt.date(2026, 2, 10),
        description="Paiement",
    )
    wrong = post(
        line(acc.SPACE_EXPENSE, jerome_activity, "40.00"),
        line(acc.SPACE_INCOME, coop, "-40.00"),
        date=dt.date(2026, 2, 20),
        description="Réservation",
    )
    entry_reverse(entry=wrong, date=dt.date(2026, 3, 1), acting_user=sylvie, reason="Doublon")
    post(
        line(acc.SALARIES, a, "700.00"),
        line(acc.NET_PAY_PAYABLE, a, "-700.00"),
        date=dt.date(2026, 3, 31),
        description="Paie 2026-03",
    )


def _export(tmp_path: Path, *args: str) -> Path:
    path = tmp_path / "maille.beancount"
    call_command("ledger", "export", "--format", "beancount", "-o", str(path), *args)
    return path


def _bean_balances(path: Path) -> dict[str, Decimal]:
    entries, errors, _options = loader.load_file(str(path))
    assert not errors, errors
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        if isinstance(entry, data.Transaction):
            for posting in entry.postings:
                assert posting.units is not None and posting.units.number is not None
                totals[posting.account] += posting.units.number
    return {k: v for k, v in totals.items() if v}


def _maille_balances(as_of: dt.date | None = None) -> dict[str, Decimal]:
    return {
        beancount_account(r.account): r.balance
        for r in trial_balance(as_of=as_of).rows
        if r.balance
    }


def test_bean_check_accepts_the_export_and_its_balances_are_the_trial_balance(books, tmp_path):
    path = _export(tmp_path)
    result = subprocess.run(
        [str(BEAN_CHECK), str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert _bean_balances(path) == _maille_balances()
    text = path.read_text()
    assert "Liabilities:2110-QST-Payable" in text
    assert "balance Assets:1000-Bank  1149.75 CAD" in text
    assert '"Facture 2026-0001 « Éditions du \\"Fleuve\\" »"' in text


def test_an_export_between_two_dates_opens_with_the_balances_of_the_day_before(books, tmp_path):
    path = _export(tmp_path, "--from", "2026-02-01", "--to", "2026-02-28")
    result = subprocess.run(
        [str(BEAN_CHECK), str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert _bean_balances(path) == _maille_balances(as_of=dt.date(2026, 2, 28))
    text = path.read_text()
    assert "Paie 2026-03" not in text
    assert "Opening balances" in text


def test_bean_check_refuses_an_export_that_lost_an_entry(books, tmp_path):
    # The balance assertions at the end are Maille's trial balance: a file
    # missing one (balanced) entry no longer passes.
    path = _export(tmp_path)
    blocks = path.read_text().split("\n\n")
    path.write_text("\n\n".join(b for b in blocks if "Paie 2026-03" not in b))
    result = subprocess.run(
        [str(BEAN_CHECK), str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "Balance failed" in result.stdout + result.stderr


def test_an_empty_ledger_exports_a_valid_file(db, tmp_path):
    path = _export(tmp_path)
    result = subprocess.run(
        [str(BEAN_CHECK), str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_csv_export_has_one_row_per_line(books, tmp_path, camille_activity):
    path = tmp_path / "journal.csv"
    call_command(
        "ledger",
        "export",
        "--format",
        "csv",
        "-o",
        str(path),
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-31",
    )
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0] == [
        "date",
        "entry",
        "account",
        "account_name",
        "activity",
        "debit",
        "credit",
        "description",
        "memo",
        "source",
    ]
    assert len(rows) == 1 + 7
    assert rows[1] == [
        "2026-01-15",
        "JE-0000001",
        acc.AR,
        "Comptes clients",
        camille_activity.code,
        "1149.75",
        "",
        rows[1][7],
        "",
        f"members.activity:{camille_activity.pk}",
    ]
    assert rows[2][5:7] == ["", "1000.00"]
    debits = sum(Decimal(r[5] or 0) for r in rows[1:])
    credits = sum(Decimal(r[6] or 0) for r in rows[1:])
    assert debits == credits == Decimal("1214.75")


def test_verify_finds_nothing_wrong_in_a_sound_ledger(books, capsys):
    call_command("ledger", "verify")
    assert "consistent" in capsys.readouterr().out


def test_verify_reports_a_running_balance_that_drifted_and_rebuild_repairs_it(books, capsys):
    # The running balances are a cache, not protected by triggers: spoil one.
    Balance.objects.filter(account__code=acc.BANK).update(amount=Decimal("1.00"))
    with pytest.raises(SystemExit) as exit_:
        call_command("ledger", "verify")
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert "Balance of account 1000" in out
    assert "1.00 stored, 1149.75 from the lines" in out
    call_command("ledger", "verify", "--rebuild")
    assert "consistent" in capsys.readouterr().out


def test_accounts_are_named_for_beancount(db):
    names = {beancount_account(a) for a in Account.objects.all()}
    assert "Liabilities:2200-Source-Deductions-Payable-Federal" in names
    assert "Liabilities:2210-Source-Deductions-Payable-Quebec" in names
    assert "Income:4000-Revenue" in names
    assert len(names) == Account.objects.count()
