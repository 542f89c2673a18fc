"""Staff act on bank lines: confirm, match by hand (split), something else, unmatch;
two people at once; reconciliation and its lock."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from maille.invoicing.models import InvoiceStatus
from maille.ledger import accounts
from maille.ledger.selectors import balance
from maille.payments import bank, services
from maille.payments.exceptions import (
    MatchConflict,
    PaymentRefused,
    PeriodReconciled,
    StatementRefused,
)
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


def test_nothing_new_is_dated_in_a_reconciled_period(
    operating, issue, camille_activity, client_qc, sylvie
):
    invoice = issue(camille_activity, client_qc)
    (line,) = run(operating, ("2026/06/02", f"Virement /{invoice.number}", "1149.75"))
    assert line.status == LineStatus.MATCHED
    reconciled = bank.reconcile(account=operating, to=dt.date(2026, 6, 30), acting_user=sylvie)
    assert (reconciled.period_start, reconciled.period_end) == (
        dt.date(2026, 6, 2),
        dt.date(2026, 6, 30),
    )
    # A statement bringing a new movement into June: refused, the line named.
    with pytest.raises(StatementRefused) as refused:
        run(operating, ("2026/06/15", "Dépôt /CHQ 000419", "91.98"))
    assert "Ligne 1" in refused.value.problems[0] and "2026-06-30" in refused.value.problems[0]
    # The same June line again is only a duplicate, and July is open.
    lines = run(
        operating,
        ("2026/06/02", f"Virement /{invoice.number}", "1149.75"),
        ("2026/07/02", "Dépôt /CHQ 000420", "50.00"),
    )
    assert [ln.date for ln in lines] == [dt.date(2026, 6, 2), dt.date(2026, 7, 2)]
    # Nor is money recorded by hand, reversed or refunded in June.
    june = dt.date(2026, 6, 20)
    with pytest.raises(PaymentRefused, match="2026-06-30"):
        services.payment_record(
            bank_account=operating, client=client_qc, date=june, amount=D("10.00"),
            method="cheque", acting_user=sylvie,
        )  # fmt: skip
    payment = Payment.objects.get()
    with pytest.raises(PaymentRefused, match="2026-06-30"):
        services.payment_reverse(payment=payment, date=june, reason="NSF", acting_user=sylvie)
    with pytest.raises(PaymentRefused, match="2026-06-30"):
        services.credit_refund(
            payment=payment, amount=D("1.00"), method="cheque", acting_user=sylvie, date=june
        )
    assert balance(account=accounts.BANK, as_of=dt.date(2026, 6, 30)) == D("1149.75")


def test_last_months_statement_imported_after_this_months_sets_the_opening_balance(
    operating, tmp_path
):
    _desjardins(tmp_path, "july.csv", "2026/07/02", "100.00", "1100.00")
    _desjardins(tmp_path, "june.csv", "2026/06/05", "50.00", "1000.00")
    operating.refresh_from_db()
    assert operating.opening_balance == D("950.00")  # before June's deposit
    view = bank.reconciliation_view(account=operating, to=dt.date(2026, 7, 31))
    assert view.bank_closing == D("1100.00")  # what the bank's July statement says


def _desjardins(tmp_path, name, day, amount, balance):
    """A one-line Desjardins statement, with the bank's running balance."""
    path = tmp_path / name
    path.write_bytes(
        f'815-30001,1234567,EOP,{day},1,"Dépôt /CHQ",,,{amount},,,,,{balance}\r\n'.encode("cp1252")
    )
    call_command("bank", "import", str(path), "--account", "1000", stdout=io.StringIO())


def test_a_statement_missing_between_two_is_shown_at_reconciliation(operating, tmp_path, as_sylvie):
    _desjardins(tmp_path, "june.csv", "2026/06/05", "50.00", "1000.00")
    _desjardins(tmp_path, "july.csv", "2026/07/02", "100.00", "1100.00")
    operating.refresh_from_db()  # June's import set its opening balance
    view = bank.reconciliation_view(account=operating, to=dt.date(2026, 7, 31))
    assert view.breaks == []  # July opens where June closed
    # September's statement opens at 1 300,00: August's 200,00 was never imported.
    _desjardins(tmp_path, "september.csv", "2026/09/01", "10.00", "1310.00")
    view = bank.reconciliation_view(account=operating, to=dt.date(2026, 9, 30))
    (gap,) = view.breaks
    assert gap.statement.filename == "september.csv"
    assert (gap.lines_before, gap.difference) == (D("1100.00"), D("200.00"))
    page = as_sylvie.get(f"/bank/{operating.pk}/reconcile/", {"to": "2026-09-30"})
    text = page.content.decode()
    assert "september.csv" in text and "200,00" in text


def test_proposals_confirmed_in_bulk_leave_an_audit_row_naming_who(
    as_sylvie, sylvie, operating, issue, camille_activity, client_qc
):
    issue(camille_activity, client_qc)
    issue(camille_activity, client_qc, "2", "100.00")
    lines = run(
        operating,
        ("2026/06/10", "Virement /QUELQU'UN", "1149.75"),
        ("2026/06/11", "Virement /AUTRE", "229.95"),
    )
    assert all(line.status == LineStatus.SUGGESTED for line in lines)
    as_sylvie.post("/bank/lines/confirm/", {f"line-{line.pk}": line.version for line in lines})
    for line in lines:
        line.refresh_from_db()
        assert line.status == LineStatus.MATCHED
        last = line.history.first()
        assert (last.history_user, last.status) == (sylvie, LineStatus.MATCHED)
        # The matcher's proposal left its own row before it.
        assert line.history.filter(status=LineStatus.SUGGESTED).exists()


def test_the_queue_matched_again_takes_a_cheque_recorded_since(
    operating, issue, camille_activity, client_qc, sylvie
):
    (line,) = run(operating, ("2026/06/10", "Dépôt /CHQ 000512", "300.00"))
    assert line.status == LineStatus.UNMATCHED
    payment = services.payment_record(
        bank_account=operating,
        client=client_qc,
        date=dt.date(2026, 6, 9),
        amount=D("300.00"),
        method="cheque",
        acting_user=sylvie,
    )
    out = io.StringIO()
    call_command("bank", "rematch", "--account", "1000", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "matched": 1, "suggested": 0, "unmatched": 0, "lines": 1
    }  # fmt: skip
    line.refresh_from_db()
    assert (line.status, line.match_kind, line.payment) == ("matched", "expected", payment)
    assert Payment.objects.count() == 1  # received once
    version = line.version
    assert bank.queue_rematch(account=None, acting_user=sylvie)["lines"] == 0
    line.refresh_from_db()
    assert line.version == version


def test_a_proposal_no_longer_true_is_withdrawn_when_the_queue_is_matched_again(
    as_sylvie,
    operating,
    issue,
    camille_activity,
    client_qc,
    sylvie,
    django_capture_on_commit_callbacks,
):
    invoice = issue(camille_activity, client_qc)
    (line,) = run(operating, ("2026/06/10", "Virement /QUELQU'UN", "1149.75"))
    assert line.status == LineStatus.SUGGESTED
    # The invoice is paid by a cheque dated long before: the proposal is no longer true.
    services.payment_record(
        bank_account=operating,
        client=client_qc,
        date=dt.date(2026, 5, 1),
        amount=D("1149.75"),
        method="cheque",
        acting_user=sylvie,
        allocations=[services.AllocationSpec(invoice, D("1149.75"))],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = as_sylvie.post("/bank/lines/rematch/")
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.status, line.proposal) == (LineStatus.UNMATCHED, {})
