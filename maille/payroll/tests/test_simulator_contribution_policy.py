"""The simulator and its API use the co-op's contribution policy and payroll settings of today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from maille.invoicing.models import ContributionPolicy
from maille.payroll.models import EmployerPayrollSettings
from maille.payroll.simulator import contribution_rate, simulate_invoiced

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 7, 1)
NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def eight_percent() -> ContributionPolicy:
    """The general meeting raised the contribution to 8 % from July 1st."""
    return ContributionPolicy.objects.create(
        valid_from=TODAY,
        rate=Decimal("0.08000"),
        fund_share=Decimal("0.25000"),
        source="AG du 2026-06-15",
    )


def test_the_page_shows_the_policy_in_force_today(eight_percent):
    text = Client().get("/simulateur/", {"invoiced": "1200", "periods": "12"}).text
    assert f"Contribution à la coopérative (8{NBSP}%)" in text
    assert f"96,00{NBSP}$" in text  # 8 % of 1 200
    assert f"La contribution à la coopérative (8{NBSP}%" in text


def test_the_api_gives_the_policys_rate(eight_percent):
    body = Client().get("/api/v1/payroll/simulate", {"invoiced": "1200", "periods": "12"}).json()
    assert (body["contribution_rate"], body["contribution"]) == ("0.08", "96.00")


def test_a_policy_that_starts_tomorrow_does_not_apply_yet():
    ContributionPolicy.objects.create(
        valid_from=TODAY + dt.timedelta(days=1),
        rate=Decimal("0.08000"),
        fund_share=Decimal("0.25000"),
        source="AG du 2026-06-15",
    )
    assert contribution_rate() == Decimal("0.065")
    assert contribution_rate(TODAY + dt.timedelta(days=1)) == Decimal("0.08")


def test_the_seeded_policy_reads_as_before():
    # The column holds five decimals; the API has always said "0.065".
    assert f"{contribution_rate():f}" == "0.065"


def test_the_simulated_pay_uses_the_coops_cnesst_rate():
    EmployerPayrollSettings.objects.create(
        valid_from=TODAY,
        cnesst_unit_label="Services professionnels",
        cnesst_rate=Decimal("0.87"),
        total_payroll=Decimal("0.00"),
    )
    sim = simulate_invoiced(invoiced=Decimal("5000.00"), periods_per_year=26)
    gross = sim.pay.gross
    assert sim.pay.employer.cnesst == (gross * Decimal("0.0087")).quantize(Decimal("0.01"))
    text = Client().get("/simulateur/").text
    assert f"0,87{NBSP}$ par tranche de 100 $" in text
