"""The chart of accounts in the admin: admins add accounts; one with lines stays."""

from __future__ import annotations

import pytest

from maille.ledger import accounts as acc
from maille.ledger.models import Account
from maille.ledger.tests.conftest import line, post

pytestmark = pytest.mark.django_db


def test_an_admin_adds_an_account(as_anne):
    response = as_anne.post(
        "/admin/ledger/account/add/",
        {
            "code": "5500",
            "name_fr": "Assurances",
            "name_en": "Insurance",
            "type": "expense",
            "is_open": "on",
        },
    )
    assert response.status_code == 302, response.content
    assert Account.objects.get(code="5500").name_en == "Insurance"


def test_staff_cannot_add_accounts(as_sylvie):
    assert as_sylvie.get("/admin/ledger/account/add/").status_code == 403


def test_an_account_with_lines_cannot_be_deleted(as_anne, coop, camille_activity):
    post(line(acc.BANK, coop, "1.00"), line(acc.REVENUE, camille_activity, "-1.00"))
    bank = Account.objects.get(code=acc.BANK)
    assert as_anne.get(f"/admin/ledger/account/{bank.pk}/delete/").status_code == 403
    unused = Account.objects.get(code=acc.ROUNDING)
    assert (
        as_anne.post(f"/admin/ledger/account/{unused.pk}/delete/", {"post": "yes"}).status_code
        == 302
    )
    assert not Account.objects.filter(code=acc.ROUNDING).exists()


def test_journal_entries_are_read_only_in_the_admin(as_anne, coop, camille_activity):
    entry = post(line(acc.BANK, coop, "1.00"), line(acc.REVENUE, camille_activity, "-1.00"))
    assert as_anne.get(f"/admin/ledger/journalentry/{entry.pk}/change/").status_code == 200
    assert as_anne.get(f"/admin/ledger/journalentry/{entry.pk}/delete/").status_code == 403
    assert as_anne.get("/admin/ledger/journalentry/add/").status_code == 403
