"""Late interest collected is income: of the co-op, or of the activity by the dated policy.

A ledger story: an invoice of an accepted quote (12 % a year from the due
date) is paid 61 days late, principal and interest in one transfer; the
payment settles the invoice and leaves the interest as the client's credit;
staff record it as interest collected, and the ledger moves it from the
client's credit to interest income.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D

import pytest
import time_machine

from maille.collection.exceptions import CollectionError
from maille.collection.income import interest_collect, interest_collectable
from maille.collection.interest import interest_to_the_day, interest_with_payments
from maille.collection.models import DunningPolicy, InterestCollected
from maille.ledger import accounts
from maille.ledger.models import Account
from maille.ledger.selectors import balance
from maille.members.models import COOP_ACTIVITY_CODE, Activity
from maille.payments import services as payments
from maille.payments.exceptions import PaymentRefused
from maille.payments.models import BankAccount
from maille.payments.selectors import client_credit, payment_credit
from maille.payments.services import AllocationSpec

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 16, tzinfo=dt.UTC)
TWELVE = [(dt.date(1900, 1, 1), D("12"))]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def bank(db):
    return BankAccount.objects.create(
        name="Desjardins",
        institution="815",
        transit="30001",
        number="1234567",
        currency="CAD",
        ledger_account=Account.objects.get(code="1000"),
    )


@pytest.fixture
def late(issue_from_quote, camille_activity, client_qc, sylvie, bank):
    """1 149,75 $ due 2026-04-01, paid on 2026-06-01 with 61 days of interest at 12 %."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 15, tzinfo=dt.UTC), tick=False):
        invoice = issue_from_quote(camille_activity, client_qc, day=dt.date(2026, 3, 2))
    assert invoice.due_date == dt.date(2026, 4, 1)
    interest = interest_to_the_day(
        principal=invoice.total, start=dt.date(2026, 4, 2), end=dt.date(2026, 5, 31), rates=TWELVE
    )
    payment = payments.payment_record(
        bank_account=bank,
        client=client_qc,
        date=dt.date(2026, 6, 1),
        amount=invoice.total + interest,
        method="transfer",
        acting_user=sylvie,
        allocations=[AllocationSpec(invoice, invoice.total)],
    )
    return invoice, payment, interest


def test_the_balance_day_by_day_stops_interest_on_what_each_payment_paid():
    # 1 000 owed from Jan 1; 600 paid on Jan 11; 400 still owed at the end of Jan 20.
    got = interest_with_payments(
        owed_now=D("400"),
        payments=[(dt.date(2026, 1, 11), D("600"))],
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 1, 20),
        rates=[(dt.date(2000, 1, 1), D("36.5"))],  # 0,1 % a day
    )
    assert got == D("10.00") + D("4.00")  # 10 days on 1 000, then 10 days on 400


def test_interest_paid_is_income_of_the_coop(late, sylvie, client_qc, camille_activity):
    invoice, payment, interest = late
    assert interest == D("22.68")  # 1 149,75 × 12 % × 60 / 365
    assert client_credit(client=client_qc) == interest
    coop = Activity.objects.get(code=COOP_ACTIVITY_CODE)
    income = balance(account=accounts.INTEREST_INCOME)
    row = interest_collect(
        invoice_id=invoice.pk, payment_id=payment.pk, amount=interest, acting_user=sylvie
    )
    assert row.date == dt.date(2026, 6, 1) and not row.to_activity
    assert balance(account=accounts.INTEREST_INCOME) - income == -interest
    assert balance(account=accounts.INTEREST_INCOME, activity=coop) == -interest
    assert balance(account=accounts.INTEREST_INCOME, activity=camille_activity) == D("0.00")
    assert balance(account=accounts.CLIENT_CREDITS) == D("0.00")
    # Payments sees the credit used: nothing left to allocate, refund or collect again.
    assert payment_credit(payment=payment) == D("0.00")
    assert client_credit(client=client_qc) == D("0.00")
    with pytest.raises(PaymentRefused, match="intérêts"):
        payments.payment_reverse(
            payment=payment, date=dt.date(2026, 6, 15), reason="NSF", acting_user=sylvie
        )


def test_the_dated_policy_may_give_the_interest_to_the_activity(
    late, sylvie, camille_activity, bank
):
    invoice, payment, interest = late
    DunningPolicy.objects.filter(valid_from=dt.date(2026, 1, 1)).update(interest_to_activity=True)
    coop = Activity.objects.get(code=COOP_ACTIVITY_CODE)
    bank_coop = balance(account="1000", activity=coop)
    bank_activity = balance(account="1000", activity=camille_activity)
    row = interest_collect(
        invoice_id=invoice.pk, payment_id=payment.pk, amount=interest, acting_user=sylvie
    )
    assert row.to_activity
    assert balance(account=accounts.INTEREST_INCOME, activity=camille_activity) == -interest
    assert balance(account=accounts.INTEREST_INCOME, activity=coop) == D("0.00")
    # Balanced per activity: the money moves to the activity's side of the bank.
    assert balance(account="1000", activity=coop) - bank_coop == -interest
    assert balance(account="1000", activity=camille_activity) - bank_activity == interest
    assert balance(account=accounts.CLIENT_CREDITS) == D("0.00")


def test_no_more_interest_than_the_contract_allows(late, sylvie):
    invoice, payment, interest = late
    assert interest_collectable(invoice, dt.date(2026, 6, 1)) == interest
    with pytest.raises(CollectionError, match="plus que les intérêts"):
        interest_collect(
            invoice_id=invoice.pk,
            payment_id=payment.pk,
            amount=interest + D("0.01"),
            acting_user=sylvie,
        )
    half = D("10.00")
    interest_collect(invoice_id=invoice.pk, payment_id=payment.pk, amount=half, acting_user=sylvie)
    assert interest_collectable(invoice, dt.date(2026, 6, 1)) == interest - half
    assert InterestCollected.objects.count() == 1


def test_interest_beyond_what_the_payment_left_is_refused(late, sylvie, bank, client_qc):
    invoice, payment, _interest = late
    with pytest.raises(CollectionError) as refused:
        interest_collect(
            invoice_id=invoice.pk, payment_id=payment.pk, amount=D("-1"), acting_user=sylvie
        )
    assert any("plus grand que zéro" in p for p in refused.value.problems)
    other = payments.payment_record(
        bank_account=bank,
        client=client_qc,
        date=dt.date(2026, 6, 2),
        amount=D("5.00"),
        method="transfer",
        acting_user=sylvie,
    )
    with pytest.raises(CollectionError, match="5,00"):
        interest_collect(
            invoice_id=invoice.pk, payment_id=other.pk, amount=D("6.00"), acting_user=sylvie
        )


def test_only_staff_record_interest_through_the_api(late, as_camille, as_sylvie):
    invoice, payment, interest = late
    body = {"invoice_id": invoice.pk, "payment_id": payment.pk, "amount": str(interest)}
    denied = as_camille.post(
        "/api/v1/collection/interest", json.dumps(body), content_type="application/json"
    )
    assert denied.status_code == 403
    assert not InterestCollected.objects.exists()
    ok = as_sylvie.post(
        "/api/v1/collection/interest", json.dumps(body), content_type="application/json"
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["amount"] == str(interest) and ok.json()["to_activity"] is False


def test_interest_undone_frees_the_credit_and_the_payment_can_be_reversed(
    late, sylvie, client_qc, as_camille, as_sylvie
):
    """The cheque bounced: staff undo the interest, then reverse the payment."""
    invoice, payment, interest = late
    row = interest_collect(
        invoice_id=invoice.pk, payment_id=payment.pk, amount=interest, acting_user=sylvie
    )
    url = f"/api/v1/collection/interest/{row.pk}/undo"
    body = json.dumps({"reason": "Chèque sans provision"})
    assert as_camille.post(url, body, content_type="application/json").status_code == 403
    undone = as_sylvie.post(url, body, content_type="application/json")
    assert undone.status_code == 200, undone.content
    row.refresh_from_db()
    assert row.undone_on == dt.date(2026, 6, 15) and row.undone_reason == "Chèque sans provision"
    assert balance(account=accounts.INTEREST_INCOME) == D("0.00")
    assert balance(account=accounts.CLIENT_CREDITS) == -interest
    assert payment_credit(payment=payment) == interest
    assert interest_collectable(invoice, dt.date(2026, 6, 1)) == interest
    again = as_sylvie.post(url, body, content_type="application/json")
    assert again.status_code == 422 and balance(account=accounts.INTEREST_INCOME) == D("0.00")
    payments.payment_reverse(
        payment=payment, date=dt.date(2026, 6, 15), reason="NSF", acting_user=sylvie
    )
    assert balance(account=accounts.CLIENT_CREDITS) == D("0.00")


def test_interest_is_undone_from_the_case_page(late, sylvie, as_sylvie, as_camille):
    from django.urls import reverse

    invoice, payment, interest = late
    row = interest_collect(
        invoice_id=invoice.pk, payment_id=payment.pk, amount=interest, acting_user=sylvie
    )
    url = reverse("collection:action", args=[row.case_id, "interest_undo"])
    form = {"interest": row.pk, "reason": "Mauvais paiement"}
    assert as_camille.post(url, form).status_code == 404
    assert InterestCollected.objects.get().undone_on is None
    as_sylvie.post(url, form)
    assert InterestCollected.objects.get().undone_reason == "Mauvais paiement"
    page = as_sylvie.get(reverse("collection:case", args=[row.case_id])).content.decode()
    assert "annulé le 2026-06-15" in page
