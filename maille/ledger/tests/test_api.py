"""The ledger API: the same reads as the pages, scoped the same way."""

from __future__ import annotations

import datetime as dt

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
    post(line(acc.AR, jerome_activity, "230.00"), line(acc.REVENUE, jerome_activity, "-230.00"))


def test_a_member_reads_the_balance_of_their_activity(as_camille, camille_activity, invoiced):
    url = f"/api/v1/ledger/balance?activity_id={camille_activity.pk}&account={acc.AR}"
    body = as_camille.get(url + "&as_of=2026-03-10").json()
    assert body == {
        "account": acc.AR,
        "activity_id": camille_activity.pk,
        "as_of": "2026-03-10",
        "balance": "1149.75",
    }
    assert as_camille.get(url).json()["balance"] == "0.00"


def test_a_member_cannot_read_another_members_balance_or_the_coops(
    as_camille, jerome_activity, invoiced
):
    response = as_camille.get(f"/api/v1/ledger/balance?activity_id={jerome_activity.pk}")
    assert response.status_code == 404
    assert as_camille.get("/api/v1/ledger/balance").status_code == 422
    assert (
        as_camille.get(f"/api/v1/ledger/activities/{jerome_activity.pk}/lines").status_code == 404
    )
    assert (
        as_camille.get(f"/api/v1/ledger/activities/{jerome_activity.pk}/statement").status_code
        == 404
    )
    assert as_camille.get("/api/v1/ledger/trial-balance").status_code == 404
    assert as_camille.get(f"/api/v1/ledger/accounts/{acc.AR}/lines").status_code == 404


def test_client_contacts_reach_nothing(as_nathalie, camille_activity):
    assert as_nathalie.get("/api/v1/ledger/accounts").status_code == 404
    assert (
        as_nathalie.get(f"/api/v1/ledger/activities/{camille_activity.pk}/lines").status_code == 404
    )


def test_the_statement_lines_carry_a_running_balance_and_their_source(
    as_camille, camille_activity, invoiced, monkeypatch
):
    # The real sources (invoices, payslips…) have a page; here an activity stands in.
    monkeypatch.setattr(
        Activity, "get_absolute_url", lambda self: f"/activities/{self.pk}/", raising=False
    )
    body = as_camille.get(
        f"/api/v1/ledger/activities/{camille_activity.pk}/lines?account={acc.AR}"
    ).json()
    assert body["count"] == 2
    first, second = body["items"]
    assert (first["debit"], first["credit"], first["balance"]) == ("1149.75", None, "1149.75")
    assert (second["amount"], second["credit"], second["balance"]) == (
        "-1149.75",
        "1149.75",
        "0.00",
    )
    assert first["source"] == {
        "type": "members.activity",
        "id": camille_activity.pk,
        "url": f"/activities/{camille_activity.pk}/",
    }
    assert second["source"] is None
    summary = as_camille.get(
        f"/api/v1/ledger/activities/{camille_activity.pk}/statement?date_to=2026-03-31"
    ).json()
    assert {r["account"]: r["balance"] for r in summary["balances"]} == {
        acc.BANK: "1149.75",
        acc.AR: "0.00",
        acc.GST_PAYABLE: "-50.00",
        acc.QST_PAYABLE: "-99.75",
        acc.REVENUE: "-1000.00",
    }


def test_staff_read_the_trial_balance_and_general_ledger(as_sylvie, invoiced):
    body = as_sylvie.get("/api/v1/ledger/trial-balance").json()
    assert body["total_debit"] == body["total_credit"] == "1379.75"
    lines = as_sylvie.get(f"/api/v1/ledger/accounts/{acc.AR}/lines?limit=2&offset=1").json()
    assert lines["count"] == 3
    assert [ln["balance"] for ln in lines["items"]] == ["1379.75", "230.00"]
    assert as_sylvie.get("/api/v1/ledger/balance").json()["balance"] == "0.00"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/ledger/balance?account=abc",
        "/api/v1/ledger/balance?account=9999",
        "/api/v1/ledger/balance?as_of=2026-02-30",
        "/api/v1/ledger/balance?as_of=0001-01-01",
        "/api/v1/ledger/balance?activity_id=0",
        "/api/v1/ledger/balance?activity_id=99999999999999999999",
        "/api/v1/ledger/trial-balance?as_of=yesterday",
        "/api/v1/ledger/accounts/1100/lines?date_from=9999-12-31",
        "/api/v1/ledger/accounts/1100/lines?limit=100000",
    ],
)
def test_bad_input_gets_a_422_naming_the_problem(as_sylvie, url):
    response = as_sylvie.get(url)
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["message"]


def test_staff_close_a_period_and_only_an_admin_reopens_it(as_sylvie, as_anne, as_camille):
    assert (
        as_camille.post(
            "/api/v1/ledger/periods/2026-02-01/close", {}, content_type="application/json"
        ).status_code
        == 404
    )
    response = as_sylvie.post(
        "/api/v1/ledger/periods/2026-02-14/close",
        {"reason": "Done"},
        content_type="application/json",
    )
    assert response.json() == {"month": "2026-02-01", "is_closed": True}
    again = as_sylvie.post(
        "/api/v1/ledger/periods/2026-02-14/close", {}, content_type="application/json"
    )
    assert again.status_code == 409  # already closed: a conflict (issue 8), not bad input
    denied = as_sylvie.post(
        "/api/v1/ledger/periods/2026-02-01/reopen", {"reason": "x"}, content_type="application/json"
    )
    assert denied.status_code == 403
    no_reason = as_anne.post(
        "/api/v1/ledger/periods/2026-02-01/reopen", {}, content_type="application/json"
    )
    assert no_reason.status_code == 422
    ok = as_anne.post(
        "/api/v1/ledger/periods/2026-02-01/reopen",
        {"reason": "Late invoice"},
        content_type="application/json",
    )
    assert ok.json() == {"month": "2026-02-01", "is_closed": False}
    assert not Period.objects.get().is_closed


def test_the_statement_lines_cost_the_same_queries_for_more_lines(
    as_camille, camille_activity, coop, django_assert_num_queries
):
    url = f"/api/v1/ledger/activities/{camille_activity.pk}/lines"
    post(
        line(acc.BANK, coop, "1.00"),
        line(acc.REVENUE, camille_activity, "-1.00"),
        source=camille_activity,
    )
    as_camille.get(url)
    # 11: the session, the user, whether the account has a second factor
    # (docs/decisions/0005: every request of a session is held to it), then
    # the statement's own queries.
    with django_assert_num_queries(11) as few:
        as_camille.get(url)
    for _ in range(20):
        post(
            line(acc.BANK, coop, "1.00"),
            line(acc.REVENUE, camille_activity, "-1.00"),
            source=camille_activity,
        )
    with django_assert_num_queries(len(few)):
        as_camille.get(url)
