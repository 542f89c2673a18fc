"""The fund page for members (no names), the board's simulation, eligibility and risk pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from maille.guarantee import services
from maille.guarantee.tests.conftest import D
from maille.members.models import Directorship

pytestmark = pytest.mark.django_db


def test_members_see_the_fund_without_any_client_or_member_name(
    issue_accepted, camille, camille_activity, client_qc, jerome, as_jerome, sylvie
):
    invoice = issue_accepted(camille, camille_activity, client_qc)
    services.absorb_loss(
        invoice=invoice, amount=D("100.00"), acting_user=sylvie, on=dt.date(2026, 6, 15)
    )
    page = as_jerome.get(reverse("guarantee:fund"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "figures" in html and "<svg" in html
    for name in (
        client_qc.legal_name,
        camille.user.get_full_name(),
        camille.user.last_name,
        camille_activity.code,
        camille_activity.name,
        invoice.number,
    ):
        assert name not in html, name
    assert "Stress" not in html and "simulation" not in html.lower().split("<main")[-1]


def test_client_contacts_and_strangers_do_not_see_the_fund(as_nathalie, client):
    assert as_nathalie.get(reverse("guarantee:fund")).status_code == 404
    assert client.get(reverse("guarantee:fund")).status_code == 302


def test_only_directors_and_staff_run_the_stress_simulation(
    issue_accepted, camille, camille_activity, client_qc, as_camille, as_sylvie
):
    issue_accepted(camille, camille_activity, client_qc)
    url = reverse("guarantee:stress") + "?largest=3&rate_multiplier=2"
    assert as_camille.get(url).status_code == 404
    Directorship.objects.create(member=camille, started_on=dt.date(2026, 1, 1))
    page = as_camille.get(url)
    assert page.status_code == 200
    assert client_qc.legal_name in page.content.decode()  # the board sees who
    staff = as_sylvie.get(url)
    assert staff.status_code == 200
    assert staff.context["result"].loss_clients == D("935.00")
    assert staff.context["result"].balance_after == staff.context["result"].before.balance - D(
        "935.00"
    )


def test_the_invoice_shows_why_it_is_not_covered(
    issue_plain, camille_activity, client_qc, as_camille, as_jerome
):
    invoice = issue_plain(camille_activity, client_qc)
    page = as_camille.get(reverse("guarantee:invoice", args=[invoice.pk]))
    assert page.status_code == 200
    assert 'data-reason="no_acceptance"' in page.content.decode()
    assert as_jerome.get(reverse("guarantee:invoice", args=[invoice.pk])).status_code == 404


def test_a_member_drafting_an_invoice_without_a_quote_is_told(as_camille, client_qc):
    page = as_camille.get(reverse("guarantee:draft") + f"?client={client_qc.pk}&kind=invoice")
    assert page.status_code == 200
    assert 'data-risk="unknown"' in page.content.decode()
    assert "guarantee-draft" in page.content.decode()


def test_a_written_off_client_is_risky_for_every_member_without_revealing_amounts(
    issue_accepted, camille, camille_activity, client_qc, sylvie, as_jerome
):
    invoice = issue_accepted(camille, camille_activity, client_qc)
    services.absorb_loss(
        invoice=invoice, amount=invoice.total, acting_user=sylvie, on=dt.date(2026, 6, 15)
    )
    page = as_jerome.get(reverse("guarantee:client_risk", args=[client_qc.pk]))
    html = page.content.decode()
    assert 'data-risk="risky"' in html
    assert invoice.number not in html and "1 149,75" not in html


def test_staff_exclude_a_client_and_see_its_history(client_qc, as_sylvie, as_camille):
    url = reverse("guarantee:client_exclusion", args=[client_qc.pk, "exclude"])
    assert as_camille.post(url, {"on": "2026-06-15", "reason": "Défaut"}).status_code == 404
    assert as_sylvie.post(url, {"on": "2026-06-15", "reason": "Défaut"}).status_code == 302
    page = as_sylvie.get(reverse("guarantee:client_risk", args=[client_qc.pk]))
    assert "Défaut" in page.content.decode()


def test_api_fund_and_simulation(
    issue_accepted, camille, camille_activity, client_qc, as_jerome, as_sylvie
):
    issue_accepted(camille, camille_activity, client_qc)
    fund = as_jerome.get("/api/v1/guarantee/fund").json()
    assert fund["exposure"] == "935.00"
    assert (
        as_jerome.post(
            "/api/v1/guarantee/simulation", {"largest": 1}, content_type="application/json"
        ).status_code
        == 404
    )
    stress = as_sylvie.post(
        "/api/v1/guarantee/simulation",
        {"largest": 1, "rate_multiplier": "2"},
        content_type="application/json",
    ).json()
    assert stress["loss_clients"] == "935.00"
    assert stress["clients"][0]["name"] == client_qc.legal_name


def test_api_policy_refuses_bad_input_naming_the_field(as_anne):
    answer = as_anne.post(
        "/api/v1/guarantee/policies",
        {"valid_from": "2026-07-01", "delay_working_days": -2, "advance_share": "1.5"},
        content_type="application/json",
    )
    assert answer.status_code == 422
    fields = {d["field"] for d in answer.json()["detail"]}
    assert {"delay_working_days", "advance_share"} <= fields


def test_api_eligibility_and_run(issue_plain, camille_activity, client_qc, as_camille, as_sylvie):
    invoice = issue_plain(camille_activity, client_qc)
    body = as_camille.get(f"/api/v1/guarantee/invoices/{invoice.pk}/eligibility").json()
    assert body["covered"] is False
    assert body["reasons"][0]["code"] == "no_acceptance"
    assert (
        as_camille.post("/api/v1/guarantee/run", {}, content_type="application/json").status_code
        == 403
    )
    run = as_sylvie.post(
        "/api/v1/guarantee/run", {"date": "2026-06-15"}, content_type="application/json"
    ).json()
    assert set(run) == {"eligible", "advanced", "settled", "absorbed", "amount_advanced"}
