"""Ledger pages: who reaches what, what they show, and what they cost in queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest

from maille.ledger import accounts as acc
from maille.ledger.models import Period
from maille.ledger.tests.conftest import line, post
from maille.members.models import Activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoiced(camille_activity, jerome_activity, coop):
    post(
        line(acc.AR, camille_activity, "1149.75"),
        line(acc.REVENUE, camille_activity, "-1000.00"),
        line(acc.GST_PAYABLE, camille_activity, "-50.00"),
        line(acc.QST_PAYABLE, camille_activity, "-99.75"),
        date=dt.date(2026, 3, 2),
        description="Invoice 2026-0001",
        source=camille_activity,
    )
    post(
        line(acc.BANK, camille_activity, "1149.75"),
        line(acc.AR, camille_activity, "-1149.75"),
        date=dt.date(2026, 3, 20),
        description="Payment 2026-0001",
    )
    post(
        line(acc.AR, jerome_activity, "230.00"),
        line(acc.REVENUE, jerome_activity, "-230.00"),
        description="Invoice 2026-0002 (Jérôme)",
    )


def _csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_a_member_reads_the_statement_of_their_activity(
    as_camille, camille_activity, invoiced, monkeypatch
):
    # The real sources (invoices, payslips…) have a page; here an activity stands in.
    monkeypatch.setattr(
        Activity, "get_absolute_url", lambda self: f"/activities/{self.pk}/", raising=False
    )
    response = as_camille.get(f"/activities/{camille_activity.pk}/statement/")
    assert response.status_code == 200
    assert "Invoice 2026-0001" in response.text
    assert "Payment 2026-0001" in response.text
    assert "Jérôme" not in response.text
    # The source document is linked.
    assert f'<a href="/activities/{camille_activity.pk}/">Invoice 2026-0001</a>' in response.text


def test_a_member_cannot_read_another_members_statement(as_camille, jerome_activity, invoiced):
    assert as_camille.get(f"/activities/{jerome_activity.pk}/statement/").status_code == 404
    assert as_camille.get(f"/activities/{jerome_activity.pk}/statement.csv").status_code == 404


def test_clients_and_visitors_cannot_read_statements(as_nathalie, client, camille_activity):
    assert as_nathalie.get(f"/activities/{camille_activity.pk}/statement/").status_code == 404
    response = client.get(f"/activities/{camille_activity.pk}/statement/")
    assert response.status_code == 302


def test_staff_read_any_statement(as_sylvie, jerome_activity, invoiced):
    response = as_sylvie.get(f"/activities/{jerome_activity.pk}/statement/")
    assert response.status_code == 200
    assert "Invoice 2026-0002" in response.text


def test_the_statement_csv_has_a_running_balance(as_camille, camille_activity, invoiced):
    rows = _csv(as_camille.get(f"/activities/{camille_activity.pk}/statement.csv?account={acc.AR}"))
    assert rows[0] == [
        "date",
        "entry",
        "account",
        "account_name",
        "activity",
        "debit",
        "credit",
        "description",
        "memo",
        "source",
        "balance",
    ]
    assert [(r[0], r[5], r[6], r[-1]) for r in rows[1:]] == [
        ("2026-03-02", "1149.75", "", "1149.75"),
        ("2026-03-20", "", "1149.75", "0.00"),
    ]
    assert rows[1][9] == f"members.activity:{camille_activity.pk}"


def test_the_statement_between_two_dates_starts_from_the_opening_balance(
    as_camille, camille_activity, invoiced
):
    rows = _csv(
        as_camille.get(
            f"/activities/{camille_activity.pk}/statement.csv?account={acc.AR}&date_from=2026-03-10"
        )
    )
    assert [(r[0], r[-1]) for r in rows[1:]] == [("2026-03-20", "0.00")]


def test_bad_filters_are_shown_not_crashed_on(as_camille, camille_activity, invoiced):
    url = f"/activities/{camille_activity.pk}/statement/"
    response = as_camille.get(url + "?date_from=2026-13-45&account=9999")
    assert response.status_code == 200
    response = as_camille.get(url + "?date_from=2026-05-01&date_to=2026-04-01")
    assert response.status_code == 200
    # Pages speak French by default (the test's English override is for messages
    # read in Python, not for requests).
    assert "La date de début est postérieure à la date de fin." in response.text


def test_the_statement_page_costs_the_same_queries_for_more_lines(
    as_camille, camille_activity, coop, django_assert_num_queries
):
    url = f"/activities/{camille_activity.pk}/statement/"
    for _ in range(3):
        post(
            line(acc.BANK, coop, "1.00"),
            line(acc.REVENUE, camille_activity, "-1.00"),
            source=camille_activity,
        )
    as_camille.get(url)  # warm the caches (content types, session)
    # The member's page adds its plain-words summary (balances and chart): 2 queries.
    with django_assert_num_queries(13) as few:
        as_camille.get(url)
    for _ in range(30):
        post(
            line(acc.BANK, coop, "1.00"),
            line(acc.REVENUE, camille_activity, "-1.00"),
            source=camille_activity,
        )
    with django_assert_num_queries(len(few)):
        as_camille.get(url)


def test_staff_read_the_trial_balance_and_general_ledger(as_sylvie, invoiced):
    response = as_sylvie.get("/ledger/")
    assert response.status_code == 200
    assert "1\xa0379,75\xa0$" in response.text  # AR 230 + bank 1 149,75, in French
    rows = _csv(as_sylvie.get("/ledger/trial-balance.csv"))
    assert rows[0] == ["account", "account_name", "type", "debit", "credit", "balance"]
    assert rows[-1][3:5] == ["1379.75", "1379.75"]
    response = as_sylvie.get(f"/ledger/accounts/{acc.AR}/")
    assert response.status_code == 200
    assert "Invoice 2026-0002" in response.text
    rows = _csv(as_sylvie.get(f"/ledger/accounts/{acc.AR}/ledger.csv"))
    assert [r[-1] for r in rows[1:]] == ["1149.75", "1379.75", "230.00"]
    assert as_sylvie.get("/ledger/accounts/9999/").status_code == 404


def test_members_and_clients_cannot_reach_staff_ledger_pages(as_camille, as_nathalie):
    for url in (
        "/ledger/",
        "/ledger/trial-balance.csv",
        f"/ledger/accounts/{acc.AR}/",
        f"/ledger/accounts/{acc.AR}/ledger.csv",
        "/ledger/periods/",
    ):
        assert as_camille.get(url).status_code == 404, url
        assert as_nathalie.get(url).status_code == 404, url


def test_the_trial_balance_page_costs_the_same_queries_for_more_lines(
    as_sylvie, camille_activity, coop, django_assert_num_queries
):
    post(line(acc.BANK, coop, "1.00"), line(acc.REVENUE, camille_activity, "-1.00"))
    as_sylvie.get("/ledger/?as_of=2026-03-15")
    with django_assert_num_queries(6) as few:
        as_sylvie.get("/ledger/?as_of=2026-03-15")
    for day in range(1, 28):
        post(
            line(acc.BANK, coop, "1.00"),
            line(acc.SPACE_INCOME, coop, "-1.00"),
            date=dt.date(2026, 3, day),
        )
    with django_assert_num_queries(len(few)):
        as_sylvie.get("/ledger/?as_of=2026-03-15")


def test_staff_close_a_period_and_an_admin_reopens_it(as_sylvie, as_anne):
    response = as_sylvie.post("/ledger/periods/close/", {"month": "2026-02", "reason": "Done"})
    assert response.status_code == 302
    assert Period.objects.get(month=dt.date(2026, 2, 1)).is_closed
    as_sylvie.post("/ledger/periods/reopen/", {"month": "2026-02-01", "reason": "Please"})
    assert Period.objects.get(month=dt.date(2026, 2, 1)).is_closed
    page = as_anne.get("/ledger/periods/")
    assert "Reopen" in page.text or "Rouvrir" in page.text
    as_anne.post("/ledger/periods/reopen/", {"month": "2026-02-01", "reason": "Late invoice"})
    assert not Period.objects.get(month=dt.date(2026, 2, 1)).is_closed


def test_members_cannot_close_periods(as_camille):
    assert as_camille.post("/ledger/periods/close/", {"month": "2026-02"}).status_code == 404
    assert not Period.objects.exists()
