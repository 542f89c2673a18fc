"""Each matching rule, and its counter-example."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from maille.invoicing.models import InvoiceStatus
from maille.ledger import accounts
from maille.ledger.selectors import balance
from maille.payments import services
from maille.payments.importing import statement_import
from maille.payments.models import BankLine, LineStatus, MatchKind, OtherKind
from maille.tests_support import factories

pytestmark = pytest.mark.django_db
HEAD = "815-30001,1234567,EOP"


def desjardins(*rows):
    """rows of (date, description, amount): a Desjardins CSV."""
    out = []
    for n, (day, description, amount) in enumerate(rows, start=1):
        amount = D(amount)
        withdrawal, deposit = (f"{-amount:.2f}", "") if amount < 0 else ("", f"{amount:.2f}")
        out.append(f'{HEAD},{day},{n},"{description}",,{withdrawal},{deposit},,,,,\r\n')
    return "".join(out).encode("cp1252")


def run(operating, *rows):
    statement_import(
        bank_account=operating, data=desjardins(*rows), filename="s.csv", acting_user=None
    )
    return list(BankLine.objects.order_by("pk"))


def cheque(operating, invoice, user, day):
    """The whole of ``invoice`` paid by a cheque recorded by hand on ``day``."""
    return services.payment_record(
        bank_account=operating,
        client=invoice.client,
        date=day,
        amount=invoice.total,
        method="cheque",
        acting_user=user,
        allocations=[services.AllocationSpec(invoice, invoice.total)],
    )


def test_an_invoice_number_in_the_text_is_certain(operating, issue, camille_activity, client_qc):
    invoice = issue(camille_activity, client_qc)
    (line,) = run(operating, ("2026/06/10", f"Virement /FACTURE {invoice.number}", "1149.75"))
    assert (line.status, line.match_kind) == (LineStatus.MATCHED, MatchKind.INVOICES)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert line.payment.allocations.get().invoice == invoice
    assert balance(account=accounts.BANK) == D("1149.75")


def test_a_number_of_an_invoice_already_paid_is_not_a_match(
    operating, issue, camille_activity, client_qc, sylvie
):
    invoice = issue(camille_activity, client_qc)
    cheque(operating, invoice, sylvie, dt.date(2026, 6, 2))
    (_expected, line) = run(
        operating,
        ("2026/06/03", "Dépôt /CHQ", "1149.75"),
        ("2026/06/20", f"Virement /INCONNU {invoice.number}", "80.00"),
    )
    assert line.status == LineStatus.UNMATCHED


def test_the_payer_and_the_exact_open_amount_are_certain(
    operating, issue, camille_activity, client_qc
):
    invoice = issue(camille_activity, client_qc)
    (line,) = run(operating, ("2026/06/10", "Virement reçu /EDITIONS DU FLEUVE", "1149.75"))
    assert line.status == LineStatus.MATCHED
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


def test_the_exact_amount_from_someone_else_is_only_proposed(
    operating, issue, camille_activity, client_qc
):
    invoice = issue(camille_activity, client_qc)
    (line,) = run(operating, ("2026/06/10", "Virement reçu /QUELQU'UN D'AUTRE", "1149.75"))
    assert line.status == LineStatus.SUGGESTED
    assert invoice.number in line.reason
    assert line.proposal["invoices"] == [{"invoice": invoice.pk, "amount": "1149.75"}]
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED


def test_one_payment_for_two_invoices_is_proposed(operating, issue, camille_activity, client_qc):
    one = issue(camille_activity, client_qc, day=dt.date(2026, 5, 20))
    two = issue(camille_activity, client_qc, "2", "100.00")
    (line,) = run(operating, ("2026/06/10", "Virement /EDITIONS DU FLEUVE INC", "1379.70"))
    assert line.status == LineStatus.SUGGESTED
    assert {r["invoice"] for r in line.proposal["invoices"]} == {one.pk, two.pk}


def test_an_interac_sender_who_is_a_client_is_proposed_oldest_first(
    operating, issue, camille_activity, client_qc
):
    old = issue(camille_activity, client_qc, day=dt.date(2026, 5, 20))
    issue(camille_activity, client_qc)
    (line,) = run(operating, ("2026/06/10", "Virement Interac /Éditions du Fleuve", "500.00"))
    assert line.status == LineStatus.SUGGESTED
    assert line.proposal["invoices"] == [{"invoice": old.pk, "amount": "500.00"}]


def test_a_stranger_with_no_matching_amount_waits_in_the_queue(
    operating, issue, camille_activity, client_qc
):
    issue(camille_activity, client_qc)
    (line,) = run(operating, ("2026/06/10", "Virement Interac /NATHALIE ROY", "100.00"))
    assert line.status == LineStatus.UNMATCHED


def test_a_cheque_recorded_by_hand_is_the_expected_movement_not_a_second_payment(
    operating, issue, camille_activity, client_qc, sylvie
):
    invoice = issue(camille_activity, client_qc)
    payment = cheque(operating, invoice, sylvie, dt.date(2026, 6, 5))
    (line,) = run(
        operating, ("2026/06/08", f"Dépôt /EDITIONS DU FLEUVE {invoice.number}", "1149.75")
    )
    assert (line.status, line.match_kind, line.payment) == (
        LineStatus.MATCHED,
        MatchKind.EXPECTED,
        payment,
    )
    assert balance(account=accounts.BANK) == D("1149.75")  # received once


def test_a_cheque_returned_nsf_matches_its_reversal(
    operating, issue, camille_activity, client_qc, sylvie
):
    invoice = issue(camille_activity, client_qc)
    (deposit,) = run(
        operating, ("2026/06/08", f"Dépôt /EDITIONS DU FLEUVE {invoice.number}", "1149.75")
    )
    services.payment_reverse(
        payment=deposit.payment, date=dt.date(2026, 6, 10), reason="NSF", acting_user=sylvie
    )
    _deposit, returned = run(operating, ("2026/06/11", "Retour chèque NSF /FLEUVE", "-1149.75"))
    reversal = deposit.entry.reversed_by
    assert (returned.status, returned.match_kind, returned.entry) == (
        LineStatus.MATCHED,
        MatchKind.EXPECTED,
        reversal,
    )
    assert returned.payment == deposit.payment
    assert balance(account=accounts.BANK) == D("0.00")  # in, out: as the bank says
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED


def test_a_payment_reversed_before_the_bank_saw_it_expects_nothing(
    operating, issue, camille_activity, client_qc, sylvie
):
    invoice = issue(camille_activity, client_qc)
    payment = cheque(operating, invoice, sylvie, dt.date(2026, 6, 5))
    # Recorded by mistake and reversed: neither movement reaches the bank.
    services.payment_reverse(
        payment=payment, date=dt.date(2026, 6, 6), reason="Saisie en double", acting_user=sylvie
    )
    (line,) = run(operating, ("2026/06/08", "Retrait /FOURNISSEUR", "-1149.75"))
    assert line.status == LineStatus.UNMATCHED


def test_an_expected_movement_too_far_in_time_is_not_taken(
    operating, issue, camille_activity, client_qc, sylvie
):
    services.payment_record(
        bank_account=operating,
        client=client_qc,
        date=dt.date(2026, 5, 1),
        amount=D("300.00"),
        method="cheque",
        acting_user=sylvie,
    )
    (line,) = run(operating, ("2026/06/08", "Dépôt /CHQ 1", "300.00"))
    assert line.status == LineStatus.UNMATCHED


def test_bank_fees_are_proposed_as_fees(operating):
    (line,) = run(operating, ("2026/06/10", "Frais de service /FRAIS MENSUELS", "-4.95"))
    assert (line.status, line.proposal) == (LineStatus.SUGGESTED, {"other": OtherKind.BANK_FEES})


def test_a_withdrawal_without_a_clue_waits(operating):
    (line,) = run(operating, ("2026/06/10", "Retrait /GUICHET", "-40.00"))
    assert line.status == LineStatus.UNMATCHED


def test_another_clients_number_with_a_different_payer_still_goes_to_that_invoice(
    operating, issue, camille_activity, client_qc
):
    other = factories.ClientFactory(legal_name="Autre inc.", province="QC")
    invoice = issue(camille_activity, other)
    (line,) = run(
        operating, ("2026/06/10", f"Virement /EDITIONS DU FLEUVE {invoice.number}", "100.00")
    )
    assert line.status == LineStatus.MATCHED
    assert line.payment.client == other


@pytest.mark.parametrize("chunk", [2, 3, 5000])
def test_lines_are_read_a_chunk_at_a_time_and_what_a_line_pays_is_off_the_book(
    operating, issue, camille_activity, client_qc, monkeypatch, chunk
):
    """A statement is matched a chunk of lines at a time (never whole in memory).
    What a certain match pays is off the book for the next line, in the same
    chunk or the next: the same invoice number twice pays it once, and the
    second deposit waits in the queue (a client paying twice: staff decide)."""
    from maille.payments import matching

    monkeypatch.setattr(matching, "CHUNK", chunk)
    invoice = issue(camille_activity, client_qc)
    lines = run(
        operating,
        ("2026/06/10", "Frais de service /FRAIS", "-4.95"),
        ("2026/06/10", "Retrait /FOURNISSEUR", "-80.00"),
        ("2026/06/11", f"Virement /FACTURE {invoice.number}", "1149.75"),
        ("2026/06/12", f"Virement /ENCORE {invoice.number}", "1149.75"),
        ("2026/06/13", "Virement /INCONNU", "12.00"),
    )
    assert [line.status for line in lines] == [
        LineStatus.SUGGESTED,
        LineStatus.UNMATCHED,
        LineStatus.MATCHED,
        LineStatus.UNMATCHED,
        LineStatus.UNMATCHED,
    ]
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == (InvoiceStatus.PAID, D("1149.75"))
    assert balance(account=accounts.BANK) == D("1149.75")


def test_a_line_staff_handle_while_the_matcher_runs_is_left_to_them(
    operating, issue, camille_activity, client_qc, sylvie, monkeypatch
):
    """The matcher lists the lines, then reads each chunk again under lock with
    its filter: a line staff marked meanwhile is theirs (no second payment), and
    each payment the matcher records goes to its own line."""
    from maille.payments import bank, matching

    first, second = issue(camille_activity, client_qc), issue(camille_activity, client_qc)
    load_book = matching.load_book

    def staff_act_meanwhile(*args, **kwargs):
        book = load_book(*args, **kwargs)
        line = BankLine.objects.order_by("pk").first()
        bank.line_mark_other(line=line, kind=OtherKind.BANK_FEES, acting_user=sylvie)
        return book

    monkeypatch.setattr(matching, "load_book", staff_act_meanwhile)
    marked, paid = run(
        operating,
        ("2026/06/10", f"Virement /FACTURE {first.number}", "1149.75"),
        ("2026/06/11", f"Virement /FACTURE {second.number}", "1149.75"),
    )
    assert (marked.status, marked.payment) == (LineStatus.OTHER, None)
    assert paid.status == LineStatus.MATCHED
    assert paid.payment.allocations.get().invoice == second
    assert paid.entry.source_id == paid.payment_id  # its own payment's receipt
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (InvoiceStatus.ISSUED, InvoiceStatus.PAID)
