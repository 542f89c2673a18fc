"""Accounting stories, end to end, checking every ledger balance at the end."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from maille.contracts.tests.helpers import lines
from maille.invoicing import postings, services
from maille.members.models import Activity

pytestmark = pytest.mark.django_db


def balances(activity):
    from maille.ledger import accounts
    from maille.ledger.selectors import balance

    codes = {
        "AR": accounts.AR,
        "REV": accounts.REVENUE,
        "GST": accounts.GST_PAYABLE,
        "QST": accounts.QST_PAYABLE,
        "HST": accounts.HST_PAYABLE,
        "CEXP": accounts.CONTRIBUTION_EXPENSE,
        "CINC": accounts.CONTRIBUTION_INCOME,
    }
    return {k: balance(account=v, activity=activity) for k, v in codes.items()}


def special(code):
    return Activity.objects.get(code=code)


def trial_balance_is_zero():
    from maille.ledger.selectors import balance

    return balance() == D("0")


def test_a_member_invoices_1000_to_a_quebec_client(camille, camille_activity, client_qc, sylvie):
    invoice = services.invoice_create(
        activity=camille_activity,
        client=client_qc,
        acting_user=camille.user,
        lines=lines(("10", "100.00")),
    )
    services.invoice_issue(invoice=invoice, acting_user=sylvie)
    a = balances(camille_activity)
    assert (a["AR"], a["REV"], a["GST"], a["QST"], a["CEXP"]) == (
        D("1149.75"),
        D("-1000.00"),
        D("-50.00"),
        D("-99.75"),
        D("65.00"),
    )
    assert balances(special("COOP"))["CINC"] == D("-48.75")
    assert balances(special("FONDS"))["CINC"] == D("-16.25")
    assert trial_balance_is_zero()


def test_an_ontario_invoice_credited_in_full_leaves_nothing(
    camille, camille_activity, client_on, sylvie
):
    invoice = services.invoice_issue(
        invoice=services.invoice_create(
            activity=camille_activity,
            client=client_on,
            acting_user=camille.user,
            lines=lines(("7", "142.86")),
        ),
        acting_user=sylvie,
    )
    assert balances(camille_activity)["HST"] == D("-130.00")
    note = services.credit_note_create(
        invoice=invoice, acting_user=sylvie, reason="Work not delivered"
    )
    services.invoice_issue(invoice=note, acting_user=sylvie)
    assert set(balances(camille_activity).values()) == {D("0")}
    assert balances(special("COOP"))["CINC"] == D("0")
    assert balances(special("FONDS"))["CINC"] == D("0")
    assert trial_balance_is_zero()


def test_three_partial_credit_notes_reverse_exactly(camille, camille_activity, client_qc, sylvie):
    invoice = services.invoice_issue(
        invoice=services.invoice_create(
            activity=camille_activity,
            client=client_qc,
            acting_user=camille.user,
            lines=lines(("1", "1000.00")),
        ),
        acting_user=sylvie,
    )
    line = invoice.lines.get()
    for amount in ("333.33", "333.33", "333.34"):
        note = services.credit_note_create(
            invoice=invoice, acting_user=sylvie, reason="Rabais", amounts={line.pk: D(amount)}
        )
        services.invoice_issue(invoice=note, acting_user=sylvie)
    assert set(balances(camille_activity).values()) == {D("0")}
    assert trial_balance_is_zero()


def test_internal_work_moves_revenue_between_activities(
    camille, camille_activity, jerome_activity, sylvie
):
    invoice = services.invoice_create_internal(
        activity=camille_activity,
        buyer_activity=jerome_activity,
        acting_user=camille.user,
        lines=lines(("5", "100.00")),
    )
    services.invoice_issue(invoice=invoice, acting_user=sylvie)
    assert balances(camille_activity)["REV"] == D("-500.00")
    assert balances(jerome_activity)["REV"] == D("500.00")
    assert balances(camille_activity)["CEXP"] == D("0")
    assert balances(camille_activity)["GST"] == D("0")


def test_posting_twice_posts_once(camille, camille_activity, client_qc, sylvie):
    from maille.ledger.models import JournalEntry

    invoice = services.invoice_issue(
        invoice=services.invoice_create(
            activity=camille_activity,
            client=client_qc,
            acting_user=camille.user,
            lines=lines(("1", "80.00")),
        ),
        acting_user=sylvie,
    )
    postings.post_invoice(invoice, sylvie)
    assert JournalEntry.objects.count() == 2  # the invoice and its contribution
    assert balances(camille_activity)["AR"] == D("91.98")
    keys = set(JournalEntry.objects.values_list("idempotency_key", flat=True))
    assert keys == {f"invoicing:{invoice.number}:issue", f"invoicing:{invoice.number}:contribution"}
