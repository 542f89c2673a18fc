"""Declaring the co-op's bank accounts: administrators edit, staff read, others 404."""

from __future__ import annotations

import pytest
from django.utils import translation

from maille.ledger.models import Account
from maille.payments import bank_accounts
from maille.payments.exceptions import PaymentRefused
from maille.payments.models import BankAccount

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


FORM = {
    "name": "Desjardins — opérations",
    "institution": "815",
    "transit": "30001",
    "number": "1234567",
    "currency": "CAD",
}
DATA = {**FORM, "is_active": True}
FORM["is_active"] = "on"


def _ledger(code: str) -> Account:
    return Account.objects.get(code=code)


def test_an_admin_declares_the_operating_account_from_the_page(as_anne, anne):
    response = as_anne.post("/bank/new/", {**FORM, "ledger_account": _ledger("1000").pk})
    account = BankAccount.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bank/{account.pk}/"
    assert (account.institution, account.transit, account.number) == ("815", "30001", "1234567")
    assert account.ledger_account.code == "1000" and account.currency == "CAD"
    assert account.history.first().history_user == anne
    page = as_anne.get(f"/bank/{account.pk}/edit/").content.decode()
    assert 'value="1234567"' in page
    as_anne.post(
        f"/bank/{account.pk}/edit/",
        {**FORM, "name": "Compte courant", "ledger_account": _ledger("1000").pk},
    )
    account.refresh_from_db()
    assert account.name == "Compte courant"


def test_staff_read_the_accounts_but_cannot_declare_nor_change_one(as_sylvie, sylvie, operating):
    assert as_sylvie.get("/bank/").status_code == 200
    assert as_sylvie.get("/bank/new/").status_code == 404
    assert as_sylvie.post("/bank/new/", {**FORM, "number": "7654321"}).status_code == 404
    assert as_sylvie.get(f"/bank/{operating.pk}/edit/").status_code == 404
    with pytest.raises(PaymentRefused, match="administrat"):
        bank_accounts.bank_account_save(
            account=operating, data={"name": "x"}, ledger_account=None, acting_user=sylvie
        )


def test_members_and_clients_get_404_on_the_account_pages(as_camille, as_nathalie, operating):
    for client in (as_camille, as_nathalie):
        for url in ("/bank/new/", f"/bank/{operating.pk}/edit/"):
            assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    ("change", "ledger", "message"),
    [
        ({"institution": "81"}, "1000", "institution"),
        ({"transit": "3000A"}, "1000", "transit"),
        ({"number": "123"}, "1000", "account number"),
        ({"currency": "EUR"}, "1000", "currency"),
        ({}, "4000", "not an open asset account"),
    ],
)
def test_bad_declarations_are_refused_naming_the_field(anne, change, ledger, message):
    with pytest.raises(PaymentRefused) as exc:
        bank_accounts.bank_account_save(
            account=None, data={**DATA, **change}, ledger_account=_ledger(ledger), acting_user=anne
        )
    assert any(message in p for p in exc.value.problems), exc.value.problems
    assert not BankAccount.objects.exists()


def test_one_ledger_account_mirrors_one_bank_account_and_numbers_are_unique(anne, operating):
    with pytest.raises(PaymentRefused) as exc:
        bank_accounts.bank_account_save(
            account=None,
            data={**DATA, "number": "7654321"},
            ledger_account=_ledger("1000"),
            acting_user=anne,
        )
    assert any("already mirrors" in p for p in exc.value.problems)
    savings = Account.objects.create(
        code="1010", type="asset", name_fr="Épargne", name_en="Savings"
    )
    with pytest.raises(PaymentRefused) as exc:
        bank_accounts.bank_account_save(
            account=None, data=DATA, ledger_account=savings, acting_user=anne
        )
    assert any("already exists" in p or "existe" in p for p in exc.value.problems)
    assert BankAccount.objects.count() == 1


def test_the_page_shows_a_refusal_on_the_form(as_anne):
    page = as_anne.post(
        "/bank/new/",
        {**FORM, "currency": "CAD", "ledger_account": _ledger("1000").pk, "transit": "1"},
    )
    assert page.status_code == 200 and not BankAccount.objects.exists()


def test_the_csv_mapping_is_saved_per_account_by_a_service(as_sylvie, operating):
    response = as_sylvie.post(
        f"/bank/{operating.pk}/mapping/",
        {"date": 1, "description": 2, "amount": 3, "date_format": "%Y-%m-%d", "delimiter": ","},
    )
    assert response.status_code == 302
    operating.refresh_from_db()
    assert operating.csv_mapping["amount"] == 3 and operating.csv_mapping["date"] == 1
    page = as_sylvie.post(
        f"/bank/{operating.pk}/mapping/",
        {"date": 1, "description": 2, "date_format": "%Y-%m-%d", "delimiter": ","},
    )
    assert page.status_code == 200
    assert "amount column" in page.content.decode() or "colonne" in page.content.decode()
