"""Staff act on bank lines: confirm, match by hand (split), something else, unmatch;
two people at once; reconciliation and its lock."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from maille.invoicing.models import InvoiceStatus
from maille.ledger import accounts
from maille.ledger.selectors import balance
from maille.payments import bank
from maille.payments.exceptions import MatchConflict, PeriodReconciled
from maille.payments.models import LineStatus, Payment, Reconciliation
from maille.payments.services import AllocationSpec
from maille.payments.tests.test_matching import run

pytestmark = pytest.mark.django_db


def test_a_proposal_confirmed_pays_the_invoice(
    operating, issue, camille_activity, client_qc, sylvie
):
    invoice = issue(camille_activity, client_qc)
    (line,) = run(operating, ("2026/06/10", "Virement /QUELQU'UN", "1149.75"))
    bank.line_confirm(line=line, acting_user=sylvie, expected_version=line.version)
    line.refresh_from_db()
    invoice.refresh_from_db()
    assert line.status == LineStatus.MATCHED and invoice.status == InvoiceStatus.PAID


def test_the_second_of_two_confirmations_is_told(
    operating, issue, camille_activity, client_qc, sylvie, anne
):
    issue(camille_activity, client_qc)
    (line,) = run(operating, ("2026/06/10", "Virement /QUELQU'UN", "1149.75"))
    seen = line.version
    bank.line_confirm(line=line, acting_user=sylvie, expected_version=seen)
    with pytest.raises(MatchConflict):
        bank.line_confirm(line=line, acting_user=anne, expected_version=seen)
    assert Payment.objects.count() == 1


def test_a_line_split_by_hand_across_two_invoices(
    operating, issue, camille_activity, client_qc, sylvie
):
    one = issue(camille_activity, client_qc)
    two = issue(camille_activity, client_qc, "2", "100.00")
    (line,) = run(operating, ("2026/06/10", "Dépôt /X", "1000.00"))
    bank.line_match_invoices(
        line=line,
        client=client_qc,
        allocations=[AllocationSpec(one, D("800.00")), AllocationSpec(two, D("150.00"))],
        acting_user=sylvie,
    )
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.amount_paid, two.amount_paid) == (D("800.00"), D("150.00"))
    assert balance(account=accounts.CLIENT_CREDITS) == D("-50.00")


def test_unmatching_reverses_the_payment_and_reopens_the_invoice(
    operating, issue, camille_activity, client_qc, sylvie
):
    invoice = issue(camille_activity, client_qc)
    (line,) = run(operating, ("2026/06/10", f"Virement /{invoice.number}", "1149.75"))
    bank.line_unmatch(line=line, acting_user=sylvie, reason="Mauvais client")
    line.refresh_from_db()
    invoice.refresh_from_db()
    assert line.status == LineStatus.UNMATCHED and invoice.status == InvoiceStatus.ISSUED
    assert Payment.objects.get().is_reversed
    assert balance(account=accounts.BANK) == D("0")


def test_fees_marked_as_such_go_to_the_coop_expense_and_back(operating, sylvie):
    (line,) = run(operating, ("2026/06/10", "Frais de service /MENSUELS", "-4.95"))
    bank.line_confirm(line=line, acting_user=sylvie, expected_version=line.version)
    assert balance(account=accounts.BANK_FEES) == D("4.95")
    line.refresh_from_db()
    bank.line_unmatch(line=line, acting_user=sylvie)
    assert balance(account=accounts.BANK_FEES) == D("0")
    line.refresh_from_db()
    bank.line_mark_other(line=line, kind="fees", acting_user=sylvie)
    assert balance(account=accounts.BANK_FEES) == D("4.95")


def test_reconciled_balances_agree_and_the_period_is_locked(
    operating, issue, camille_activity, client_qc, sylvie
):
    invoice = issue(camille_activity, client_qc)
    lines = run(
        operating,
        ("2026/06/02", f"Virement /{invoice.number}", "1149.75"),
        ("2026/06/10", "Frais de service /MENSUELS", "-4.95"),
    )
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("bank", "reconcile", "--account", "1000", "--to", "2026-06-30", stdout=out)
    assert exit_.value.code == 1 and "difference -4.95" in out.getvalue()
    fee = lines[1]
    fee.refresh_from_db()
    bank.line_confirm(line=fee, acting_user=sylvie, expected_version=fee.version)
    out = io.StringIO()
    call_command("bank", "reconcile", "--account", "1000", "--to", "2026-06-30", stdout=out)
    assert "difference 0.00" in out.getvalue()
    assert balance(account=accounts.BANK, as_of=dt.date(2026, 6, 30)) == D("1144.80")
    assert Reconciliation.objects.get().bank_closing == D("1144.80")
    fee.refresh_from_db()
    with pytest.raises(PeriodReconciled):
        bank.line_unmatch(line=fee, acting_user=sylvie)
