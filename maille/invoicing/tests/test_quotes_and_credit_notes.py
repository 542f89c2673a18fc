"""Invoices from accepted quotes, credit notes, final invoices (art. 2125), internal invoices."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from maille.contracts.models import QuoteMilestone, QuoteStatus
from maille.contracts.tests.helpers import accepted_quote, lines, sent_quote
from maille.invoicing import services
from maille.invoicing.models import InvoiceKind, QuoteMode
from maille.invoicing.services import InvoiceNotIssuable, InvoicingError

pytestmark = pytest.mark.django_db


@pytest.fixture
def quote(camille, camille_activity, client_qc, sylvie):
    return accepted_quote(camille, camille_activity, client_qc, sylvie)


def issue(invoice, staff):
    return services.invoice_issue(invoice=invoice, acting_user=staff)


def test_the_whole_accepted_quote(quote, sylvie, camille):
    invoice = services.invoice_create_from_quote(quote=quote, acting_user=camille.user)
    issued = issue(invoice, sylvie)
    assert issued.total == D("1149.75")
    assert issued.has_accepted_quote is True
    assert issued.quote == quote
    assert issued.payment_term_days == quote.payment_term_days


def test_a_deposit_then_the_balance(quote, sylvie, camille):
    deposit = issue(
        services.invoice_create_from_quote(
            quote=quote, acting_user=camille.user, mode=QuoteMode.DEPOSIT, percent=D("30")
        ),
        sylvie,
    )
    assert deposit.subtotal == D("300.00")
    assert "Acompte de 30 %" in deposit.lines.get().description  # the quote is in French
    with pytest.raises(InvoicingError):
        services.invoice_create_from_quote(quote=quote, acting_user=camille.user)
    balance = issue(
        services.invoice_create_from_quote(
            quote=quote, acting_user=camille.user, mode=QuoteMode.BALANCE
        ),
        sylvie,
    )
    assert balance.subtotal == D("700.00")
    with pytest.raises(InvoicingError):
        services.invoice_create_from_quote(
            quote=quote, acting_user=camille.user, mode=QuoteMode.BALANCE
        )


def test_a_milestone(quote, sylvie, camille):
    stone = QuoteMilestone.objects.create(quote=quote, label="Esquisses", percent=D("40"))
    invoice = issue(
        services.invoice_create_from_quote(
            quote=quote, acting_user=camille.user, mode=QuoteMode.MILESTONE, milestone=stone
        ),
        sylvie,
    )
    assert invoice.subtotal == D("400.00")


def test_a_deposit_percentage_must_be_sensible(quote, camille):
    for bad in (D("0"), D("-5"), D("150")):
        with pytest.raises(ValidationError):
            services.invoice_create_from_quote(
                quote=quote, acting_user=camille.user, mode=QuoteMode.DEPOSIT, percent=bad
            )


def test_a_quote_not_accepted_cannot_be_invoiced(camille, camille_activity, client_qc, sylvie):
    quote = sent_quote(camille, camille_activity, client_qc, sylvie)
    with pytest.raises(InvoicingError):
        services.invoice_create_from_quote(quote=quote, acting_user=camille.user)


def test_invoicing_more_than_the_quote_is_refused(quote, sylvie, camille):
    invoice = services.invoice_create_from_quote(quote=quote, acting_user=camille.user)
    services.invoice_update(
        invoice=invoice, acting_user=camille.user, lines=lines(("20", "100.00"))
    )
    with pytest.raises(InvoiceNotIssuable) as err:
        issue(invoice, sylvie)
    assert "plus que la soumission" in str(err.value)


def test_a_whole_credit_note_reverses_the_taxes_exactly(
    camille, camille_activity, client_qc, sylvie
):
    invoice = issue(
        services.invoice_create(
            activity=camille_activity,
            client=client_qc,
            acting_user=camille.user,
            lines=lines(("3", "33.33")),
        ),
        sylvie,
    )
    note = services.credit_note_create(invoice=invoice, acting_user=sylvie, reason="Erreur")
    note = issue(note, sylvie)
    assert note.kind == InvoiceKind.CREDIT_NOTE
    assert note.number == "NC-2026-000001" or note.number.startswith("NC-")
    assert {t.code: t.amount for t in note.taxes.all()} == {
        t.code: t.amount for t in invoice.taxes.all()
    }
    assert (note.subtotal, note.total, note.contribution, note.fund_share) == (
        invoice.subtotal,
        invoice.total,
        invoice.contribution,
        invoice.fund_share,
    )
    with pytest.raises(InvoicingError):
        services.credit_note_create(invoice=invoice, acting_user=sylvie, reason="encore")


def test_partial_credit_notes_add_up_to_the_invoice_to_the_cent(
    camille, camille_activity, client_qc, sylvie
):
    invoice = issue(
        services.invoice_create(
            activity=camille_activity,
            client=client_qc,
            acting_user=camille.user,
            lines=lines(("1", "1000.00")),
        ),
        sylvie,
    )
    line = invoice.lines.get()
    notes = []
    for amount in ("333.33", "333.33", "333.34"):
        note = services.credit_note_create(
            invoice=invoice, acting_user=sylvie, reason="Rabais", amounts={line.pk: D(amount)}
        )
        notes.append(issue(note, sylvie))
    assert sum(n.total for n in notes) == invoice.total
    for code in ("GST", "QST"):
        assert (
            sum(n.taxes.get(code=code).amount for n in notes) == invoice.taxes.get(code=code).amount
        )
    assert sum(n.contribution for n in notes) == invoice.contribution
    assert sum(n.fund_share for n in notes) == invoice.fund_share


def test_a_credit_note_cannot_credit_more_than_the_line(
    camille, camille_activity, client_qc, sylvie
):
    invoice = issue(
        services.invoice_create(
            activity=camille_activity,
            client=client_qc,
            acting_user=camille.user,
            lines=lines(("1", "100.00")),
        ),
        sylvie,
    )
    with pytest.raises(ValidationError):
        services.credit_note_create(
            invoice=invoice,
            acting_user=sylvie,
            reason="x",
            amounts={invoice.lines.get().pk: D("100.01")},
        )


def test_members_cannot_make_credit_notes(camille, camille_activity, client_qc, sylvie):
    invoice = issue(
        services.invoice_create(
            activity=camille_activity,
            client=client_qc,
            acting_user=camille.user,
            lines=lines(("1", "100.00")),
        ),
        sylvie,
    )
    with pytest.raises(PermissionError):
        services.credit_note_create(invoice=invoice, acting_user=camille.user, reason="x")


def test_a_cancelled_contract_gets_a_final_invoice(quote, sylvie, camille):
    issue(
        services.invoice_create_from_quote(
            quote=quote, acting_user=camille.user, mode=QuoteMode.DEPOSIT, percent=D("25")
        ),
        sylvie,
    )
    final = services.invoice_create_final(
        quote=quote,
        acting_user=sylvie,
        work_done=lines(("4", "100.00")),
        costs=[{"description": "Impression d'épreuves", "quantity": "1", "unit_price": "45.00"}],
        cancelled_on=quote.quote_date,  # not before the quote (issue 8, finding 10)
        reason="Projet abandonné par l'éditeur",
    )
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.CANCELLED
    assert final.quote_mode == QuoteMode.FINAL
    issued = issue(final, sylvie)
    assert issued.subtotal == D("445.00")
    assert "Frais engagés" in issued.lines.last().description


def test_internal_invoices_carry_no_tax_and_no_contribution(
    camille, camille_activity, jerome_activity, sylvie
):
    invoice = services.invoice_create_internal(
        activity=camille_activity,
        buyer_activity=jerome_activity,
        acting_user=camille.user,
        lines=lines(("5", "100.00")),
    )
    issued = issue(invoice, sylvie)
    assert issued.number.startswith("INT-2")
    assert (issued.tax_total, issued.contribution, issued.total) == (D("0"), D("0"), D("500.00"))


def test_an_activity_cannot_invoice_itself(camille, camille_activity):
    with pytest.raises(ValidationError):
        services.invoice_create_internal(
            activity=camille_activity,
            buyer_activity=camille_activity,
            acting_user=camille.user,
            lines=lines(("1", "1.00")),
        )
