"""Issue 10: a member sees money on their home page, per activity, in plain
words, read from the ledger; overdue invoices with their age."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine

from maille.contracts.tests.helpers import accepted_quote, sent_quote
from maille.invoicing import services
from maille.invoicing.tests.test_pages_and_scoping import issued
from maille.web.selectors import member_money

pytestmark = pytest.mark.django_db


def test_a_member_reads_her_activity_in_plain_words(
    as_camille, camille, camille_activity, client_qc, sylvie
):
    sent_quote(camille, camille_activity, client_qc, sylvie, ("5", "100.00"))
    accepted_quote(camille, camille_activity, client_qc, sylvie, ("10", "100.00"))
    issued(camille, camille_activity, client_qc, sylvie)  # 1 000 $ + taxes = 1 149,75 $
    [figures] = member_money(user=camille.user)
    assert figures.quoted == D("500.00")
    assert figures.accepted == D("1000.00")
    assert figures.invoiced == D("1000.00")  # from the ledger's revenue
    assert figures.money.amount("contribution") == D("-65.00")  # 6.5 %, from the ledger
    assert figures.money.balance == D("935.00")
    assert figures.money.owed_by_clients == D("1149.75")
    assert figures.collected == D("0.00")  # nothing paid: nothing collected
    page = as_camille.get("/").content.decode()
    for words in ("Revenus facturés", "Contribution à la coopérative", "Solde de l'activité"):
        assert words in page, words
    assert "935,00\u00a0$" in page
    assert "<svg" in page and "money-chart" in page
    assert "Débit" not in page and "Crédit" not in page


def test_another_members_activity_is_not_on_her_home(
    as_camille, camille, camille_activity, jerome, jerome_activity, client_qc, sylvie
):
    issued(jerome, jerome_activity, client_qc, sylvie)
    page = as_camille.get("/").content.decode()
    assert jerome_activity.code not in page
    assert [f.activity for f in member_money(user=camille.user)] == [camille_activity]


def test_overdue_invoices_show_their_age(as_camille, camille, camille_activity, client_qc, sylvie):
    with time_machine.travel(dt.datetime(2026, 9, 1, 12, tzinfo=dt.UTC)):
        invoice = issued(camille, camille_activity, client_qc, sylvie)
    with time_machine.travel(dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC)):
        page = as_camille.get("/").content.decode()
    assert invoice.number in page
    days = (dt.date(2026, 11, 10) - invoice.due_date).days
    assert days > 0
    assert f'<td class="num">{days}</td>' in page


def test_the_statement_reads_in_plain_words_for_members_and_in_debits_for_staff(
    as_camille, as_sylvie, camille, camille_activity, client_qc, sylvie
):
    issued(camille, camille_activity, client_qc, sylvie)
    page = as_camille.get(f"/activities/{camille_activity.pk}/statement/").content.decode()
    assert "Revenus facturés" in page and "Solde de l'activité" in page
    assert "débit" not in page.lower()
    staff = as_sylvie.get(f"/activities/{camille_activity.pk}/statement/").content.decode()
    assert "débit" in staff.lower()
    assert services  # the services are the same ones the pages call
