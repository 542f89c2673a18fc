"""How the co-op pays an approved supplier invoice, never twice:

- with the supplier's bank account, in the next pay run's bank file (CPA-005
  code 460, accounts payable), paid when the file is sent;
- without, staff record the payment made outside Maille, and the bank
  statement's debit line is matched to it (the payments app's "expected
  movement"), whether the statement comes after the payment or before it.
Each time *suppliers payable* ends at zero and the bank is debited once."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from maille.expenses.exceptions import ClaimConflict
from maille.expenses.models import PurchaseStatus
from maille.expenses.services import purchase_approve, purchase_create, purchase_pay
from maille.expenses.tests.helpers import GST_NUMBER, QST_NUMBER, TODAY, pdf
from maille.ledger import accounts
from maille.ledger.models import Account, JournalEntry, JournalLine
from maille.ledger.selectors import ledger_problems
from maille.members.models import Activity
from maille.payments.bank import queue_rematch
from maille.payments.importing import statement_import
from maille.payments.models import BankAccount, BankLine, LineStatus, MatchKind
from maille.payroll import services as payroll
from maille.payroll.bankfile import bank_file_create, bank_file_mark_sent
from maille.payroll.tests.helpers import calendar, fund

pytestmark = pytest.mark.django_db
ZERO = Decimal("0.00")
HEAD = "815-30001,1234567,EOP"


def _sum(code, activity=None):
    lines = JournalLine.objects.filter(account__code=code)
    if activity is not None:
        lines = lines.filter(activity=activity)
    return sum((line.amount for line in lines), ZERO)


def _approved(camille, activity, staff, *, bank_account="", number="IMP-118", amount="1149.75"):
    purchase = purchase_create(
        acting_user=camille.user,
        activity=activity,
        invoice_number=number,
        date=dt.date(2026, 3, 2),
        supplier="Imprimerie Laval",
        category="subcontracting",
        amount=amount,
        supplier_gst_number=GST_NUMBER,
        supplier_qst_number=QST_NUMBER,
        supplier_bank_account=bank_account,
        document=io.BytesIO(pdf()),
        today=TODAY,
    )
    purchase_approve(purchase=purchase, acting_user=staff)
    purchase.refresh_from_db()
    assert purchase.status == PurchaseStatus.APPROVED
    return purchase


def _segments(bank_file):
    return [
        record[24 + i * 240 : 24 + (i + 1) * 240]
        for record in bank_file.content.split("\r\n")
        if record.startswith("C")
        for i in range(6)
        if record[24 + i * 240 : 24 + (i + 1) * 240].strip()
    ]


def test_with_the_suppliers_account_it_is_paid_by_the_bank_file(
    camille, camille_activity, jerome, sylvie
):
    calendar()
    fund(camille_activity, "3000.00")
    in_file = _approved(camille, camille_activity, sylvie, bank_account="815-30001-7777777")
    by_hand = _approved(camille, camille_activity, sylvie, number="IMP-119", amount="57.49")
    run = payroll.payrun_prepare(pay_date=dt.date(2026, 3, 19), acting_user=sylvie)
    payroll.payrun_approve(run=run, acting_user=sylvie)
    run = payroll.payrun_post(run=run, acting_user=sylvie)
    bank_file = bank_file_create(run=run, acting_user=sylvie)
    (segment,) = [s for s in _segments(bank_file) if s[:3] == "460"]
    assert segment[3:13] == "0000114975"
    assert segment[19:28] == "081530001" and segment[28:40].strip() == "7777777"
    assert segment[80:110].strip().upper().startswith("IMPRIMERIE LAVAL")
    assert segment[150:169].strip() == f"MAILLEA{in_file.pk}"
    in_file.refresh_from_db()
    by_hand.refresh_from_db()
    assert (in_file.status, in_file.bank_file) == (PurchaseStatus.IN_BANK_FILE, bank_file)
    assert by_hand.status == PurchaseStatus.APPROVED and by_hand.bank_file is None
    # In a file, it cannot also be paid by hand.
    with pytest.raises(ClaimConflict, match="fichier"):
        purchase_pay(purchase=in_file, acting_user=sylvie, paid_on=dt.date(2026, 3, 18))
    coop = Activity.objects.get(code="COOP")
    bank_before = _sum(accounts.BANK, coop)
    bank_file_mark_sent(bank_file=bank_file, acting_user=sylvie)
    in_file.refresh_from_db()
    assert in_file.status == PurchaseStatus.PAID
    assert in_file.paid_on == max(run.pay_date, bank_file.created_on)
    supplier_entry = JournalEntry.objects.get(
        idempotency_key=f"expenses:bankfile:{bank_file.pk}:suppliers"
    )
    assert sum(line.amount for line in supplier_entry.lines.all()) == ZERO
    assert _sum(accounts.BANK, coop) - bank_before <= Decimal("-1149.75")
    # Only the one still approved is owed to a supplier.
    assert _sum(accounts.SUPPLIERS_PAYABLE, coop) == Decimal("-57.49")
    assert ledger_problems() == []


def test_a_file_sent_twice_pays_nothing_twice(camille, camille_activity, sylvie):
    calendar()
    fund(camille_activity, "3000.00")
    _approved(camille, camille_activity, sylvie, bank_account="815-30001-7777777")
    run = payroll.payrun_prepare(pay_date=dt.date(2026, 3, 19), acting_user=sylvie)
    payroll.payrun_approve(run=run, acting_user=sylvie)
    run = payroll.payrun_post(run=run, acting_user=sylvie)
    bank_file = bank_file_create(run=run, acting_user=sylvie)
    assert bank_file_create(run=run, acting_user=sylvie) == bank_file
    bank_file_mark_sent(bank_file=bank_file, acting_user=sylvie)
    with pytest.raises(Exception, match="déjà"):
        bank_file_mark_sent(bank_file=bank_file, acting_user=sylvie)
    assert _sum(accounts.SUPPLIERS_PAYABLE) == ZERO
    assert JournalEntry.objects.filter(idempotency_key__endswith=":suppliers").count() == 1


@pytest.fixture
def operating(db):
    """The co-op's operating account, mirrored by ledger account 1000."""
    return BankAccount.objects.create(
        name="Desjardins — opérations",
        institution="815",
        transit="30001",
        number="1234567",
        ledger_account=Account.objects.get(code=accounts.BANK),
    )


def _statement(operating, *rows):
    """rows of (YYYY/MM/DD, description, signed amount): a Desjardins CSV."""
    out = []
    for n, (day, description, amount) in enumerate(rows, start=1):
        amount = Decimal(amount)
        withdrawal, deposit = (f"{-amount:.2f}", "") if amount < 0 else ("", f"{amount:.2f}")
        out.append(f'{HEAD},{day},{n},"{description}",,{withdrawal},{deposit},,,,,\r\n')
    statement_import(
        bank_account=operating,
        data="".join(out).encode("cp1252"),
        filename=f"releve-{rows[0][0].replace('/', '')}.csv",
        acting_user=None,
    )


def test_paid_by_hand_then_the_statement_line_is_the_expected_movement(
    camille, camille_activity, sylvie, operating
):
    fund(camille_activity, "3000.00")
    purchase = _approved(camille, camille_activity, sylvie)
    purchase_pay(
        purchase=purchase, acting_user=sylvie, paid_on=dt.date(2026, 3, 16), reference="Vir. 12"
    )
    entries_before = JournalEntry.objects.count()
    _statement(operating, ("2026/03/17", "Paiement facture /IMPRIMERIE LAVAL", "-1149.75"))
    line = BankLine.objects.get()
    assert (line.status, line.match_kind) == (LineStatus.MATCHED, MatchKind.EXPECTED)
    assert line.entry.idempotency_key == f"expenses:purchase:{purchase.pk}:paid"
    # Nothing recorded a second time: no new entry, the payable is cleared once.
    assert JournalEntry.objects.count() == entries_before
    assert _sum(accounts.SUPPLIERS_PAYABLE) == ZERO
    assert ledger_problems() == []


def test_statement_first_then_the_payment_recorded_then_matched_again(
    camille, camille_activity, sylvie, operating
):
    fund(camille_activity, "3000.00")
    purchase = _approved(camille, camille_activity, sylvie)
    _statement(operating, ("2026/03/17", "Paiement facture /IMPRIMERIE LAVAL", "-1149.75"))
    line = BankLine.objects.get()
    assert line.status == LineStatus.UNMATCHED  # a debit the ledger does not expect yet
    purchase_pay(purchase=purchase, acting_user=sylvie, paid_on=dt.date(2026, 3, 17))
    counts = queue_rematch(account=operating, acting_user=sylvie)
    assert counts[LineStatus.MATCHED] == 1
    line.refresh_from_db()
    assert line.match_kind == MatchKind.EXPECTED
    assert line.entry.idempotency_key == f"expenses:purchase:{purchase.pk}:paid"
    # Matching again changes nothing.
    assert queue_rematch(account=operating, acting_user=sylvie)["lines"] == 0
    assert _sum(accounts.SUPPLIERS_PAYABLE) == ZERO


def test_a_debit_of_another_amount_is_not_taken_for_the_payment(
    camille, camille_activity, sylvie, operating
):
    fund(camille_activity, "3000.00")
    purchase = _approved(camille, camille_activity, sylvie)
    purchase_pay(purchase=purchase, acting_user=sylvie, paid_on=dt.date(2026, 3, 16))
    _statement(operating, ("2026/03/17", "Paiement /IMPRIMERIE LAVAL", "-1149.57"))
    assert BankLine.objects.get().status == LineStatus.UNMATCHED


def test_staff_see_the_whole_account_the_bank_file_will_pay(
    camille, camille_activity, sylvie, as_sylvie, as_camille
):
    """Staff check the account against the supplier's invoice; the member sees it masked."""
    fund(camille_activity, "3000.00")
    purchase = _approved(camille, camille_activity, sylvie, bank_account="815-30001-7777777")
    url = f"/depenses/achats/{purchase.pk}/"
    assert b"815-30001-7777777" in as_sylvie.get(url).content
    page = as_camille.get(url).content
    assert b"815-30001-7777777" not in page and b"7777" in page
