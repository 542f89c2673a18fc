"""The payroll API: requests, runs, payslips, remittances — and who may see what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from maille.payroll.tests.helpers import calendar, fund

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)


@pytest.fixture
def funded(camille_activity, jerome_activity):
    calendar()
    fund(camille_activity, "4000.00")
    fund(jerome_activity, "1000.00")


@time_machine.travel(TODAY)
def test_a_member_asks_and_staff_run_the_payroll(as_camille, as_sylvie, camille_activity, funded):
    budgets = as_camille.get("/api/v1/payroll/budgets").json()
    assert budgets[0]["available"] == "4000.00"
    assert budgets[0]["pay_date"] == "2026-01-22"
    assert Decimal(budgets[0]["total_cost"]) <= Decimal("4000.00")
    response = as_camille.post(
        "/api/v1/payroll/requests",
        {"activity": camille_activity.pk, "basis": "net", "amount": "1500.00", "hours": "70"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    (made,) = response.json()
    assert made["pay_date"] == "2026-01-22"
    run = as_sylvie.post(
        "/api/v1/payroll/runs", {"pay_date": "2026-01-22"}, content_type="application/json"
    ).json()
    preview = as_sylvie.get(f"/api/v1/payroll/runs/{run['id']}/preview").json()
    assert preview["payslips"] == 1
    assert Decimal(preview["totals"]["net"]) >= Decimal("1500.00")
    assert sum(Decimal(line["net"]) for line in preview["lines"]) == Decimal(
        preview["totals"]["net"]
    )
    approved = as_sylvie.post(f"/api/v1/payroll/runs/{run['id']}/approve")
    assert approved.status_code == 202
    again = as_sylvie.post(f"/api/v1/payroll/runs/{run['id']}/approve")
    assert again.status_code == 409
    status = as_sylvie.get(f"/api/v1/payroll/runs/{run['id']}").json()
    assert status["status"] == "posted"
    assert status["progress_done"] == 1
    payslips = as_camille.get(f"/api/v1/payroll/payslips?run={run['id']}").json()["items"]
    (payslip,) = payslips
    assert Decimal(payslip["net"]) >= Decimal("1500.00")
    for key in ("employer", "ytd", "maxima_reached", "inputs", "ytd_before", "paid"):
        assert key in payslip
    pdf = as_camille.get(f"/api/v1/payroll/payslips/{payslip['id']}/pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert as_sylvie.get(f"/api/v1/payroll/payslips/{payslip['id']}").status_code == 200


@time_machine.travel(TODAY)
def test_denied_paths(
    as_camille, as_jerome, as_nathalie, camille_activity, jerome_activity, funded
):
    # Another member's activity is not found.
    response = as_jerome.post(
        "/api/v1/payroll/requests",
        {"activity": camille_activity.pk, "basis": "gross", "amount": "100.00", "hours": "5"},
        content_type="application/json",
    )
    assert response.status_code == 404
    # Members see no runs nor remittances; client contacts no budget.
    assert as_camille.get("/api/v1/payroll/runs").status_code == 404
    assert as_camille.get("/api/v1/payroll/remittances?year=2026").status_code == 404
    assert as_nathalie.get("/api/v1/payroll/budgets").status_code == 404
    assert as_nathalie.get("/api/v1/payroll/payslips").status_code == 404
    assert as_jerome.get("/api/v1/payroll/payslips/1/pdf").status_code == 404


@time_machine.travel(TODAY)
def test_bad_requests_say_why(as_jerome, jerome_activity, funded):
    def ask(**data):
        body = {"activity": jerome_activity.pk, "hours": "70", **data}
        return as_jerome.post("/api/v1/payroll/requests", body, content_type="application/json")

    assert ask(basis="gross", amount="-5.00").status_code == 422
    too_much = ask(basis="gross", amount="5000.00")
    assert too_much.status_code == 422
    message = too_much.json()["detail"][0]["message"]
    assert "1 000,00" in message or "1000.00" in message or "budget" in message
    below_minimum = ask(basis="gross", amount="100.00")
    assert below_minimum.status_code == 422
    assert below_minimum.json()["detail"][0]["field"] == "hours"
    off_calendar = ask(basis="gross", amount="500.00", pay_date="2026-01-23")
    assert off_calendar.status_code == 422
